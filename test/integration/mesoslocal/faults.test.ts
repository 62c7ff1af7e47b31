/**
 * Faults a framework must survive: an agent that stops or is partitioned (TASK_UNREACHABLE /
 * TASK_LOST after the ping timeout, FAILURE, RESCIND), healing (REASON_AGENT_REREGISTERED),
 * dropped and delayed status updates (re-sent until acknowledged), and a master restart.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FrameworkInfo, TaskStatus } from '../../../pkg/mesos/types.js';
import { type MesosLocal, startMesosLocal } from '../../../pkg/mesoslocal/index.js';
import { accountingErrors } from './accounting.js';
import {
  FRAMEWORK,
  isType,
  isUpdate,
  launchCall,
  nextOffers,
  rawPost,
  type Subscription,
  sleep,
  subscribe,
  takeOffers,
  taskInfo,
  updatesFor,
  withCapabilities,
} from './raw-client.js';

let master: MesosLocal;
const subs: Subscription[] = [];

beforeEach(async () => {
  master = await startMesosLocal({
    agents: 1,
    allocationIntervalMs: 20,
    statusUpdateRetryMs: 100,
    agentPingTimeoutMs: 150,
  });
});
afterEach(async () => {
  for (const s of subs.splice(0)) s.close();
  // Whatever happened in the test, the master's resource books must balance.
  const errors = accountingErrors(master.state.agents.values());
  await master.stop();
  expect(errors).toEqual([]);
});

async function framework(info: FrameworkInfo = FRAMEWORK, frameworkId?: string): Promise<Subscription> {
  const sub = await subscribe(master.url, info, frameworkId === undefined ? {} : { frameworkId });
  subs.push(sub);
  return sub;
}

const ack = (sub: Subscription, s: TaskStatus) =>
  sub.call('ACKNOWLEDGE', { acknowledge: { agent_id: s.agent_id, task_id: s.task_id, uuid: s.uuid } });

/** Launch a task and acknowledge it up to RUNNING; returns the agent id. */
async function running(sub: Subscription, id: string): Promise<string> {
  const offer = (await takeOffers(sub))[0]!;
  await sub.call('ACCEPT', launchCall([offer], [taskInfo(offer, id)], 0));
  await ack(sub, (await sub.waitFor(isUpdate(id, 'TASK_STARTING'))).update!.status);
  await ack(sub, (await sub.waitFor(isUpdate(id, 'TASK_RUNNING'))).update!.status);
  return offer.agent_id.value;
}

describe('agent loss', () => {
  it.each([
    ['PARTITION_AWARE', withCapabilities('PARTITION_AWARE'), 'TASK_UNREACHABLE'],
    ['not partition-aware', FRAMEWORK, 'TASK_LOST'],
  ] as const)(
    'a partitioned agent: %s framework gets %s after the ping timeout, then REREGISTERED on heal',
    async (_n, info, lostState) => {
      const sub = await framework(info);
      const agentId = await running(sub, 'p1');
      await takeOffers(sub); // an outstanding offer, to be rescinded
      const mark = sub.events.length;
      master.faults.partitionAgent(agentId);
      await sleep(60);
      expect(sub.events.slice(mark).some((e) => e.type === 'UPDATE')).toBe(false); // not yet
      const lost = (await sub.waitFor(isUpdate('p1', lostState), 2000, mark)).update!.status;
      expect(lost.reason).toBe('REASON_AGENT_REMOVED');
      expect(lost.source).toBe('SOURCE_MASTER');
      expect(lost.uuid).toBeUndefined();
      expect(lost.unreachable_time?.nanoseconds).toBeDefined();
      const agents = JSON.parse((await rawPost(master.url, '/api/v1', '{"type":"GET_AGENTS"}')).body);
      expect(agents.get_agents.agents).toEqual([]); // Mesos lists registered agents only
      const failure = await sub.waitFor(isType('FAILURE'), 1000, mark);
      expect(failure.failure?.agent_id?.value).toBe(agentId);
      expect(sub.events.slice(mark).some((e) => e.type === 'RESCIND')).toBe(true);

      const healMark = sub.events.length;
      master.faults.healAgent(agentId);
      const back = (await sub.waitFor(isUpdate('p1', 'TASK_RUNNING'), 1000, healMark)).update!.status;
      expect(back.reason).toBe('REASON_AGENT_REREGISTERED');
      expect(back.message).toBe('Unreachable agent re-reregistered');
      expect(back.source).toBe('SOURCE_MASTER');
      expect(back.uuid).toBeUndefined();
      await nextOffers(sub, healMark); // the agent is offered again
    },
  );

  it('re-sends a KILL the cut-off agent missed once it is back (Mesos keeps killed tasks)', async () => {
    const sub = await framework(withCapabilities('PARTITION_AWARE'));
    const agentId = await running(sub, 'q1');
    master.faults.partitionAgent(agentId);
    expect((await sub.call('KILL', { kill: { task_id: { value: 'q1' } } })).status).toBe(202);
    await sleep(50);
    expect(updatesFor(sub, 'q1').some((s) => s.state === 'TASK_KILLED')).toBe(false);
    master.faults.healAgent(agentId); // before the ping timeout: no REREGISTERED announcements
    await sub.waitFor(isUpdate('q1', 'TASK_KILLED'));
    expect(updatesFor(sub, 'q1').some((s) => s.reason === 'REASON_AGENT_REREGISTERED')).toBe(false);
  });

  it('delivers an update the agent queued while partitioned once it heals', async () => {
    const sub = await framework(withCapabilities('PARTITION_AWARE'));
    const offer = (await takeOffers(sub))[0]!;
    const task = taskInfo(offer, 'q2', { labels: { labels: [{ key: 'sim.exit_after_ms', value: '80' }] } });
    await sub.call('ACCEPT', launchCall([offer], [task], 0));
    await ack(sub, (await sub.waitFor(isUpdate('q2', 'TASK_STARTING'))).update!.status);
    await ack(sub, (await sub.waitFor(isUpdate('q2', 'TASK_RUNNING'))).update!.status);
    master.faults.partitionAgent(offer.agent_id.value);
    await sub.waitFor(isUpdate('q2', 'TASK_UNREACHABLE'), 2000);
    expect(updatesFor(sub, 'q2').some((s) => s.state === 'TASK_FINISHED')).toBe(false);
    master.faults.healAgent(offer.agent_id.value);
    // First the master announces the agent's view (as Mesos does on re-registration)...
    const announced = (await sub.waitFor(isUpdate('q2', 'TASK_FINISHED'), 1000)).update!.status;
    expect(announced.reason).toBe('REASON_AGENT_REREGISTERED');
    // ...then the agent's own queued update arrives, reliable, to be acknowledged.
    const queued = (
      await sub.waitFor(
        (e) =>
          e.update?.status.task_id.value === 'q2' &&
          e.update.status.uuid !== undefined &&
          e.update.status.state === 'TASK_FINISHED',
        1000,
      )
    ).update!.status;
    expect(queued.source).toBe('SOURCE_EXECUTOR');
  });

  it('a launch sent while the agent is cut off never starts; on healing it is TASK_DROPPED', async () => {
    const sub = await framework(withCapabilities('PARTITION_AWARE'));
    const offer = (await takeOffers(sub))[0]!;
    master.faults.partitionAgent(offer.agent_id.value);
    expect((await sub.call('ACCEPT', launchCall([offer], [taskInfo(offer, 'undelivered')]))).status).toBe(
      202,
    );
    await sleep(60);
    expect(updatesFor(sub, 'undelivered')).toEqual([]);
    master.faults.healAgent(offer.agent_id.value);
    const dropped = (await sub.waitFor(isUpdate('undelivered', 'TASK_DROPPED'))).update!.status;
    // The agent, asked by the master about a task it never received, answers it reliably.
    expect(dropped.source).toBe('SOURCE_AGENT');
    expect(dropped.reason).toBe('REASON_RECONCILIATION');
    expect(dropped.message).toBe('Reconciliation: task unknown to the agent');
    expect(dropped.uuid).toBeDefined();
  });

  it('a stopped agent with killTasks: unreachable, then the tasks are reported gone when it restarts', async () => {
    const sub = await framework(withCapabilities('PARTITION_AWARE'));
    const agentId = await running(sub, 's1');
    const res = await rawPost(
      master.url,
      `/faults/agents/${agentId}/stop`,
      JSON.stringify({ killTasks: true }),
    );
    expect(res.status).toBe(200);
    await sub.waitFor(isUpdate('s1', 'TASK_UNREACHABLE'), 2000);
    await rawPost(master.url, `/faults/agents/${agentId}/start`, '');
    const gone = (await sub.waitFor(isUpdate('s1', 'TASK_GONE'), 2000)).update!.status;
    expect(gone.reason).toBe('REASON_AGENT_RESTARTED');
    expect(gone.uuid).toBeDefined();
  });

  it('a quick agent restart is invisible to the framework', async () => {
    const sub = await framework();
    const agentId = await running(sub, 'r1');
    const mark = sub.events.length;
    master.faults.restartAgent(agentId);
    await sleep(250);
    expect(sub.events.slice(mark).some((e) => e.type === 'UPDATE' || e.type === 'FAILURE')).toBe(false);
  });
});

describe('status update faults', () => {
  it('re-sends a dropped update until it gets through', async () => {
    const sub = await framework();
    const offer = (await takeOffers(sub))[0]!;
    master.faults.dropStatusUpdates(1);
    await sub.call('ACCEPT', launchCall([offer], [taskInfo(offer, 'd1')]));
    await sleep(40);
    expect(updatesFor(sub, 'd1')).toHaveLength(0);
    await sub.waitFor(isUpdate('d1', 'TASK_STARTING'), 1000);
  });

  it('delays updates by the configured time', async () => {
    const sub = await framework();
    const offer = (await takeOffers(sub))[0]!;
    await rawPost(master.url, '/faults/status-updates', JSON.stringify({ delayMs: 200 }));
    const sent = Date.now();
    await sub.call('ACCEPT', launchCall([offer], [taskInfo(offer, 'd2')]));
    await sub.waitFor(isUpdate('d2', 'TASK_STARTING'), 1000);
    expect(Date.now() - sent).toBeGreaterThanOrEqual(190);
  });
});

describe('master restart', () => {
  it('closes every stream; the framework re-subscribes with its id and finds its tasks', async () => {
    const sub = await framework();
    await running(sub, 'm1');
    const oldMaster = master.state.masterId;
    master.faults.restartMaster({ keepState: true });
    await sub.ended;
    const again = await framework(FRAMEWORK, sub.frameworkId);
    const subscribed = (await again.waitFor(isType('SUBSCRIBED'))).subscribed!;
    expect(subscribed.master_info?.id).not.toBe(oldMaster);
    await again.call('RECONCILE', { reconcile: { tasks: [{ task_id: { value: 'm1' } }] } });
    const answer = (await again.waitFor(isUpdate('m1', 'TASK_RUNNING'))).update!.status;
    expect(answer.reason).toBe('REASON_RECONCILIATION');
  });

  it('answers 503 "Master has not finished recovery" during the recovery window', async () => {
    const slow = await startMesosLocal({ agents: 1, masterRecoveryMs: 200 });
    try {
      slow.faults.restartMaster();
      const during = await rawPost(slow.url, '/api/v1/scheduler', JSON.stringify({ type: 'SUBSCRIBE' }));
      expect(during.status).toBe(503);
      expect(during.body).toBe('Master has not finished recovery');
      await sleep(250);
      const sub = await subscribe(slow.url, FRAMEWORK);
      expect(sub.status).toBe(200);
      sub.close();
    } finally {
      await slow.stop();
    }
  });

  it('after a state-losing restart, adopts the tasks of a framework that re-subscribes with its id', async () => {
    const sub = await framework();
    await running(sub, 'm2');
    master.faults.restartMaster({ keepState: false });
    await sub.ended;
    const again = await framework(FRAMEWORK, sub.frameworkId);
    await again.waitFor(isType('SUBSCRIBED'));
    await again.call('RECONCILE', { reconcile: { tasks: [] } });
    await again.waitFor(isUpdate('m2', 'TASK_RUNNING'));
  });
});
