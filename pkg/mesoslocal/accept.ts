/**
 * ACCEPT and DECLINE. Offers are validated first (all must be outstanding, this framework's,
 * on one agent); if any is not, every task in the call is answered TASK_DROPPED (PARTITION_AWARE)
 * or TASK_LOST with REASON_INVALID_OFFERS. Otherwise tasks are validated one by one against what
 * is left of the offered resources (TASK_ERROR, REASON_TASK_INVALID, for a bad one) and launched;
 * the unused rest is filtered for refuse_seconds.
 */
import type { CallAccept, CallDecline, Filters, OfferOperation, TaskInfo } from '../mesos/types.js';
import type { Master } from './master.js';
import { type AgentNode, type FrameworkRecord, type OfferRecord, type TaskRecord, taskKey } from './model.js';
import {
  addResources,
  EMPTY_RESOURCES,
  isEmptyResources,
  type Resources,
  subtractResources,
} from './resources.js';
import { resourcesFromWire } from './resources-wire.js';
import { launchOnAgent, makeStatus } from './task-updates.js';
import { taskError } from './task-validation.js';

function refuseMs(m: Master, filters: Filters | undefined): number {
  const seconds = filters?.refuse_seconds;
  if (seconds === undefined || seconds < 0) return m.options.defaultRefuseSeconds * 1000;
  return seconds * 1000;
}

/** Put resources back on the agent, refusing them to this framework for a while. */
function recoverWithFilter(
  m: Master,
  fw: FrameworkRecord,
  agent: AgentNode,
  res: Resources,
  ms: number,
): void {
  if (ms > 0 && !isEmptyResources(res)) {
    fw.filters.set(agent.id, { resources: res, expiresAt: m.clock.now() + ms });
  }
}

function launchTasks(ops: readonly OfferOperation[]): TaskInfo[] {
  const tasks: TaskInfo[] = [];
  for (const op of ops) {
    if (op.type === 'LAUNCH') tasks.push(...(op.launch?.task_infos ?? []));
    if (op.type === 'LAUNCH_GROUP') tasks.push(...(op.launch_group?.task_group.tasks ?? []));
  }
  return tasks;
}

function offersError(m: Master, fw: FrameworkRecord, ids: readonly string[]): string | undefined {
  if (ids.length === 0) return 'No offers specified';
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) return `Duplicate offer ${id} in offer list`;
    seen.add(id);
  }
  for (const id of ids) if (!m.offers.has(id)) return `Offer ${id} is no longer valid`;
  for (const id of ids) {
    const owner = m.offers.get(id)!.frameworkId;
    if (owner !== fw.id)
      return `Offer ${id} has invalid framework ${owner} while framework ${fw.id} is expected`;
  }
  let agentId: string | undefined;
  for (const id of ids) {
    const offerAgent = m.offers.get(id)!.agentId;
    agentId ??= offerAgent;
    if (offerAgent !== agentId) {
      return `Aggregated offers must belong to one single agent. Offer ${id} uses agent ${offerAgent} and agent ${agentId}`;
    }
  }
  return undefined;
}

export function accept(m: Master, fw: FrameworkRecord, call: CallAccept): void {
  const ids = (call.offer_ids ?? []).map((o) => o.value);
  const tasks = launchTasks(call.operations ?? []);
  const error = offersError(m, fw, ids);
  if (error !== undefined) {
    for (const id of ids) {
      const offer = m.offers.get(id);
      if (offer !== undefined && offer.frameworkId === fw.id) m.removeOffer(offer, { rescind: false });
    }
    for (const info of tasks) {
      m.sendMasterUpdate(
        fw,
        makeStatus(
          m,
          { taskId: info.task_id.value, agentId: info.agent_id.value },
          {
            state: fw.partitionAware ? 'TASK_DROPPED' : 'TASK_LOST',
            source: 'SOURCE_MASTER',
            reason: 'REASON_INVALID_OFFERS',
            message: `Task launched with invalid offers: ${error}`,
          },
        ),
      );
    }
    return;
  }
  const offers = ids.map((id) => m.offers.get(id)).filter((o): o is OfferRecord => o !== undefined);
  const agent = m.agents.get(offers[0]!.agentId)!;
  let pool = EMPTY_RESOURCES;
  for (const offer of offers) {
    pool = addResources(pool, offer.resources);
    m.removeOffer(offer, { rescind: false });
  }
  // The offers' resources are back in the agent's free pool; tasks take theirs out again.
  const launchGroup = (call.operations ?? []).some((op) => op.type === 'LAUNCH_GROUP');
  for (const info of tasks) {
    const problem = launchGroup
      ? 'LAUNCH_GROUP is not supported by mesos-local'
      : taskError(fw, agent, info, pool);
    if (problem !== undefined) {
      m.sendMasterUpdate(
        fw,
        makeStatus(
          m,
          { taskId: info.task_id.value, agentId: info.agent_id.value },
          {
            state: 'TASK_ERROR',
            source: 'SOURCE_MASTER',
            reason: 'REASON_TASK_INVALID',
            message: problem,
          },
        ),
      );
      continue;
    }
    const resources = resourcesFromWire(info.resources).resources;
    pool = subtractResources(pool, resources);
    startTask(m, fw, agent, info, resources);
  }
  recoverWithFilter(m, fw, agent, pool, refuseMs(m, call.filters));
}

function startTask(
  m: Master,
  fw: FrameworkRecord,
  agent: AgentNode,
  info: TaskInfo,
  resources: Resources,
): void {
  const task: TaskRecord = {
    taskId: info.task_id.value,
    frameworkId: fw.id,
    agentId: agent.id,
    info,
    resources,
    state: 'TASK_STAGING',
    masterState: 'TASK_STAGING',
    statusUpdateState: undefined,
    statusUpdateUuid: undefined,
    statuses: [],
    executorStarted: false,
    // A launch for an agent cut off from the master is lost on the way, as in Mesos.
    delivered: agent.networkUp && agent.processUp,
    resourcesReleased: false,
    unreachableSince: undefined,
    killReason: undefined,
    pendingKill: undefined,
    launchedAt: m.clock.now(),
  };
  agent.free = subtractResources(agent.free, resources);
  agent.used = addResources(agent.used, resources);
  fw.tasks.set(task.taskId, task);
  agent.tasks.set(taskKey(fw.id, task.taskId), task);
  if (task.delivered) launchOnAgent(m, task);
}

export function decline(m: Master, fw: FrameworkRecord, call: CallDecline): void {
  const ms = refuseMs(m, call.filters);
  for (const { value } of call.offer_ids ?? []) {
    const offer = m.offers.get(value);
    if (offer === undefined || offer.frameworkId !== fw.id) continue;
    const agent = m.agents.get(offer.agentId);
    m.removeOffer(offer, { rescind: false });
    if (agent !== undefined) recoverWithFilter(m, fw, agent, offer.resources, ms);
  }
}
