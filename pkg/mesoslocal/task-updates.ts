/**
 * Task status updates from executor to scheduler: the agent stamps each executor report with a
 * uuid and queues it in its update manager; the master forwards the head to the framework
 * (recording it as the task's status_update_state) and forgets the task once its terminal
 * update is acknowledged. Also launching and killing tasks on their agent.
 */
import type { TaskState, TaskStatus, TaskStatusReason, TaskStatusSource } from '../mesos/types.js';
import { taskSpec } from './agents.js';
import { noteDrainProgress } from './drain.js';
import type { ExecutorReport } from './executors/types.js';
import { newUpdateUuid } from './ids.js';
import type { Master } from './master.js';
import { type FrameworkRecord, isTerminal, type TaskRecord, taskKey } from './model.js';

export interface StatusFields {
  readonly state: TaskState;
  readonly source: TaskStatusSource;
  readonly reason?: TaskStatusReason;
  readonly message?: string;
  readonly healthy?: boolean;
  readonly uuid?: string;
}

/** A TaskStatus for `task` with the common fields in Mesos's order. */
export function makeStatus(
  m: Master,
  task: { taskId: string; agentId: string },
  f: StatusFields,
): TaskStatus {
  const status: TaskStatus = { task_id: { value: task.taskId }, state: f.state };
  if (f.message !== undefined) status.message = f.message;
  status.source = f.source;
  if (f.reason !== undefined) status.reason = f.reason;
  status.agent_id = { value: task.agentId };
  if (f.source === 'SOURCE_EXECUTOR') status.executor_id = { value: task.taskId };
  status.timestamp = m.nowSeconds();
  if (f.uuid !== undefined) status.uuid = f.uuid;
  if (f.healthy !== undefined) status.healthy = f.healthy;
  return status;
}

/** Start a task on its agent's executor (the task is already on the books in STAGING). */
export function launchOnAgent(m: Master, task: TaskRecord): void {
  const agent = m.agents.get(task.agentId);
  const executor = m.executors.get(task.agentId);
  if (agent === undefined || executor === undefined) return;
  executor.launch(taskSpec(m, task, agent), (report) => onExecutorReport(m, task, report));
}

function onExecutorReport(m: Master, task: TaskRecord, report: ExecutorReport): void {
  // A task already terminal (killed during launch, agent restarted) ignores late executor news.
  if (isTerminal(task.state)) return;
  // A task the master already forgot (its framework was removed) has nobody to tell.
  if (m.agents.get(task.agentId)?.tasks.get(taskKey(task.frameworkId, task.taskId)) !== task) return;
  task.executorStarted = true;
  const framework = m.frameworks.get(task.frameworkId) ?? m.removedFrameworks.get(task.frameworkId);
  // The command executor sends TASK_KILLING only to frameworks that understand it.
  if (report.state === 'TASK_KILLING' && framework?.hasCapability('TASK_KILLING_STATE') !== true) return;
  const killed = report.state === 'TASK_KILLED' || report.state === 'TASK_KILLING';
  // The agent overrides the reason of kills it caused (draining); DRAIN_AGENT with mark_gone
  // reports the task gone by operator to partition-aware frameworks, as Mesos's agent does.
  const reason = killed && task.killReason !== undefined ? task.killReason : report.reason;
  const agent = m.agents.get(task.agentId);
  const gone =
    killed &&
    task.killReason === 'REASON_AGENT_DRAINING' &&
    agent?.drainConfig?.markGone === true &&
    framework?.partitionAware === true;
  const fields: StatusFields = {
    state: gone ? 'TASK_GONE_BY_OPERATOR' : report.state,
    source: 'SOURCE_EXECUTOR',
    uuid: newUpdateUuid(),
    ...(reason === undefined ? {} : { reason: reason as TaskStatusReason }),
    ...(report.message === undefined ? {} : { message: report.message }),
    ...(report.healthy === undefined ? {} : { healthy: report.healthy }),
  };
  agentUpdate(m, task, fields);
}

/** The agent records a new state for the task and queues a reliable update for it. */
export function agentUpdate(m: Master, task: TaskRecord, fields: StatusFields): void {
  task.state = fields.state;
  const status = makeStatus(m, task, { ...fields, uuid: fields.uuid ?? newUpdateUuid() });
  m.updateManagers.get(task.agentId)?.enqueue(task, status);
  if (isTerminal(fields.state)) {
    m.releaseTaskResources(task);
    noteDrainProgress(m, task.agentId);
  }
}

/** The master receives the head of a task's update stream from its agent. */
export function forwardAgentUpdate(m: Master, task: TaskRecord, status: TaskStatus): void {
  task.masterState = task.state; // the update carries the agent's latest state
  const framework = m.frameworks.get(task.frameworkId);
  if (framework === undefined || !framework.connected) return; // held on the agent, re-sent later
  task.statusUpdateState = status.state;
  task.statusUpdateUuid = status.uuid;
  if (task.statuses[task.statuses.length - 1]?.uuid !== status.uuid) task.statuses.push(status);
  if (m.faults.dropNext > 0) {
    m.faults.dropNext--;
    return; // lost on the way; the agent's retry brings it back
  }
  const event = { type: 'UPDATE' as const, update: { status } };
  if (m.faults.delayMs > 0) m.clock.setTimeout(() => m.send(framework, event), m.faults.delayMs);
  else m.send(framework, event);
}

/** ACKNOWLEDGE: pop the head of the task's stream; forget the task after its terminal update. */
export function acknowledge(
  m: Master,
  framework: FrameworkRecord,
  agentId: string,
  taskId: string,
  uuid: string,
): void {
  const agent = m.agents.get(agentId);
  // An ack for an agent the master cannot reach is lost; the update will be re-sent.
  if (agent === undefined || !agent.reachable || !agent.networkUp || !agent.processUp) return;
  const acked = m.updateManagers.get(agentId)?.acknowledge(framework.id, taskId, uuid);
  if (acked === undefined) return;
  const task = framework.tasks.get(taskId);
  if (task !== undefined && isTerminal(acked.state)) m.forgetTask(task);
}

/** Kill a task on its agent. Before the executor reported anything it is a kill during launch. */
export function killOnAgent(m: Master, task: TaskRecord, gracePeriodMs?: number): void {
  if (isTerminal(task.state)) return;
  const executor = m.executors.get(task.agentId);
  if (!task.executorStarted) {
    // Terminal first, so whatever the executor reports while stopping it is ignored.
    agentUpdate(m, task, {
      state: 'TASK_KILLED',
      source: 'SOURCE_AGENT',
      reason: 'REASON_TASK_KILLED_DURING_LAUNCH',
      message: 'Killed before delivery to the executor',
    });
    executor?.kill(task.taskId, 0);
    return;
  }
  executor?.kill(task.taskId, gracePeriodMs);
}
