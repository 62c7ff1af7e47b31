/**
 * Flapping penalty (Aurora's TaskThrottler / RescheduleCalculator): an ancestor "flapped" if it
 * was never Restarting/Killing/Draining and ended less than FLAPPING_THRESHOLD after it last
 * became active. Walking back through consecutive flapping ancestors, the penalty grows by a
 * truncated binary backoff: first step in [30 s, 60 s), then doubling, capped at 5 min. The
 * replacement starts Throttled until last event + penalty. Randomness is injected for tests.
 */

export const FLAPPING_THRESHOLD_MS = 5 * 60 * 1000;
export const INITIAL_PENALTY_MS = 30 * 1000;
export const MAX_PENALTY_MS = 5 * 60 * 1000;

/** What the calculation needs of one ended ancestor, newest first in the list passed in. */
export interface AncestorRun {
  /** When it last became active (Assigned/Starting/Running; ms since epoch), if it ever did. */
  readonly activeAtMs: number | undefined;
  readonly endedAtMs: number;
  /** It went through Restarting, Killing or Draining (an intended stop, not a flap). */
  readonly stoppedOnPurpose: boolean;
}

export function flapped(run: AncestorRun): boolean {
  if (run.stoppedOnPurpose) return false;
  const since = run.activeAtMs ?? run.endedAtMs;
  return run.endedAtMs - since < FLAPPING_THRESHOLD_MS;
}

/** Penalty in ms for the next replacement (0 when the newest ancestor did not flap). */
export function flappingPenaltyMs(
  ancestorsNewestFirst: readonly AncestorRun[],
  random: () => number = Math.random,
): number {
  let penalty = 0;
  let base = INITIAL_PENALTY_MS;
  for (const run of ancestorsNewestFirst) {
    if (!flapped(run)) break;
    // Truncated binary backoff: each step random in [base, 2·base), capped.
    penalty = Math.min(MAX_PENALTY_MS, Math.floor(base + random() * base));
    if (penalty >= MAX_PENALTY_MS) break;
    base = Math.min(MAX_PENALTY_MS, base * 2);
  }
  return penalty;
}
