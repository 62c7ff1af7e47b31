/**
 * Framework lifecycle: SUBSCRIBE (new, failover, re-subscribe after a master restart), the
 * stream closing (failover timeout starts), removal (teardown or timeout: tasks killed, the id
 * may never subscribe again) and UPDATE_FRAMEWORK.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FrameworkInfo } from '../mesos/types.js';
import { EventStream } from './event-stream.js';
import type { Master } from './master.js';
import { FrameworkRecord, isTerminal, type TaskRecord } from './model.js';

/** Answer a SUBSCRIBE whose framework was removed: ERROR on a fresh stream, then close it. */
function refuseRemoved(m: Master, res: ServerResponse): void {
  const stream = openStream(m, res);
  stream.send({ type: 'ERROR', error: { message: 'Framework has been removed' } });
  stream.close();
}

function openStream(m: Master, res: ServerResponse): EventStream {
  const streamId = randomUUID();
  res.writeHead(200, { 'Content-Type': 'application/json', 'Mesos-Stream-Id': streamId });
  return new EventStream(streamId, res, m.clock, m.options.heartbeatIntervalSeconds * 1000);
}

export function subscribe(
  m: Master,
  info: FrameworkInfo,
  res: ServerResponse,
  suppressedRoles: readonly string[] = [],
): void {
  const requestedId = info.id?.value;
  if (requestedId !== undefined && m.removedFrameworks.has(requestedId)) {
    refuseRemoved(m, res);
    return;
  }
  let framework = requestedId === undefined ? undefined : m.frameworks.get(requestedId);
  const now = m.clock.now();
  if (framework === undefined) {
    const id = requestedId ?? m.ids.framework();
    framework = new FrameworkRecord(id, { ...info, id: { value: id } }, now);
    if (requestedId !== undefined) framework.reregisteredAt = now;
    m.frameworks.set(id, framework);
    adoptOrphans(m, framework);
  } else {
    failover(m, framework, info);
  }
  const stream = openStream(m, res);
  framework.connection = stream;
  // SUBSCRIBE may start the framework suppressed (offers only after REVIVE).
  framework.suppressed = suppressedRoles.includes(framework.role);
  framework.unregisteredAt = undefined;
  const fw = framework;
  stream.onClose(() => disconnected(m, fw, stream));
  stream.send(
    {
      type: 'SUBSCRIBED',
      subscribed: {
        framework_id: { value: fw.id },
        heartbeat_interval_seconds: m.options.heartbeatIntervalSeconds,
        master_info: m.masterInfo(),
      },
    },
    { type: 'HEARTBEAT' },
  );
  stream.startHeartbeats();
  // Agents the other frameworks refused may suit this one.
  m.reconsiderAllAgents();
  m.log.info({ frameworkId: fw.id, name: fw.info.name }, 'framework subscribed');
  // Updates held while the framework was away go out now, not at the next retry.
  for (const manager of m.updateManagers.values()) manager.flush(fw.id);
}

/** The same framework subscribing again: the old stream is told and closed, its offers dropped. */
function failover(m: Master, framework: FrameworkRecord, info: FrameworkInfo): void {
  framework.failoverTimer?.cancel();
  framework.failoverTimer = undefined;
  const old = framework.connection;
  framework.connection = undefined;
  if (old?.isOpen) {
    old.send({ type: 'ERROR', error: { message: 'Framework failed over' } });
    old.close();
  }
  framework.info = { ...info, id: { value: framework.id } };
  framework.reregisteredAt = m.clock.now();
  // Outstanding offers are recovered without RESCIND; new offers follow in the next round.
  dropOffers(m, framework);
}

function dropOffers(m: Master, framework: FrameworkRecord): void {
  for (const id of [...framework.offers]) {
    const offer = m.offers.get(id);
    if (offer !== undefined) m.removeOffer(offer, { rescind: false });
  }
  for (const id of framework.inverseOffers.values()) m.inverseOffers.delete(id);
  framework.inverseOffers.clear();
}

function disconnected(m: Master, framework: FrameworkRecord, stream: EventStream): void {
  if (framework.connection !== stream) return; // an older stream, already replaced
  framework.connection = undefined;
  framework.unregisteredAt = m.clock.now();
  dropOffers(m, framework);
  m.log.info(
    { frameworkId: framework.id, failoverTimeoutMs: framework.failoverTimeoutMs },
    'framework disconnected',
  );
  framework.failoverTimer = m.clock.setTimeout(() => {
    framework.failoverTimer = undefined;
    if (!framework.connected && m.frameworks.get(framework.id) === framework) removeFramework(m, framework);
  }, framework.failoverTimeoutMs);
}

/** Remove a framework: kill its tasks, drop its offers, close its stream; its id is retired. */
export function removeFramework(m: Master, framework: FrameworkRecord): void {
  framework.failoverTimer?.cancel();
  framework.failoverTimer = undefined;
  dropOffers(m, framework);
  const stream = framework.connection;
  framework.connection = undefined;
  stream?.close();
  const tasks = [...framework.tasks.values()];
  // Off the books at once (resources free, ids unknown); the kills themselves go out in slices
  // so a framework with tens of thousands of tasks does not stall the event loop.
  for (const task of tasks) m.forgetTask(task);
  killInSlices(m, tasks);
  m.frameworks.delete(framework.id);
  framework.unregisteredAt = m.clock.now();
  m.removedFrameworks.set(framework.id, framework);
  m.log.info({ frameworkId: framework.id }, 'framework removed');
}

const KILL_SLICE = 1000;

function killInSlices(m: Master, tasks: readonly TaskRecord[], start = 0): void {
  for (const task of tasks.slice(start, start + KILL_SLICE)) {
    if (isTerminal(task.state)) continue;
    // The task is already forgotten: the executor's reports are ignored, only the process dies.
    task.state = 'TASK_KILLED';
    m.executors.get(task.agentId)?.kill(task.taskId);
  }
  if (start + KILL_SLICE < tasks.length) setImmediate(() => killInSlices(m, tasks, start + KILL_SLICE));
}

/** UPDATE_FRAMEWORK: take the new FrameworkInfo (capabilities, roles, failover_timeout...). */
export function updateFramework(
  framework: FrameworkRecord,
  info: FrameworkInfo,
  suppressedRoles: readonly string[] = [],
): void {
  framework.info = { ...info, id: { value: framework.id } };
  framework.suppressed = suppressedRoles.includes(framework.role);
}

function adoptOrphans(m: Master, framework: FrameworkRecord): void {
  const orphans = m.orphanTasks.get(framework.id);
  if (orphans === undefined) return;
  m.orphanTasks.delete(framework.id);
  for (const task of orphans) framework.tasks.set(task.taskId, task);
}
