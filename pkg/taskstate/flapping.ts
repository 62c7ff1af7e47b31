/**
 * Flapping penalty (Aurora's TaskThrottler / RescheduleCalculator): an ancestor "flapped" if it
 * was never Restarting/Killing/Draining and ended less than the flapping threshold after it last
 * became active. Walking back through consecutive flapping ancestors, the penalty grows by a
 * truncated binary backoff: first step in [initial, 2·initial), then doubling, capped at the
 * maximum. The replacement starts Throttled until last event + penalty. Randomness is injected.
 */

export const FLAPPING_THRESHOLD_MS = 5 * 60 * 1000;
export const INITIAL_PENALTY_MS = 30 * 1000;
export const MAX_PENALTY_MS = 5 * 60 * 1000;

/** Aurora's scheduler flags -flapping_task_threshold, -initial/max_flapping_task_delay. */
export interface FlappingLimits {
  readonly thresholdMs: number;
  readonly initialPenaltyMs: number;
  readonly maxPenaltyMs: number;
}

export const AURORA_FLAPPING: FlappingLimits = {
  thresholdMs: FLAPPING_THRESHOLD_MS,
  initialPenaltyMs: INITIAL_PENALTY_MS,
  maxPenaltyMs: MAX_PENALTY_MS,
};

/** What the calculation needs of one ended ancestor, newest first in the list passed in. */
export interface AncestorRun {
  /** When it last became active (Assigned/Starting/Running; ms since epoch), if it ever did. */
  readonly activeAtMs: number | undefined;
  readonly endedAtMs: number;
  /** It went through Restarting, Killing or Draining (an intended stop, not a flap). */
  readonly stoppedOnPurpose: boolean;
}

export function flapped(run: AncestorRun, thresholdMs = FLAPPING_THRESHOLD_MS): boolean {
  if (run.stoppedOnPurpose) return false;
  const since = run.activeAtMs ?? run.endedAtMs;
  return run.endedAtMs - since < thresholdMs;
}

/** Penalty in ms for the next replacement (0 when the newest ancestor did not flap). */
export function flappingPenaltyMs(
  ancestorsNewestFirst: readonly AncestorRun[],
  random: () => number = Math.random,
  limits: FlappingLimits = AURORA_FLAPPING,
): number {
  let penalty = 0;
  let base = limits.initialPenaltyMs;
  for (const run of ancestorsNewestFirst) {
    if (!flapped(run, limits.thresholdMs)) break;
    // Truncated binary backoff: each step random in [base, 2·base), capped.
    penalty = Math.min(limits.maxPenaltyMs, Math.floor(base + random() * base));
    if (penalty >= limits.maxPenaltyMs) break;
    base = Math.min(limits.maxPenaltyMs, base * 2);
  }
  return penalty;
}
