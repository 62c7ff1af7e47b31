/**
 * Terminal task history, pruned with Aurora's defaults: at most 100 terminal tasks per job, and
 * none older than 2 days — but never one younger than 1 hour, and never the current (newest) run
 * of an instance, which is what tells the planner an instance finished or failed for good.
 */
import type { Task } from '../../api/v1/task.js';
import { isTerminal } from '../../pkg/taskstate/index.js';
import type { InstanceTasks } from './instances.js';

export interface HistoryLimits {
  readonly maxTerminalPerJob: number;
  readonly maxAgeMs: number;
  readonly minAgeMs: number;
}

export const AURORA_HISTORY: HistoryLimits = {
  maxTerminalPerJob: 100,
  maxAgeMs: 2 * 24 * 3600 * 1000,
  minAgeMs: 3600 * 1000,
};

export function pruneHistory(
  tasks: readonly Task[],
  instances: ReadonlyMap<number, InstanceTasks>,
  nowMs: number,
  limits: HistoryLimits,
): string[] {
  const current = new Set([...instances.values()].map((g) => g.runs[0]?.metadata.name));
  const endedAt = (t: Task): number =>
    Date.parse(t.status?.finishedAt ?? t.status?.lastTransitionTime ?? t.metadata.creationTimestamp ?? '') ||
    0;
  const terminal = tasks
    .filter((t) => isTerminal(t.status?.phase ?? 'Pending') && !current.has(t.metadata.name))
    .sort((a, b) => endedAt(b) - endedAt(a));
  const pruned: string[] = [];
  for (const [index, t] of terminal.entries()) {
    const age = nowMs - endedAt(t);
    if (age < limits.minAgeMs) continue;
    if (age > limits.maxAgeMs || index >= limits.maxTerminalPerJob) pruned.push(t.metadata.name ?? '');
  }
  return pruned;
}
