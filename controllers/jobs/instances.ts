/**
 * A job's tasks grouped by instance: for each instance, its current task (the newest run, the one
 * no later run names as its ancestor) and the chain of earlier runs, newest first.
 */
import type { Task } from '../../api/v1/task.js';
import { isActive } from '../../pkg/taskstate/index.js';

export interface InstanceTasks {
  readonly instance: number;
  /** Newest run first; [0] is the current task. */
  readonly runs: readonly Task[];
  /** Active tasks beyond the current one (duplicates: must not keep running). */
  readonly extraActive: readonly Task[];
}

const NONE: readonly Task[] = Object.freeze([]);

const phaseRank: Record<string, number> = { Running: 4, Starting: 3, Assigned: 2, Partitioned: 1 };

function newestFirst(a: Task, b: Task): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? 1 : -1;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? 1 : -1;
}

export function groupByInstance(tasks: readonly Task[]): Map<number, InstanceTasks> {
  const byInstance = new Map<number, Task[]>();
  for (const t of tasks) {
    const list = byInstance.get(t.spec.instance) ?? [];
    list.push(t);
    byInstance.set(t.spec.instance, list);
  }
  const result = new Map<number, InstanceTasks>();
  for (const [instance, list] of byInstance) {
    if (list.length === 1) {
      // Most instances have one run: nothing to order (a 1,000-instance Job is regrouped on
      // every batch of its tasks' events).
      result.set(instance, { instance, runs: list, extraActive: NONE });
      continue;
    }
    const active = list.filter((t) => isActive(t.status?.phase ?? 'Pending'));
    let current: Task;
    if (active.length > 0) {
      // Should there ever be two active runs, keep the one furthest along (then the oldest).
      current = [...active].sort((a, b) => {
        const r = (phaseRank[b.status?.phase ?? ''] ?? 0) - (phaseRank[a.status?.phase ?? ''] ?? 0);
        return r !== 0 ? r : -newestFirst(a, b);
      })[0]!;
    } else {
      const referenced = new Set(
        list.map((t) => t.spec.ancestor).filter((a): a is string => a !== undefined),
      );
      const heads = list.filter((t) => !referenced.has(t.metadata.name ?? ''));
      current = (heads.length > 0 ? heads : list).sort(newestFirst)[0]!;
    }
    const earlier = list.filter((t) => t !== current).sort(newestFirst);
    result.set(instance, {
      instance,
      runs: [current, ...earlier],
      extraActive: active.filter((t) => t !== current),
    });
  }
  return result;
}

/** Earlier runs of an instance by following ancestor links from the current task, newest first. */
export function ancestorsOf(current: Task, runs: readonly Task[]): Task[] {
  const byName = new Map(runs.map((t) => [t.metadata.name ?? '', t]));
  const chain: Task[] = [];
  const seen = new Set<string>();
  for (let t: Task | undefined = current; t && !seen.has(t.metadata.name ?? ''); ) {
    seen.add(t.metadata.name ?? '');
    chain.push(t);
    t = t.spec.ancestor ? byName.get(t.spec.ancestor) : undefined;
  }
  return chain;
}
