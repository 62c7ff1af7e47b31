/**
 * Task lifecycle as a framework sees it: STARTING then RUNNING (no STAGING), reliable updates
 * re-sent until acknowledged, kills with and without TASK_KILLING, SHUTDOWN, stale offers,
 * invalid tasks and health checks. Offers and filters are in offers.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TaskStatus } from '../../../pkg/mesos/types.js';
import { type MesosLocal, startMesosLocal } from '../../../pkg/mesoslocal/index.js';
import { accountingErrors } from './accounting.js';
import {
  FRAMEWORK,
  isUpdate,
  launchCall,
  type Subscription,
  scalar,
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
  master = await startMesosLocal({ agents: 1, allocationIntervalMs: 20, statusUpdateRetryMs: 100 });
});
afterEach(async () => {
  for (const s of subs.splice(0)) s.close();
  // Whatever happened in the test, the master's resource books must balance.
  const errors = accountingErrors(master.state.agents.values());
  await master.stop();
  expect(errors).toEqual([]);
});

async function framework(info = FRAMEWORK): Promise<Subscription> {
  const sub = await subscribe(master.url, info);
  subs.push(sub);
  return sub;
}

const ack = (sub: Subscription, status: TaskStatus) =>
  sub.call('ACKNOWLEDGE', {
    acknowledge: { agent_id: status.agent_id, task_id: status.task_id, uuid: status.uuid },
  });

async function launch(sub: Subscription, id: string, extra = {}) {
  const offer = (await takeOffers(sub))[0]!;
  const res = await sub.call('ACCEPT', launchCall([offer], [taskInfo(offer, id, extra)]));
  expect(res.status).toBe(202);
  return offer;
}

describe('launch', () => {
  it('sends STARTING then RUNNING from the executor, each with a 16-byte uuid, and no STAGING', async () => {
    const sub = await framework();
    await launch(sub, 't1');
    const starting = (await sub.waitFor(isUpdate('t1', 'TASK_STARTING'))).update!.status;
    expect(updatesFor(sub, 't1')[0]?.state).toBe('TASK_STARTING');
    await ack(sub, starting);
    await sub.waitFor(isUpdate('t1', 'TASK_RUNNING'));
    const states = updatesFor(sub, 't1').map((s) => s.state);
    expect(states).not.toContain('TASK_STAGING');
    const status = updatesFor(sub, 't1').find((s) => s.state === 'TASK_RUNNING')!;
    expect(status.source).toBe('SOURCE_EXECUTOR');
    expect(status.executor_id?.value).toBe('t1');
    expect(Buffer.from(status.uuid!, 'base64')).toHaveLength(16);
    expect(typeof status.timestamp).toBe('number');
  });

  it('forwards only the head: RUNNING waits until STARTING is acknowledged', async () => {
    const sub = await framework();
    await launch(sub, 't1');
    await sub.waitFor(isUpdate('t1', 'TASK_STARTING'));
    await sleep(250); // two re-sends of STARTING
    const before = updatesFor(sub, 't1');
    expect(before.every((s) => s.state === 'TASK_STARTING')).toBe(true);
    expect(before.length).toBeGreaterThanOrEqual(2);
    expect(new Set(before.map((s) => s.uuid)).size).toBe(1); // re-sent with the same uuid
    await ack(sub, before[0]!);
    const running = (await sub.waitFor(isUpdate('t1', 'TASK_RUNNING'))).update!.status;
    expect(running.uuid).not.toBe(before[0]!.uuid);
  });

  it('stops re-sending once acknowledged', async () => {
    const sub = await framework();
    await launch(sub, 't1');
    await ack(sub, (await sub.waitFor(isUpdate('t1', 'TASK_STARTING'))).update!.status);
    await ack(sub, (await sub.waitFor(isUpdate('t1', 'TASK_RUNNING'))).update!.status);
    const count = updatesFor(sub, 't1').length;
    await sleep(350);
    expect(updatesFor(sub, 't1')).toHaveLength(count);
  });
});

async function runningTask(sub: Subscription, id: string, extra = {}) {
  await launch(sub, id, extra);
  await ack(sub, (await sub.waitFor(isUpdate(id, 'TASK_STARTING'))).update!.status);
  await ack(sub, (await sub.waitFor(isUpdate(id, 'TASK_RUNNING'))).update!.status);
}

describe('kill', () => {
  it('sends TASK_KILLING then TASK_KILLED to a TASK_KILLING_STATE framework', async () => {
    const sub = await framework(withCapabilities('TASK_KILLING_STATE'));
    await runningTask(sub, 'k1');
    expect((await sub.call('KILL', { kill: { task_id: { value: 'k1' } } })).status).toBe(202);
    const killing = (await sub.waitFor(isUpdate('k1', 'TASK_KILLING'))).update!.status;
    await ack(sub, killing);
    await sub.waitFor(isUpdate('k1', 'TASK_KILLED'));
  });

  it('sends only TASK_KILLED to a framework without the capability', async () => {
    const sub = await framework();
    await runningTask(sub, 'k2');
    await sub.call('KILL', { kill: { task_id: { value: 'k2' } } });
    await sub.waitFor(isUpdate('k2', 'TASK_KILLED'));
    expect(updatesFor(sub, 'k2').map((s) => s.state)).not.toContain('TASK_KILLING');
  });

  it('answers a kill before the task started with REASON_TASK_KILLED_DURING_LAUNCH', async () => {
    const sub = await framework();
    await launch(sub, 'slow', { labels: { labels: [{ key: 'sim.start_delay_ms', value: '5000' }] } });
    await sub.call('KILL', { kill: { task_id: { value: 'slow' } } });
    const killed = (await sub.waitFor(isUpdate('slow', 'TASK_KILLED'))).update!.status;
    expect(killed.reason).toBe('REASON_TASK_KILLED_DURING_LAUNCH');
    expect(killed.uuid).toBeDefined();
  });

  it('ignores a kill whose agent_id does not match, and answers an unknown task like reconciliation', async () => {
    const sub = await framework();
    await runningTask(sub, 'k3');
    await sub.call('KILL', { kill: { task_id: { value: 'k3' }, agent_id: { value: 'other' } } });
    await sub.call('KILL', { kill: { task_id: { value: 'ghost' } } });
    const ghost = (await sub.waitFor(isUpdate('ghost', 'TASK_LOST'))).update!.status;
    expect(ghost.reason).toBe('REASON_RECONCILIATION');
    expect(ghost.source).toBe('SOURCE_MASTER');
    expect(ghost.uuid).toBeUndefined();
    await sleep(100);
    expect(updatesFor(sub, 'k3').map((s) => s.state)).not.toContain('TASK_KILLED');
  });

  it("SHUTDOWN of a command task's executor (its task id) kills the task", async () => {
    const sub = await framework();
    await runningTask(sub, 'sd1');
    const agentId = updatesFor(sub, 'sd1')[0]!.agent_id!;
    const res = await sub.call('SHUTDOWN', {
      shutdown: { executor_id: { value: 'sd1' }, agent_id: agentId },
    });
    expect(res.status).toBe(202);
    await sub.waitFor(isUpdate('sd1', 'TASK_KILLED'));
  });
});

describe('invalid launches', () => {
  it('answers a stale offer with TASK_LOST, or TASK_DROPPED for PARTITION_AWARE, REASON_INVALID_OFFERS', async () => {
    for (const [info, expected] of [
      [FRAMEWORK, 'TASK_LOST'],
      [withCapabilities('PARTITION_AWARE'), 'TASK_DROPPED'],
    ] as const) {
      const sub = await framework(info);
      const offer = (await takeOffers(sub))[0]!;
      await sub.call('DECLINE', { decline: { offer_ids: [offer.id], filters: { refuse_seconds: 0 } } });
      const res = await sub.call('ACCEPT', launchCall([offer], [taskInfo(offer, `stale-${expected}`)]));
      expect(res.status).toBe(202);
      const status = (await sub.waitFor(isUpdate(`stale-${expected}`, expected))).update!.status;
      expect(status.reason).toBe('REASON_INVALID_OFFERS');
      expect(status.source).toBe('SOURCE_MASTER');
      expect(status.uuid).toBeUndefined();
      expect(status.message).toContain(`Offer ${offer.id.value} is no longer valid`);
      await sub.call('TEARDOWN');
    }
  });

  it('answers TASK_ERROR for insufficient resources and duplicate ids, launching the valid ones', async () => {
    const sub = await framework();
    const offer = (await takeOffers(sub))[0]!;
    const tasks = [
      taskInfo(offer, 'ok'),
      taskInfo(offer, 'ok'),
      taskInfo(offer, 'huge', { resources: [scalar('cpus', 64), scalar('mem', 64)] }),
    ];
    await sub.call('ACCEPT', launchCall([offer], tasks));
    const dup = (await sub.waitFor(isUpdate('ok', 'TASK_ERROR'))).update!.status;
    expect(dup.reason).toBe('REASON_TASK_INVALID');
    expect(dup.message).toBe('Task has duplicate ID: ok');
    const huge = (await sub.waitFor(isUpdate('huge', 'TASK_ERROR'))).update!.status;
    expect(huge.message).toBe(
      'Total resources cpus(allocated: *):64; mem(allocated: *):64 required by task and its executor is more than ' +
        'available cpus(allocated: *):3.5; mem(allocated: *):8128; disk(allocated: *):20000; ports(allocated: *):[31000-32000]',
    );
    await sub.waitFor(isUpdate('ok', 'TASK_STARTING'));
  });
});

describe('health-checked tasks', () => {
  it('rejects an invalid health check with TASK_ERROR; a valid one reports healthy on RUNNING', async () => {
    const sub = await framework();
    const offer = (await takeOffers(sub))[0]!;
    const bad = taskInfo(offer, 'bad-check', { health_check: { type: 'HTTP' } });
    const good = taskInfo(offer, 'good-check', {
      health_check: { type: 'TCP', tcp: { port: 31000 }, delay_seconds: 0, interval_seconds: 0.05 },
      resources: [
        scalar('cpus', 0.5),
        scalar('mem', 64),
        { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000, end: 31000 }] } },
      ],
    });
    await sub.call('ACCEPT', launchCall([offer], [bad, good]));
    const error = (await sub.waitFor(isUpdate('bad-check', 'TASK_ERROR'))).update!.status;
    expect(error.message).toMatch(/^Task uses invalid health check: /);
    await ack(sub, (await sub.waitFor(isUpdate('good-check', 'TASK_STARTING'))).update!.status);
    await ack(sub, (await sub.waitFor(isUpdate('good-check', 'TASK_RUNNING'))).update!.status);
    const healthy = await sub.waitFor(
      (e) => e.update?.status.task_id.value === 'good-check' && e.update.status.healthy === true,
    );
    expect(healthy.update!.status.reason).toBe('REASON_TASK_HEALTH_CHECK_STATUS_UPDATED');
  });
});
