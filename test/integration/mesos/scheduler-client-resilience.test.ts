/**
 * How the scheduler client survives a misbehaving master, over real HTTP on loopback: silent
 * streams, garbage, refused subscriptions, unreachable masters and master ERROR events. Timers
 * (heartbeat deadline, backoff) run on a FakeClock where the test needs to know exact delays.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  MesosConnectionError,
  MesosHttpError,
  MesosMasterError,
  MesosStreamError,
} from '../../../pkg/mesos/errors.js';
import { encodeRecord, RecordIOError } from '../../../pkg/mesos/recordio.js';
import type { MesosSchedulerClient } from '../../../pkg/mesos/scheduler-client.js';
import type { DisconnectedInfo } from '../../../pkg/mesos/scheduler-client-events.js';
import { FakeClock } from '../../../pkg/runtime/clock.js';
import { freePort } from '../../harness/ports.js';
import { FakeMaster } from './fake-master.js';
import { newClient, next, waitUntil } from './helpers.js';

let master: FakeMaster;
let client: MesosSchedulerClient | undefined;

beforeEach(async () => {
  master = await FakeMaster.start();
});

afterEach(async () => {
  client?.stop();
  client = undefined;
  await master.stop();
});

/** Long enough for a request the client should NOT have made to have reached the master. */
const QUIET_MS = 100;

describe('a silently dead connection', () => {
  it('is noticed after 5 heartbeat intervals without events, then re-subscribed with the same framework id', async () => {
    const clock = new FakeClock();
    master.subscribeScripts.push({ kind: 'stream', heartbeatSeconds: 15, heartbeats: false });
    const c = newClient(master.url, { clock });
    client = c;
    const connected = next(c, 'connected');
    c.start();
    const [first] = await connected;

    clock.advance(75_000 - 1);
    expect(c.connected).toBe(true);
    const disconnected = next(c, 'disconnected');
    clock.advance(1);
    const [info] = await disconnected;
    expect(info.wasSubscribed).toBe(true);
    expect(info.error).toBeInstanceOf(MesosConnectionError);
    expect(info.error.message).toMatch(/no event \(not even a HEARTBEAT\) for 75000 ms/);
    expect(info.reconnectInMs).toBe(20);
    // The client hangs up on the dead stream rather than leaking the socket.
    const deadStream = await master.nthStream(1);
    await waitUntil(() => deadStream.closed);

    clock.advance(19);
    await sleep(QUIET_MS);
    expect(master.subscribes).toHaveLength(1);

    const reconnected = next(c, 'connected');
    clock.advance(1);
    const resubscribe = await master.nthSubscribe(2);
    expect(resubscribe.body.framework_id).toEqual({ value: first.frameworkId });
    expect(resubscribe.body.subscribe?.framework_info.id).toEqual({ value: first.frameworkId });
    const [second] = await reconnected;
    expect(second).toMatchObject({ frameworkId: first.frameworkId, resubscribed: true });
    expect(second.streamId).not.toBe(first.streamId);
  });

  it('keeps a stream alive as long as heartbeats arrive', async () => {
    master.subscribeScripts.push({ kind: 'stream', heartbeatSeconds: 0.02 });
    const c = newClient(master.url, { missedHeartbeats: 5 });
    client = c;
    const connected = next(c, 'connected');
    c.start();
    await connected;
    let beats = 0;
    c.on('heartbeat', () => beats++);
    await sleep(400); // 20 intervals; the deadline is 5 intervals
    expect(beats).toBeGreaterThan(5);
    expect(c.connected).toBe(true);
    expect(master.subscribes).toHaveLength(1);
  });

  it('sends the new stream id on calls after re-subscribing', async () => {
    const c = newClient(master.url);
    client = c;
    const connected = next(c, 'connected');
    c.start();
    await connected;
    const reconnected = next(c, 'connected');
    (await master.nthStream(1)).end();
    const [info] = await reconnected;
    await c.calls.revive();
    expect(master.calls[0]?.headers['mesos-stream-id']).toBe(info.streamId);
    expect(info.streamId).toBe((await master.nthStream(2)).streamId);
  });
});

describe('garbage on the stream', () => {
  async function subscribed(): Promise<MesosSchedulerClient> {
    const c = newClient(master.url);
    client = c;
    const connected = next(c, 'connected');
    c.start();
    await connected;
    return c;
  }

  it('that breaks RecordIO framing is reported as a stream error and the client re-subscribes', async () => {
    const c = await subscribed();
    const streamError = next(c, 'streamError');
    const reconnected = next(c, 'connected');
    const stream = await master.nthStream(1);
    stream.sendRaw(encodeRecord('{"type":"HEARTBEAT"}').subarray(0, 5));
    stream.sendRaw('<html>proxy error</html>');
    const [error] = await streamError;
    expect(error).toBeInstanceOf(RecordIOError);
    expect(error.message).toMatch(/expected a digit or newline in the length prefix/);
    const [again] = await reconnected;
    expect(again.frameworkId).toBe(stream.frameworkId);
    expect((await master.nthSubscribe(2)).body.framework_id).toEqual({ value: stream.frameworkId });
  });

  it('that is framed but not JSON is reported and the client re-subscribes', async () => {
    const c = await subscribed();
    const disconnected = next(c, 'disconnected');
    (await master.nthStream(1)).sendRaw(encodeRecord('{"type": OFFERS'));
    const [info] = await disconnected;
    expect(info.error).toBeInstanceOf(MesosStreamError);
    expect(info.error.message).toMatch(/event is not JSON: \{"type": OFFERS/);
    await master.nthSubscribe(2);
  });

  it('that is an UPDATE without a task id is reported rather than handed to handlers', async () => {
    const c = await subscribed();
    const updates: unknown[] = [];
    c.on('update', (status) => updates.push(status));
    const disconnected = next(c, 'disconnected');
    (await master.nthStream(1)).sendRaw(
      encodeRecord('{"type":"UPDATE","update":{"status":{"state":"TASK_RUNNING"}}}'),
    );
    const [info] = await disconnected;
    expect(info.error.message).toMatch(/malformed UPDATE event \(update.status.task_id is missing\)/);
    expect(updates).toEqual([]);
  });

  it('does not include event types the client does not know: those are passed on untyped', async () => {
    const c = await subscribed();
    const unknown = next(c, 'unknownEvent');
    let disconnects = 0;
    c.on('disconnected', () => disconnects++);
    (await master.nthStream(1)).sendRaw(encodeRecord('{"type":"SOMETHING_NEW","something_new":{"x":1}}'));
    const [type, raw] = await unknown;
    expect(type).toBe('SOMETHING_NEW');
    expect(raw).toEqual({ type: 'SOMETHING_NEW', something_new: { x: 1 } });
    expect(disconnects).toBe(0);
  });

  it('does not stop delivery when a handler throws', async () => {
    const c = await subscribed();
    c.on('offers', () => {
      throw new Error('handler bug');
    });
    const update = next(c, 'update');
    (await master.nthStream(1)).send(
      { type: 'OFFERS', offers: { offers: [] } },
      { type: 'UPDATE', update: { status: { task_id: { value: 't1' }, state: 'TASK_RUNNING' } } },
    );
    expect((await update)[0].task_id.value).toBe('t1');
    expect(c.connected).toBe(true);
  });
});

describe('refused and unreachable subscriptions', () => {
  it('retries with capped exponential backoff, reporting each failure with the master text', async () => {
    const clock = new FakeClock();
    for (let i = 0; i < 5; i++)
      master.subscribeScripts.push({ kind: 'status', status: 503, text: 'No leader elected' });
    const c = newClient(master.url, { clock });
    client = c;
    const failures: DisconnectedInfo[] = [];
    c.on('disconnected', (info) => failures.push(info));
    const connected = next(c, 'connected');
    c.start();
    for (let attempt = 1; attempt <= 5; attempt++) {
      await master.nthSubscribe(attempt);
      await waitUntil(() => failures.length === attempt);
      const delay = failures[attempt - 1]!.reconnectInMs!;
      clock.advance(delay - 1);
      await sleep(attempt === 1 ? QUIET_MS : 10);
      expect(master.subscribes).toHaveLength(attempt);
      clock.advance(1);
    }
    await connected;
    expect(failures.map((f) => f.reconnectInMs)).toEqual([20, 40, 80, 160, 200]);
    const [first] = failures;
    expect(first?.wasSubscribed).toBe(false);
    expect(first?.error).toBeInstanceOf(MesosHttpError);
    expect(first?.error).toMatchObject({ status: 503, body: 'No leader elected', callType: 'SUBSCRIBE' });

    // A successful subscription resets the backoff.
    const disconnected = next(c, 'disconnected');
    (await master.nthStream(1)).end();
    expect((await disconnected)[0].reconnectInMs).toBe(20);
  });

  it('gives up on a master that never answers SUBSCRIBE, hanging up and trying again', async () => {
    const clock = new FakeClock();
    master.subscribeScripts.push({ kind: 'hang' });
    const c = newClient(master.url, { clock, subscribeTimeoutMs: 10_000 });
    client = c;
    const disconnected = next(c, 'disconnected');
    const connected = next(c, 'connected');
    c.start();
    await master.nthSubscribe(1);
    clock.advance(10_000);
    const [failure] = await disconnected;
    expect(failure.error.message).toMatch(/no SUBSCRIBED event for 10000 ms/);
    await waitUntil(() => master.hungRequests[0]?.closed === true);
    clock.advance(failure.reconnectInMs!);
    await connected;
    expect(master.subscribes).toHaveLength(2);
  });

  it('hangs up a pending SUBSCRIBE when stopped', async () => {
    master.subscribeScripts.push({ kind: 'hang' });
    const c = newClient(master.url);
    client = c;
    c.start();
    await master.nthSubscribe(1);
    c.stop();
    await waitUntil(() => master.hungRequests[0]?.closed === true);
    expect(c.state).toBe('stopped');
  });

  it('gives up on a redirect loop with a clear error instead of following it forever', async () => {
    for (let i = 0; i < 6; i++) {
      master.subscribeScripts.push({ kind: 'redirect', location: master.protocolRelativeSchedulerUrl });
    }
    const c = newClient(master.url);
    client = c;
    const disconnected = next(c, 'disconnected');
    c.start();
    const [failure] = await disconnected;
    expect(failure.error).toBeInstanceOf(MesosConnectionError);
    expect(failure.error.message).toMatch(/too many redirects \(more than 5\)/);
    expect(master.subscribes).toHaveLength(6);
  });

  it('moves on to the next configured master when one cannot be reached', async () => {
    const deadPort = await freePort();
    const c = newClient([`127.0.0.1:${deadPort}`, master.url]);
    client = c;
    const failed = next(c, 'disconnected');
    const connected = next(c, 'connected');
    c.start();
    const [failure] = await failed;
    expect(failure.error).toBeInstanceOf(MesosConnectionError);
    expect(failure.error.message).toMatch(
      new RegExp(`cannot reach Mesos master at http://127.0.0.1:${deadPort}/api/v1/scheduler`),
    );
    const [info] = await connected;
    expect(info.masterUrl).toBe(`${master.url}/api/v1/scheduler`);
  });
});

describe('a master ERROR event', () => {
  it('that comes instead of SUBSCRIBED (framework removed) stops the client without retrying', async () => {
    master.subscribeScripts.push({ kind: 'error-event', message: 'Framework has been removed' });
    const c = newClient(master.url, { frameworkId: 'removed-0001' });
    client = c;
    const mesosError = next(c, 'mesosError');
    const stopped = next(c, 'stopped');
    let streamErrors = 0;
    c.on('streamError', () => streamErrors++);
    c.start();
    const [error] = await mesosError;
    expect(error.masterMessage).toBe('Framework has been removed');
    await stopped;
    await sleep(QUIET_MS);
    expect(master.subscribes).toHaveLength(1);
    expect(streamErrors).toBe(0);
    expect(c.frameworkId).toBe('removed-0001');
  });

  it('stops the client instead of re-subscribing (another scheduler took over)', async () => {
    const c = newClient(master.url);
    client = c;
    const connected = next(c, 'connected');
    c.start();
    await connected;
    const mesosError = next(c, 'mesosError');
    const stopped = next(c, 'stopped');
    const disconnected = next(c, 'disconnected');
    (await master.nthStream(1)).send({ type: 'ERROR', error: { message: 'Framework failed over' } });
    const [error] = await mesosError;
    expect(error).toBeInstanceOf(MesosMasterError);
    expect(error.masterMessage).toBe('Framework failed over');
    await stopped;
    expect((await disconnected)[0].reconnectInMs).toBeUndefined();
    await sleep(QUIET_MS);
    expect(master.subscribes).toHaveLength(1);
    expect(c.state).toBe('stopped');
  });
});
