/**
 * How the scheduler client handles a SUBSCRIBE that fails, over real HTTP on loopback: refused,
 * unanswered, redirected in a loop, unreachable masters, and master ERROR events. Backoff runs
 * on a FakeClock where the test needs to know exact delays.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MesosConnectionError, MesosHttpError, MesosMasterError } from '../../../pkg/mesos/errors.js';
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
