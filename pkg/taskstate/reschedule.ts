/**
 * Whether a task that reached a terminal phase gets a replacement (a new task for the same
 * instance), with Aurora's rules:
 * - Finished: only services are rescheduled.
 * - Failed: failure count + 1; rescheduled if service, or maxTaskFailures = -1, or the failures
 *   before this one < maxTaskFailures - 1.
 * - Killed without having been Killing (killed behind our back): rescheduled.
 * - Lost: rescheduled, unless the task was being killed (Killing → Partitioned → Lost).
 * - Terminal after Preempting / Restarting / Draining: rescheduled.
 * - Terminal after Killing (the user or scale-down asked): not rescheduled.
 */
import type { TaskPhase } from '../../api/v1/task.js';

export interface TerminalFacts {
  readonly terminal: 'Finished' | 'Failed' | 'Killed' | 'Lost';
  /** The last active phase before the terminal one. */
  readonly previous: TaskPhase;
  /** Whether the task was in Killing at any point (Aurora: killing is final intent). */
  readonly wasKilling: boolean;
  readonly service: boolean;
  readonly maxTaskFailures: number;
  /** Failures of this instance before this task ended. */
  readonly failuresBefore: number;
}

export interface RescheduleDecision {
  readonly reschedule: boolean;
  /** Failure count the replacement carries. */
  readonly failureCount: number;
  readonly why: string;
}

export function decideReschedule(f: TerminalFacts): RescheduleDecision {
  const failures = f.failuresBefore + (f.terminal === 'Failed' ? 1 : 0);
  const decision = (reschedule: boolean, why: string): RescheduleDecision => ({
    reschedule,
    failureCount: failures,
    why,
  });
  if (f.wasKilling || f.previous === 'Killing') return decision(false, 'killed on request');
  if (f.previous === 'Preempting' || f.previous === 'Restarting' || f.previous === 'Draining') {
    return decision(true, `moved (${f.previous.toLowerCase()})`);
  }
  switch (f.terminal) {
    case 'Finished':
      return f.service ? decision(true, 'service finished') : decision(false, 'adhoc task finished');
    case 'Failed':
      if (f.service) return decision(true, 'service failed');
      if (f.maxTaskFailures === -1) return decision(true, 'failed; unlimited retries');
      return f.failuresBefore < f.maxTaskFailures - 1
        ? decision(true, `failed; retry ${failures} of ${f.maxTaskFailures - 1}`)
        : decision(false, `failed ${failures} time(s); maxTaskFailures is ${f.maxTaskFailures}`);
    case 'Killed':
      return decision(true, 'killed outside Borealis');
    case 'Lost':
      return decision(true, 'lost');
  }
}
