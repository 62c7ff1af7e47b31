/**
 * How the scheduler client survives a misbehaving event stream, over real HTTP on loopback:
 * silence (missed heartbeats, on a FakeClock) and garbage of every kind.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MesosConnectionError, MesosStreamError } from '../../../pkg/mesos/errors.js';
import { encodeRecord, RecordIOError } from '../../../pkg/mesos/recordio.js';
import type { MesosSchedulerClient } from '../../../pkg/mesos/scheduler-client.js';
import { FakeClock } from '../../../pkg/runtime/clock.js';
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
