/**
 * RECONCILE and KILL. Reconciliation answers come from the master (SOURCE_MASTER,
 * REASON_RECONCILIATION, no uuid): a known task answers with the state of the last update the
 * master forwarded; an unknown one is answered from what the master knows of the agent, per the
 * table in the reference (PARTITION_AWARE frameworks get the precise state, others TASK_LOST).
 * KILL of an unknown task is answered exactly like its explicit reconciliation.
 */
import type { CallKill, CallReconcileTask, TaskState, TaskStatus } from '../mesos/types.js';
import type { Master } from './master.js';
import { type FrameworkRecord, isTerminal, type TaskRecord } from './model.js';
import { killOnAgent, makeStatus } from './task-updates.js';

function knownTaskAnswer(m: Master, task: TaskRecord): TaskStatus {
  const latest = task.statuses[task.statuses.length - 1];
  const status = makeStatus(m, task, {
    state: task.statusUpdateState ?? task.masterState,
    source: 'SOURCE_MASTER',
    reason: 'REASON_RECONCILIATION',
    message: 'Reconciliation: Latest task state',
    ...(latest?.healthy === undefined ? {} : { healthy: latest.healthy }),
  });
  if (task.unreachableSince !== undefined) {
    status.unreachable_time = { nanoseconds: task.unreachableSince * 1_000_000 };
  }
  return status;
}

/** The answer for a task the master does not know, or undefined while its agent is recovering. */
function unknownTaskAnswer(m: Master, fw: FrameworkRecord, taskId: string, agentId: string | undefined) {
  const agent = agentId === undefined ? undefined : m.agents.get(agentId);
  if (agent !== undefined && m.recoveringAgents.has(agent.id)) return undefined;
  let state: TaskState;
  let message: string;
  if (agent === undefined) {
    state = 'TASK_UNKNOWN';
    message = 'Reconciliation: Task is unknown';
  } else if (agent.status === 'registered') {
    state = 'TASK_GONE';
    message = 'Reconciliation: Task is unknown to the agent';
  } else if (agent.status === 'unreachable') {
    state = 'TASK_UNREACHABLE';
    message = 'Reconciliation: Task is unreachable';
  } else {
    state = 'TASK_GONE_BY_OPERATOR';
    message = 'Reconciliation: Task is gone';
  }
  return makeStatus(
    m,
    { taskId, agentId: agentId ?? '' },
    {
      state: fw.partitionAware ? state : 'TASK_LOST',
      source: 'SOURCE_MASTER',
      reason: 'REASON_RECONCILIATION',
      message,
    },
  );
}

function withoutEmptyAgent(status: TaskStatus): TaskStatus {
  if (status.agent_id?.value === '') delete status.agent_id;
  return status;
}

export function reconcile(m: Master, fw: FrameworkRecord, tasks: readonly CallReconcileTask[]): void {
  if (tasks.length === 0) {
    for (const task of fw.tasks.values()) m.sendMasterUpdate(fw, knownTaskAnswer(m, task));
    return;
  }
  for (const entry of tasks) {
    const task = fw.tasks.get(entry.task_id.value);
    if (task !== undefined) {
      m.sendMasterUpdate(fw, knownTaskAnswer(m, task));
      continue;
    }
    const answer = unknownTaskAnswer(m, fw, entry.task_id.value, entry.agent_id?.value);
    if (answer !== undefined) m.sendMasterUpdate(fw, withoutEmptyAgent(answer));
  }
}

export function kill(m: Master, fw: FrameworkRecord, call: CallKill): void {
  const task = fw.tasks.get(call.task_id.value);
  if (task === undefined) {
    const entry: CallReconcileTask =
      call.agent_id === undefined
        ? { task_id: call.task_id }
        : { task_id: call.task_id, agent_id: call.agent_id };
    reconcile(m, fw, [entry]);
    return;
  }
  if (call.agent_id !== undefined && call.agent_id.value !== task.agentId) return; // Mesos ignores it
  if (isTerminal(task.state)) return;
  const agent = m.agents.get(task.agentId);
  // An agent the master cannot reach never hears of the kill (Mesos drops the message too).
  if (agent === undefined || !agent.reachable || !agent.networkUp || !agent.processUp) return;
  const nanos = call.kill_policy?.grace_period?.nanoseconds;
  killOnAgent(m, task, nanos === undefined ? undefined : Number(nanos) / 1e6);
}
