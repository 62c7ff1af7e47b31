/**
 * Read-only views of the master for the operator API (GET_AGENTS, GET_TASKS) and for
 * /master/state, in the shapes Mesos answers with.
 */
import type { OperatorAgent, Task } from '../../mesos/types.js';
import type { Master } from '../master.js';
import { MESOS_VERSION } from '../master.js';
import type { AgentNode, FrameworkRecord, TaskRecord } from '../model.js';
import { resourcesToStateJson, resourcesToWire } from '../resources-wire.js';

const nanos = (ms: number) => ({ nanoseconds: ms * 1_000_000 });

export function agentView(agent: AgentNode): OperatorAgent {
  const view: OperatorAgent = {
    agent_info: {
      hostname: agent.hostname,
      port: 5051,
      resources: resourcesToWire(agent.total),
      attributes: [...agent.attributes],
      id: { value: agent.id },
    },
    active: agent.status === 'registered' && agent.drainState === undefined,
    deactivated: agent.drainState !== undefined,
    version: MESOS_VERSION,
    pid: `slave(1)@${agent.ip}:5051`,
    registered_time: nanos(agent.registeredAt),
    total_resources: resourcesToWire(agent.total),
    allocated_resources: resourcesToWire(agent.used),
    offered_resources: resourcesToWire(agent.offered),
    capabilities: [{ type: 'MULTI_ROLE' }, { type: 'AGENT_DRAINING' }],
  };
  if (agent.reregisteredAt !== undefined) view.reregistered_time = nanos(agent.reregisteredAt);
  if (agent.drainState !== undefined) {
    const config: { max_grace_period?: { nanoseconds: number }; mark_gone?: boolean } = {
      mark_gone: agent.drainConfig?.markGone ?? false,
    };
    const grace = agent.drainConfig?.maxGracePeriodSeconds;
    if (grace !== undefined) config.max_grace_period = { nanoseconds: grace * 1e9 };
    view.drain_info = { state: agent.drainState, config };
  }
  return view;
}

export function taskView(task: TaskRecord): Task {
  const view: Task = {
    name: task.info.name,
    task_id: { value: task.taskId },
    framework_id: { value: task.frameworkId },
    agent_id: { value: task.agentId },
    state: task.masterState,
    resources: resourcesToWire(task.resources),
    statuses: [...task.statuses],
  };
  if (task.info.command !== undefined) view.executor_id = { value: '' };
  if (task.statusUpdateState !== undefined) view.status_update_state = task.statusUpdateState;
  if (task.statusUpdateUuid !== undefined) view.status_update_uuid = task.statusUpdateUuid;
  if (task.info.labels !== undefined) view.labels = task.info.labels;
  if (task.info.discovery !== undefined) view.discovery = task.info.discovery;
  if (task.info.health_check !== undefined) view.health_check = task.info.health_check;
  if (task.info.executor !== undefined) view.executor_id = task.info.executor.executor_id;
  else delete view.executor_id;
  return view;
}

export function allTasks(m: Master) {
  const tasks: Task[] = [];
  const unreachable: Task[] = [];
  const completed: Task[] = [];
  for (const fw of m.frameworks.values()) {
    for (const task of fw.tasks.values())
      (task.unreachableSince === undefined ? tasks : unreachable).push(taskView(task));
    for (const task of fw.completedTasks) completed.push(taskView(task));
  }
  return { tasks, unreachable, completed };
}

function stateTask(task: TaskRecord) {
  return {
    id: task.taskId,
    name: task.info.name,
    framework_id: task.frameworkId,
    executor_id: '',
    slave_id: task.agentId,
    state: task.masterState,
    resources: resourcesToStateJson(task.resources),
    statuses: task.statuses.map((s) => ({ state: s.state, timestamp: s.timestamp })),
    labels: task.info.labels?.labels ?? [],
  };
}

function stateFramework(m: Master, fw: FrameworkRecord, active: boolean) {
  return {
    id: fw.id,
    name: fw.info.name,
    user: fw.info.user,
    role: fw.role,
    active,
    connected: fw.connected,
    failover_timeout: fw.info.failover_timeout ?? 0,
    capabilities: (fw.info.capabilities ?? []).map((c) => c.type),
    registered_time: fw.registeredAt / 1000,
    unregistered_time: (fw.unregisteredAt ?? 0) / 1000,
    tasks: [...fw.tasks.values()].filter((t) => t.unreachableSince === undefined).map(stateTask),
    unreachable_tasks: [...fw.tasks.values()].filter((t) => t.unreachableSince !== undefined).map(stateTask),
    completed_tasks: fw.completedTasks.map(stateTask),
    offers: [...fw.offers]
      .map((id) => m.offers.get(id))
      .filter((o) => o !== undefined)
      .map((o) => ({
        id: o.id,
        framework_id: o.frameworkId,
        slave_id: o.agentId,
        resources: resourcesToStateJson(o.resources),
      })),
  };
}

function stateAttributes(agent: AgentNode): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const a of agent.attributes)
    out[a.name] = a.type === 'SCALAR' ? (a.scalar?.value ?? 0) : (a.text?.value ?? '');
  return out;
}

/** GET /master/state, roughly Mesos's shape (slaves, frameworks with their tasks). */
export function masterState(m: Master) {
  const agents = [...m.agents.values()].filter((a) => a.status !== 'removed');
  return {
    version: MESOS_VERSION,
    id: m.ids.masterId,
    pid: `master@${m.options.host}:${m.port}`,
    hostname: m.options.host,
    start_time: m.startedAt / 1000,
    activated_slaves: agents.filter((a) => a.status === 'registered').length,
    deactivated_slaves: agents.filter((a) => a.drainState !== undefined).length,
    unreachable_slaves: agents.filter((a) => a.status === 'unreachable').length,
    slaves: agents.map((a) => ({
      id: a.id,
      hostname: a.hostname,
      pid: `slave(1)@${a.ip}:5051`,
      registered_time: a.registeredAt / 1000,
      resources: resourcesToStateJson(a.total),
      used_resources: resourcesToStateJson(a.used),
      offered_resources: resourcesToStateJson(a.offered),
      unreserved_resources: resourcesToStateJson(a.total),
      attributes: stateAttributes(a),
      active: a.status === 'registered',
      deactivated: a.drainState !== undefined,
      version: MESOS_VERSION,
    })),
    frameworks: [...m.frameworks.values()].map((fw) => stateFramework(m, fw, true)),
    completed_frameworks: [...m.removedFrameworks.values()].map((fw) => stateFramework(m, fw, false)),
    orphan_tasks: [],
    unregistered_frameworks: [],
  };
}
