/**
 * Aurora's task state machine: which phase may follow which. Every writer of Task.status.phase
 * goes through `checkTransition`, so no controller can move a task along an edge Aurora forbids.
 */
import { ACTIVE_PHASES, type TaskPhase, TERMINAL_PHASES } from '../../api/v1/task.js';

const ALLOWED: Readonly<Record<TaskPhase, readonly TaskPhase[]>> = {
  Pending: ['Assigned', 'Killing'],
  Throttled: ['Pending', 'Killing'],
  Assigned: [
    'Starting',
    'Running',
    'Finished',
    'Failed',
    'Restarting',
    'Draining',
    'Killed',
    'Killing',
    'Lost',
    'Preempting',
  ],
  Starting: [
    'Running',
    'Finished',
    'Failed',
    'Restarting',
    'Draining',
    'Killing',
    'Killed',
    'Lost',
    'Preempting',
    'Partitioned',
  ],
  Running: [
    'Finished',
    'Restarting',
    'Draining',
    'Failed',
    'Killing',
    'Killed',
    'Lost',
    'Preempting',
    'Partitioned',
  ],
  Partitioned: [
    'Lost',
    'Failed',
    'Finished',
    'Running',
    'Assigned',
    'Starting',
    'Restarting',
    'Draining',
    'Preempting',
    'Killing',
  ],
  Preempting: ['Finished', 'Failed', 'Killing', 'Killed', 'Lost', 'Partitioned'],
  Restarting: ['Finished', 'Failed', 'Killing', 'Killed', 'Lost', 'Partitioned'],
  Draining: ['Finished', 'Failed', 'Killing', 'Killed', 'Lost', 'Partitioned'],
  Killing: ['Finished', 'Failed', 'Killed', 'Lost', 'Partitioned'],
  Finished: [],
  Failed: [],
  Killed: [],
  Lost: [],
};

const TERMINAL = new Set<TaskPhase>(TERMINAL_PHASES);
const ACTIVE = new Set<TaskPhase>(ACTIVE_PHASES);

export function isTerminal(phase: TaskPhase): boolean {
  return TERMINAL.has(phase);
}

export function isActive(phase: TaskPhase): boolean {
  return ACTIVE.has(phase);
}

/** Phases in which something may be running on Mesos, so ending the task needs a kill. */
export function mayBeRunning(phase: TaskPhase): boolean {
  return phase !== 'Pending' && phase !== 'Throttled' && !TERMINAL.has(phase);
}

/** True when Aurora allows `from` → `to`. A "transition" to the same phase is a no-op, allowed. */
export function canTransition(from: TaskPhase, to: TaskPhase): boolean {
  return from === to || ALLOWED[from].includes(to);
}

export function allowedNext(from: TaskPhase): readonly TaskPhase[] {
  return ALLOWED[from];
}
