/**
 * Which unplaced tasks get their veto summary written, pure. Writing every round's reason made
 * a big launch write each waiting task again and again ("Insufficient cpus on 12 hosts", then
 * "... on 9 hosts" as offers came and went), doubling the writes per task for nothing: a task
 * that waits only because this round's offers ran out is placed a moment later.
 */
import type { Task } from '../../api/v1/task.js';

/** A task Pending for less than this has not been refused, merely not reached yet. */
export const VETO_GRACE_MS = 3_000;
/** A recorded reason is refreshed at most this often (hosts and offers change all the time). */
export const VETO_REFRESH_MS = 30_000;

/**
 * How long a recorded reason stands before a changed one may replace it: as long as the task had
 * waited when it was recorded (at least the grace, at most the refresh period). The first reason
 * reflects only the offers in hand at that moment — one host of three, say — so it is corrected
 * within seconds, while a task that waits for minutes is rewritten at most every 30 s.
 */
function vetoStandsForMs(waitedWhenRecordedMs: number): number {
  return Math.min(VETO_REFRESH_MS, Math.max(VETO_GRACE_MS, waitedWhenRecordedMs));
}

function msOf(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * `offersLeftOver`: whether the round left some offer unused. When every offer went to other
 * tasks, the ones left over were queued behind them, not refused: nothing to explain yet.
 */
export function vetoesToRecord<U extends { readonly task: Task; readonly reason: string }>(
  unplaced: readonly U[],
  nowMs: number,
  offersLeftOver: boolean,
): U[] {
  if (!offersLeftOver) return [];
  return unplaced.filter(({ task, reason }) => {
    const status = task.status;
    if (status?.vetoes?.[0]?.reason === reason) return false;
    const waitingSince = msOf(status?.lastTransitionTime) ?? msOf(task.metadata.creationTimestamp);
    if (waitingSince !== undefined && nowMs - waitingSince < VETO_GRACE_MS) return false;
    const observed = msOf(status?.vetoesObservedAt);
    if (observed === undefined) return true;
    const waited = waitingSince === undefined ? VETO_REFRESH_MS : observed - waitingSince;
    return nowMs - observed >= vetoStandsForMs(waited);
  });
}
