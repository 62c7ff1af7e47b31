/** Mesos task states as Aurora reads them (see aurora-semantics.md, "Task states and transitions"). */
import type { MESOS_TASK_STATES, TaskPhase } from '../../api/v1/task.js';

export type MesosTaskState = (typeof MESOS_TASK_STATES)[number];

const PHASE_OF: Readonly<Record<MesosTaskState, TaskPhase>> = {
  TASK_STAGING: 'Starting',
  TASK_STARTING: 'Starting',
  TASK_RUNNING: 'Running',
  TASK_FINISHED: 'Finished',
  TASK_FAILED: 'Failed',
  TASK_KILLED: 'Killed',
  TASK_KILLING: 'Killed',
  TASK_ERROR: 'Lost',
  TASK_DROPPED: 'Lost',
  TASK_GONE: 'Lost',
  TASK_GONE_BY_OPERATOR: 'Lost',
  TASK_LOST: 'Lost',
  TASK_UNREACHABLE: 'Partitioned',
  TASK_UNKNOWN: 'Partitioned',
};

/**
 * The phase a Mesos state means. TASK_KILLING maps to Killed in Aurora's table, but a task that
 * is merely being killed is still running: callers treat KILLING as "stay in Killing" (see
 * phaseForUpdate) rather than ending the task early.
 */
export function phaseOfMesosState(state: MesosTaskState): TaskPhase {
  return PHASE_OF[state];
}

/**
 * The phase a task should move to on a Mesos update, or undefined to stay where it is. A task
 * Borealis is killing stays Killing through TASK_KILLING and through RUNNING re-sends; any other
 * phase follows the mapping.
 */
export function phaseForUpdate(current: TaskPhase, state: MesosTaskState): TaskPhase | undefined {
  if (state === 'TASK_KILLING') return current === 'Killing' ? undefined : 'Killing';
  const next = PHASE_OF[state];
  if (next === current) return undefined;
  if (
    (current === 'Killing' ||
      current === 'Preempting' ||
      current === 'Restarting' ||
      current === 'Draining') &&
    (next === 'Running' || next === 'Starting')
  ) {
    return undefined;
  }
  return next;
}
