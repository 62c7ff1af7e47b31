/**
 * RECONCILE, KILL and SHUTDOWN, as Mesos's master does them. Answers come from the master (SOURCE_MASTER,
 * REASON_RECONCILIATION, no uuid). A known task answers with the state of the last update the
 * master forwarded. Tasks on unreachable agents are not "known" (Mesos keeps them apart), so
 * they are answered from the agent's state like unknown tasks, per the reference's table:
 * PARTITION_AWARE frameworks get the precise state, others TASK_LOST. While agents are still
 * recovering after a master restart, unknown tasks on them (or with no agent given) get no
 * answer. KILL of an unknown task is answered exactly like its explicit reconciliation.
 */
import type { CallKill, CallReconcileTask, TaskState, TaskStatus } from '../mesos/types.js';
import type { Master } from './master.js';
import { type FrameworkRecord, isTerminal, type TaskRecord } from './model.js';
import { killOnAgent, makeStatus } from './task-updates.js';

/** The task as reconciliation and KILL see it: not while its agent is unreachable. */
function knownTask(fw: FrameworkRecord, taskId: string): TaskRecord | undefined {
  const task = fw.tasks.get(taskId);
  return task?.unreachableSince === undefined ? task : undefined;
}

function knownTaskAnswer(m: Master, task: TaskRecord): TaskStatus {
  const latest = task.statuses[task.statuses.length - 1];
  return makeStatus(m, task, {
    state: task.statusUpdateState ?? task.masterState,
    source: 'SOURCE_MASTER',
    reason: 'REASON_RECONCILIATION',
    message: 'Reconciliation: Latest task state',
    ...(latest?.healthy === undefined ? {} : { healthy: latest.healthy }),
  });
}

/** The answer for a task the master does not know, or undefined while agents are recovering. */
function unknownTaskAnswer(m: Master, fw: FrameworkRecord, taskId: string, agentId: string | undefined) {
  const agent = agentId === undefined ? undefined : m.agents.get(agentId);
  if (agent !== undefined && m.recoveringAgents.has(agent.id)) return undefined;
  if (agentId === undefined && m.recoveringAgents.size > 0) return undefined; // it could be on any of them
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
  const status = makeStatus(
    m,
    { taskId, agentId: agentId ?? '' },
    {
      state: fw.partitionAware ? state : 'TASK_LOST',
      source: 'SOURCE_MASTER',
      reason: 'REASON_RECONCILIATION',
      message,
    },
  );
  if (agentId === undefined) delete status.agent_id;
  if (agent?.status === 'unreachable' && agent.unreachableSince !== undefined) {
    status.unreachable_time = { nanoseconds: agent.unreachableSince * 1_000_000 };
  }
  return status;
}

export function reconcile(m: Master, fw: FrameworkRecord, tasks: readonly CallReconcileTask[]): void {
  if (tasks.length === 0) {
    const known = [...fw.tasks.values()].filter((t) => t.unreachableSince === undefined);
    sendInBatches(known, 0, (task) => knownTaskAnswer(m, task), m, fw);
    return;
  }
  sendInBatches(tasks, 0, (entry) => explicitAnswer(m, fw, entry), m, fw);
}

function explicitAnswer(m: Master, fw: FrameworkRecord, entry: CallReconcileTask): TaskStatus | undefined {
  const task = knownTask(fw, entry.task_id.value);
  return task !== undefined
    ? knownTaskAnswer(m, task)
    : unknownTaskAnswer(m, fw, entry.task_id.value, entry.agent_id?.value);
}

const ANSWERS_PER_TICK = 1000;

/**
 * Answers for tens of thousands of tasks (implicit, or a large explicit call) go out a thousand
 * per tick, in order, each computed when sent; a small call is answered at once, as before.
 */
function sendInBatches<T>(
  items: readonly T[],
  start: number,
  answer: (item: T) => TaskStatus | undefined,
  m: Master,
  fw: FrameworkRecord,
): void {
  const end = Math.min(items.length, start + ANSWERS_PER_TICK);
  for (let i = start; i < end; i++) {
    const status = answer(items[i]!);
    if (status !== undefined) m.sendMasterUpdate(fw, status);
  }
  if (end < items.length) setImmediate(() => sendInBatches(items, end, answer, m, fw));
}

export function kill(m: Master, fw: FrameworkRecord, call: CallKill): void {
  const task = knownTask(fw, call.task_id.value);
  if (task === undefined) {
    const entry: CallReconcileTask =
      call.agent_id === undefined
        ? { task_id: call.task_id }
        : { task_id: call.task_id, agent_id: call.agent_id };
    reconcile(m, fw, [entry]);
    return;
  }
  if (call.agent_id !== undefined && call.agent_id.value !== task.agentId) return; // Mesos ignores it
  const nanos = call.kill_policy?.grace_period?.nanoseconds;
  const graceMs = nanos === undefined ? undefined : Number(nanos) / 1e6;
  const agent = m.agents.get(task.agentId);
  if (agent === undefined || !agent.networkUp || !agent.processUp) {
    // The message is lost, but the master remembers: the kill is sent again when the agent
    // re-registers (Mesos's killedTasks).
    task.pendingKill = graceMs === undefined ? {} : { graceMs };
    return;
  }
  if (!isTerminal(task.state)) killOnAgent(m, task, graceMs);
}

/**
 * SHUTDOWN of an executor: its tasks are killed at once. A command task's executor id is its
 * task id; a custom executor's is its ExecutorInfo.executor_id.
 */
export function shutdownExecutor(m: Master, fw: FrameworkRecord, agentId: string, executorId: string): void {
  const agent = m.agents.get(agentId);
  if (agent === undefined || !agent.reachable || !agent.networkUp || !agent.processUp) return;
  for (const task of agent.tasks.values()) {
    if (task.frameworkId !== fw.id || isTerminal(task.state)) continue;
    const own = task.info.executor?.executor_id.value ?? task.taskId;
    if (own === executorId) killOnAgent(m, task, 0);
  }
}
