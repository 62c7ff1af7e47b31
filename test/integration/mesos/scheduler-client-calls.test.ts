/**
 * The scheduler client against a scripted fake master over real HTTP: what it sends on SUBSCRIBE
 * and on every call, how it follows the leader, and how master answers become results or errors.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MesosCallRejected, MesosConnectionError, MesosHttpError } from '../../../pkg/mesos/errors.js';
import type { MesosSchedulerClient } from '../../../pkg/mesos/scheduler-client.js';
import type { TaskInfo, TaskStatus } from '../../../pkg/mesos/types.js';
import { FakeMaster } from './fake-master.js';
import { FRAMEWORK_INFO, newClient, next } from './helpers.js';

let master: FakeMaster;
let other: FakeMaster | undefined;
let client: MesosSchedulerClient | undefined;

beforeEach(async () => {
  master = await FakeMaster.start();
});

afterEach(async () => {
  client?.stop();
  client = undefined;
  await master.stop();
  await other?.stop();
  other = undefined;
});

async function connectedClient(): Promise<MesosSchedulerClient> {
  const c = newClient(master.url);
  client = c;
  const connected = next(c, 'connected');
  c.start();
  await connected;
  return c;
}

function task(i: number, agent: string): TaskInfo {
  return {
    name: `hello-${i}`,
    task_id: { value: `hello-${i}` },
    agent_id: { value: agent },
    command: { shell: true, value: 'sleep 1000' },
    resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } }],
  };
}

describe('subscribing', () => {
  it('sends FrameworkInfo with the service-scheduler capabilities and no stream id', async () => {
    const c = await connectedClient();
    const subscribe = await master.nthSubscribe(1);
    expect(subscribe.path).toBe('/api/v1/scheduler');
    expect(subscribe.headers['content-type']).toBe('application/json');
    expect(subscribe.headers['mesos-stream-id']).toBeUndefined();
    expect(subscribe.body.framework_id).toBeUndefined();
    const info = subscribe.body.subscribe?.framework_info;
    expect(info).toMatchObject({ name: 'client-test', user: 'nobody', roles: ['www'], failover_timeout: 60 });
    expect(info?.capabilities?.map((cap) => cap.type).sort()).toEqual([
      'MULTI_ROLE',
      'PARTITION_AWARE',
      'REVOCABLE_RESOURCES',
      'TASK_KILLING_STATE',
    ]);
    expect(c.frameworkId).toBe(`${master.masterId}-0000`);
  });

  it('reports connected with the framework id, stream id and leader', async () => {
    const c = newClient(master.url);
    client = c;
    const connected = next(c, 'connected');
    c.start();
    const [info] = await connected;
    const stream = await master.nthStream(1);
    expect(info).toMatchObject({
      frameworkId: stream.frameworkId,
      streamId: stream.streamId,
      masterUrl: `${master.url}/api/v1/scheduler`,
      resubscribed: false,
      heartbeatIntervalSeconds: 15,
    });
    expect(info.masterInfo?.id).toBe(master.masterId);
  });

  it('fails over to a framework id it is given, setting it at the top level and in FrameworkInfo', async () => {
    const c = newClient(master.url, { frameworkId: 'earlier-run-0007' });
    client = c;
    const connected = next(c, 'connected');
    c.start();
    const [info] = await connected;
    const subscribe = await master.nthSubscribe(1);
    expect(subscribe.body.framework_id).toEqual({ value: 'earlier-run-0007' });
    expect(subscribe.body.subscribe?.framework_info.id).toEqual({ value: 'earlier-run-0007' });
    expect(info).toMatchObject({ frameworkId: 'earlier-run-0007', resubscribed: true });
  });

  it('follows a protocol-relative 307 to the leader and sends later calls straight there', async () => {
    other = await FakeMaster.start();
    master.subscribeScripts.push({ kind: 'redirect', location: other.protocolRelativeSchedulerUrl });
    const c = await connectedClient();
    expect(c.frameworkId).toBe(`${other.masterId}-0000`);
    await c.calls.revive();
    expect(other.calls.map((call) => call.body.type)).toEqual(['REVIVE']);
    expect(master.calls).toEqual([]);
    expect(master.subscribes).toHaveLength(1);
    expect(other.subscribes).toHaveLength(1);
  });

  it('delivers typed events to on(...) handlers and to the async iterator', async () => {
    const c = await connectedClient();
    const stream = await master.nthStream(1);
    const iterator = c.events()[Symbol.asyncIterator]();
    const offers = next(c, 'offers');
    const rescind = next(c, 'rescind');
    stream.send(
      {
        type: 'OFFERS',
        offers: {
          offers: [
            {
              id: { value: 'O1' },
              framework_id: { value: stream.frameworkId },
              agent_id: { value: 'S1' },
              hostname: 'agent-1',
              resources: [{ name: 'mem', type: 'SCALAR', scalar: { value: 512 } }],
            },
          ],
        },
      },
      { type: 'RESCIND', rescind: { offer_id: { value: 'O1' } } },
    );
    const [received] = await offers;
    expect(received.map((o) => [o.id.value, o.hostname])).toEqual([['O1', 'agent-1']]);
    expect((await rescind)[0]).toEqual({ value: 'O1' });
    const first = await iterator.next();
    expect(first.value?.type).toBe('OFFERS');
    await iterator.return?.();
  });
});

describe('calls', () => {
  it('carries the framework id and the current Mesos-Stream-Id on every call', async () => {
    const c = await connectedClient();
    const stream = await master.nthStream(1);
    await c.calls.launch(['O1', 'O2'], [task(1, 'S1'), task(2, 'S1')], { refuse_seconds: 5 });
    await c.calls.decline([{ value: 'O3' }], { refuse_seconds: 30 });
    await c.calls.kill('hello-1', { agentId: 'S1', gracePeriodMs: 2500 });
    await c.calls.reconcile([{ taskId: 'hello-2', agentId: 'S1' }]);
    await c.calls.reconcileAll();
    await c.calls.revive(['www']);
    await c.calls.suppress();
    await c.calls.acceptInverseOffers(['I1']);
    await c.calls.declineInverseOffers(['I2'], { refuse_seconds: 1 });
    expect(master.calls.map((call) => call.body.type)).toEqual([
      'ACCEPT',
      'DECLINE',
      'KILL',
      'RECONCILE',
      'RECONCILE',
      'REVIVE',
      'SUPPRESS',
      'ACCEPT_INVERSE_OFFERS',
      'DECLINE_INVERSE_OFFERS',
    ]);
    for (const call of master.calls) {
      expect(call.headers['mesos-stream-id']).toBe(stream.streamId);
      expect(call.body.framework_id).toEqual({ value: stream.frameworkId });
    }
    const [accept, decline, kill, explicit, implicit, revive, suppress] = master.calls.map(
      (call) => call.body,
    );
    expect(accept?.accept?.offer_ids).toEqual([{ value: 'O1' }, { value: 'O2' }]);
    expect(accept?.accept?.operations).toEqual([
      { type: 'LAUNCH', launch: { task_infos: [task(1, 'S1'), task(2, 'S1')] } },
    ]);
    expect(accept?.accept?.filters).toEqual({ refuse_seconds: 5 });
    expect(decline?.decline).toEqual({ offer_ids: [{ value: 'O3' }], filters: { refuse_seconds: 30 } });
    expect(kill?.kill).toEqual({
      task_id: { value: 'hello-1' },
      agent_id: { value: 'S1' },
      kill_policy: { grace_period: { nanoseconds: 2_500_000_000 } },
    });
    expect(explicit?.reconcile).toEqual({
      tasks: [{ task_id: { value: 'hello-2' }, agent_id: { value: 'S1' } }],
    });
    expect(implicit?.reconcile).toEqual({ tasks: [] });
    expect(revive?.revive).toEqual({ roles: ['www'] });
    expect(suppress?.suppress).toEqual({});
  });

  it('launches hundreds of tasks on many offers in one ACCEPT', async () => {
    const c = await connectedClient();
    const tasks = Array.from({ length: 500 }, (_, i) => task(i, 'S1'));
    await c.calls.launch(
      Array.from({ length: 20 }, (_, i) => `O${i}`),
      tasks,
    );
    const [call] = master.calls;
    expect(call?.body.accept?.offer_ids).toHaveLength(20);
    expect(call?.body.accept?.operations[0]?.launch?.task_infos).toHaveLength(500);
  });

  it('acknowledges an update that carries a uuid', async () => {
    const c = await connectedClient();
    const uuid = Buffer.alloc(16, 7).toString('base64');
    const status: TaskStatus = {
      task_id: { value: 'hello-1' },
      agent_id: { value: 'S1' },
      state: 'TASK_RUNNING',
      source: 'SOURCE_EXECUTOR',
      uuid,
    };
    await c.calls.acknowledge(status);
    expect(master.calls[0]?.body.acknowledge).toEqual({
      agent_id: { value: 'S1' },
      task_id: { value: 'hello-1' },
      uuid,
    });
  });

  it('refuses to acknowledge an update without a uuid, and sends nothing', async () => {
    const c = await connectedClient();
    const reconciliationAnswer: TaskStatus = {
      task_id: { value: 'hello-1' },
      agent_id: { value: 'S1' },
      state: 'TASK_RUNNING',
      source: 'SOURCE_MASTER',
      reason: 'REASON_RECONCILIATION',
    };
    await expect(c.calls.acknowledge(reconciliationAnswer)).rejects.toThrow(MesosCallRejected);
    await expect(c.calls.acknowledge(reconciliationAnswer)).rejects.toThrow(/carries no uuid/);
    await expect(c.calls.acknowledge({ ...reconciliationAnswer, uuid: 'c2hvcnQ=' })).rejects.toThrow(
      /not base64 of 16 bytes/,
    );
    expect(master.calls).toEqual([]);
  });

  it('turns a non-2xx answer into a MesosHttpError with the status and the master text', async () => {
    const c = await connectedClient();
    master.callScripts.push({ kind: 'status', status: 400, text: 'Framework cannot be found\n' });
    const failure = c.calls.kill('hello-1').catch((err: unknown) => err);
    const err = await failure;
    expect(err).toBeInstanceOf(MesosHttpError);
    expect(err).toMatchObject({
      status: 400,
      body: 'Framework cannot be found',
      callType: 'KILL',
      code: 'BadRequest',
    });
    expect((err as Error).message).toBe('Mesos master answered KILL with 400: Framework cannot be found');
  });

  it('treats a 200 to UPDATE_FRAMEWORK as success and re-subscribes with the new info', async () => {
    const c = await connectedClient();
    await c.calls.updateFramework({ ...FRAMEWORK_INFO, name: 'renamed', roles: ['www', 'batch'] });
    const update = master.calls[0]?.body.update_framework?.framework_info;
    expect(update).toMatchObject({ name: 'renamed', roles: ['www', 'batch'], id: { value: c.frameworkId } });
    (await master.nthStream(1)).end();
    const resubscribe = await master.nthSubscribe(2);
    expect(resubscribe.body.subscribe?.framework_info).toMatchObject({
      name: 'renamed',
      roles: ['www', 'batch'],
    });
  });

  it('follows a 307 on a call to the master that now leads', async () => {
    other = await FakeMaster.start();
    const c = await connectedClient();
    master.callScripts.push({ kind: 'redirect', location: other.protocolRelativeSchedulerUrl });
    await c.calls.revive();
    expect(master.calls.map((call) => call.body.type)).toEqual(['REVIVE']);
    expect(other.calls.map((call) => call.body.type)).toEqual(['REVIVE']);
    expect(other.calls[0]?.headers['mesos-stream-id']).toBe((await master.nthStream(1)).streamId);
  });

  it('fails calls fast while not subscribed', async () => {
    const c = newClient(master.url);
    client = c;
    await expect(c.calls.revive()).rejects.toThrow(MesosConnectionError);
    await expect(c.calls.revive()).rejects.toThrow(/not subscribed/);
  });

  it('stops after TEARDOWN instead of re-subscribing', async () => {
    const c = await connectedClient();
    const disconnected = next(c, 'disconnected');
    await c.calls.teardown();
    const [info] = await disconnected;
    expect(info.reconnectInMs).toBeUndefined();
    expect(c.state).toBe('stopped');
    expect(master.calls.map((call) => call.body.type)).toEqual(['TEARDOWN']);
  });
});
