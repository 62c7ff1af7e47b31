/**
 * Time-driven task transitions, pure: a task stuck in a transient phase (Assigned, Killing,
 * Preempting, Restarting, Draining) for more than 5 minutes is Lost; a Partitioned task becomes
 * Lost after its job's partitionPolicy.delaySeconds, unless the policy says not to reschedule.
 * Kills are re-sent with backoff 15 s → 5 min while a task stays Killing.
 */
import type { Task } from '../../api/v1/task.js';

export const TRANSIENT_TIMEOUT_MS = 5 * 60 * 1000;
export const KILL_RETRY_INITIAL_MS = 15_000;
export const KILL_RETRY_MAX_MS = 5 * 60 * 1000;

const TRANSIENT = new Set(['Assigned', 'Killing', 'Preempting', 'Restarting', 'Draining']);

export interface TimerVerdict {
  /** Move the task to Lost with this message. */
  readonly lose?: string;
  /** Check again after this long. */
  readonly recheckAfterMs?: number;
}

export function checkTimers(task: Task, nowMs: number): TimerVerdict {
  const phase = task.status?.phase ?? 'Pending';
  const since = Date.parse(task.status?.lastTransitionTime ?? task.metadata.creationTimestamp ?? '') || nowMs;
  const elapsed = nowMs - since;
  if (TRANSIENT.has(phase)) {
    if (elapsed >= TRANSIENT_TIMEOUT_MS)
      return { lose: `stuck in ${phase} for more than ${TRANSIENT_TIMEOUT_MS / 60000} minutes` };
    return { recheckAfterMs: TRANSIENT_TIMEOUT_MS - elapsed };
  }
  if (phase === 'Partitioned') {
    const policy = task.spec.partitionPolicy ?? { reschedule: true, delaySeconds: 0 };
    if (!policy.reschedule) return {};
    const delay = policy.delaySeconds * 1000;
    if (elapsed >= delay)
      return { lose: `partitioned for more than ${policy.delaySeconds}s (partitionPolicy)` };
    return { recheckAfterMs: delay - elapsed };
  }
  return {};
}

/** Delay before re-sending a kill, after `attempts` kills already sent (15 s, 30 s, ... 5 min). */
export function killRetryDelayMs(attempts: number): number {
  return Math.min(KILL_RETRY_MAX_MS, KILL_RETRY_INITIAL_MS * 2 ** Math.max(0, attempts - 1));
}
