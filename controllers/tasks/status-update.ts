/**
 * A Mesos status update → the Task's next status, pure. Follows the Aurora mapping and state
 * machine; keeps a bounded event history; a RUNNING/STARTING report for a task Borealis considers
 * finished (or is killing) asks for a kill instead of resurrecting it.
 */

import { MAX_TASK_EVENTS, type Task, type TaskEvent, type TaskStatus } from '../../api/v1/task.js';
import type { TaskStatus as MesosTaskStatus } from '../../pkg/mesos/types.js';
import { canTransition, isTerminal, type MesosTaskState, phaseForUpdate } from '../../pkg/taskstate/index.js';

export interface UpdateOutcome {
  /** The new status to write, or undefined when nothing changes. */
  readonly status?: TaskStatus;
  /** Mesos reports the task alive but Borealis wants it gone: send a kill. */
  readonly kill: boolean;
}

export function appendEvent(events: readonly TaskEvent[] | undefined, event: TaskEvent): TaskEvent[] {
  const next = [...(events ?? []), event];
  return next.length > MAX_TASK_EVENTS ? next.slice(next.length - MAX_TASK_EVENTS) : next;
}

/** Move a status to a new phase, stamping the times a user reads. */
export function withPhase(
  status: TaskStatus,
  phase: NonNullable<TaskStatus['phase']>,
  nowIso: string,
  message?: string,
): TaskStatus {
  const next: TaskStatus = {
    ...status,
    phase,
    lastTransitionTime: nowIso,
    events: appendEvent(status.events, { time: nowIso, phase, ...(message ? { message } : {}) }),
  };
  if (phase === 'Assigned' && !status.assignedAt) next.assignedAt = nowIso;
  if (phase === 'Running' && !status.startedAt) next.startedAt = nowIso;
  if (isTerminal(phase)) next.finishedAt = nowIso;
  if (message !== undefined) next.message = message;
  return next;
}

export function applyMesosUpdate(task: Task, update: MesosTaskStatus, nowIso: string): UpdateOutcome {
  const status: TaskStatus = task.status ?? {};
  const current = status.phase ?? 'Pending';
  const state = update.state as MesosTaskState;
  const alive = state === 'TASK_RUNNING' || state === 'TASK_STARTING' || state === 'TASK_STAGING';
  if (isTerminal(current)) return { kill: alive };
  const next = phaseForUpdate(current, state);
  const details: TaskStatus = {
    ...status,
    mesosState: state,
    ...(update.reason ? { reason: update.reason } : {}),
    ...(update.message ? { message: update.message } : {}),
    ...(update.healthy !== undefined ? { healthy: update.healthy } : {}),
    ...(update.agent_id ? { agentId: update.agent_id.value } : {}),
  };
  if (next === undefined || !canTransition(current, next)) {
    // Same phase (or an edge Aurora forbids, e.g. Killing → Running): keep details fresh only.
    // A reconciliation answer only confirms the state: its reason and message ("Reconciliation:
    // Latest task state") say nothing about the task, and writing them rewrote every Task on
    // each (re)subscribe — most of a resync's time at 30,000 tasks.
    const confirmation = update.reason === 'REASON_RECONCILIATION';
    const changed =
      details.mesosState !== status.mesosState ||
      details.healthy !== status.healthy ||
      details.agentId !== status.agentId ||
      (!confirmation && (details.reason !== status.reason || details.message !== status.message));
    return { ...(changed ? { status: details } : {}), kill: current === 'Killing' && alive };
  }
  return { status: withPhase(details, next, nowIso, update.message), kill: false };
}
