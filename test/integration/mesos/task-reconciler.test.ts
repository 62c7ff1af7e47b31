/**
 * TaskReconciler against the fake master over real HTTP, on a FakeClock: it re-asks only about
 * tasks the master has not answered, backs off between asks, gives up after its attempts, runs
 * one round at a time, and stops when the stream drops.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MesosConnectionError } from '../../../pkg/mesos/errors.js';
import type { MesosSchedulerClient } from '../../../pkg/mesos/scheduler-client.js';
import { TaskReconciler } from '../../../pkg/mesos/task-reconciler.js';
import type { TaskStatus } from '../../../pkg/mesos/types.js';
import { FakeClock } from '../../../pkg/runtime/clock.js';
import { FakeMaster, type FakeStream } from './fake-master.js';
import { newClient, next, waitUntil } from './helpers.js';

let master: FakeMaster;
let client: MesosSchedulerClient;
let clock: FakeClock;
let stream: FakeStream;
let reconciler: TaskReconciler;

beforeEach(async () => {
  master = await FakeMaster.start();
  clock = new FakeClock();
  client = newClient(master.url, { clock });
  const connected = next(client, 'connected');
  client.start();
  await connected;
  stream = await master.nthStream(1);
  reconciler = new TaskReconciler(client, { clock, backoff: { initialMs: 1000, jitter: 0 }, maxAttempts: 3 });
});

afterEach(async () => {
  client.stop();
  await master.stop();
});

const reconcileCalls = () => master.calls.filter((c) => c.body.type === 'RECONCILE');
const askedAbout = (n: number) => reconcileCalls()[n - 1]?.body.reconcile?.tasks.map((t) => t.task_id.value);

/** The subscription's heartbeat deadline is always pending; one more timer = the next ask is scheduled. */
const nextAskScheduled = () => waitUntil(() => clock.pending() === 2, 5000, 'next ask scheduled');

async function answer(taskId: string, state: TaskStatus['state'] = 'TASK_RUNNING'): Promise<void> {
  const update = next(client, 'update');
  stream.send({
    type: 'UPDATE',
    update: {
      status: { task_id: { value: taskId }, state, source: 'SOURCE_MASTER', reason: 'REASON_RECONCILIATION' },
    },
  });
  await update;
}

describe('TaskReconciler', () => {
  it('treats a failed RECONCILE call as an unanswered ask: asks again after the backoff', async () => {
    master.callScripts.push({ kind: 'status', status: 503, text: 'busy' });
    const round = reconciler.reconcile([{ taskId: 'a' }]);
    await master.nthCall(1);
    await nextAskScheduled();
    clock.advance(1000);
    await master.nthCall(2);
    expect(askedAbout(2)).toEqual(['a']);
    await answer('a');
    const result = await round;
    expect(result.unanswered).toEqual([]);
    expect(result.attempts).toBe(2);
  });

  it('asks in calls of batchSize tasks, one after another, and re-asks the unanswered the same way', async () => {
    const batched = new TaskReconciler(client, {
      clock,
      backoff: { initialMs: 1000, jitter: 0 },
      maxAttempts: 3,
      batchSize: 2,
    });
    const round = batched.reconcile(['a', 'b', 'c', 'd', 'e'].map((taskId) => ({ taskId })));
    await master.nthCall(3);
    expect([1, 2, 3].map(askedAbout)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    for (const id of ['a', 'c', 'd', 'e']) await answer(id);
    await nextAskScheduled();
    clock.advance(1000);
    await master.nthCall(4);
    expect(askedAbout(4)).toEqual(['b']);
    await answer('b');
    const result = await round;
    expect(result.unanswered).toEqual([]);
    expect(result.attempts).toBe(2);
  });

  it('asks again, after the backoff, only about the tasks still unanswered', async () => {
    const round = reconciler.reconcile([{ taskId: 'a', agentId: 'S1' }, { taskId: 'b' }]);
    await master.nthCall(1);
    expect(reconcileCalls()[0]?.body.reconcile?.tasks).toEqual([
      { task_id: { value: 'a' }, agent_id: { value: 'S1' } },
      { task_id: { value: 'b' } },
    ]);
    await answer('a');
    await nextAskScheduled();
    clock.advance(999);
    expect(reconcileCalls()).toHaveLength(1);
    clock.advance(1);
    await master.nthCall(2);
    expect(askedAbout(2)).toEqual(['b']);
    await answer('b', 'TASK_GONE');
    const result = await round;
    expect(result.unanswered).toEqual([]);
    expect(result.attempts).toBe(2);
    expect([...result.answers].map(([id, s]) => [id, s.state])).toEqual([
      ['a', 'TASK_RUNNING'],
      ['b', 'TASK_GONE'],
    ]);
  });

  it('gives up after its attempts, with growing waits, and names the unanswered tasks', async () => {
    const round = reconciler.reconcile([{ taskId: 'lost-in-recovery' }]);
    for (const [attempt, wait] of [
      [1, 1000],
      [2, 2000],
      [3, 4000],
    ] as const) {
      await master.nthCall(attempt);
      await nextAskScheduled();
      clock.advance(wait);
    }
    const result = await round;
    expect(result).toMatchObject({ unanswered: ['lost-in-recovery'], attempts: 3 });
    expect(reconcileCalls()).toHaveLength(3);
  });

  it('runs one round at a time', async () => {
    const first = reconciler.reconcile([{ taskId: 'a' }]);
    const second = reconciler.reconcile([{ taskId: 'b' }]);
    await master.nthCall(1);
    await answer('a');
    await first;
    await master.nthCall(2);
    expect(askedAbout(1)).toEqual(['a']);
    expect(askedAbout(2)).toEqual(['b']);
    await answer('b');
    expect((await second).unanswered).toEqual([]);
  });

  it('stops with an error when the stream drops, so the owner can start over on reconnect', async () => {
    const round = reconciler.reconcile([{ taskId: 'a' }]);
    await master.nthCall(1);
    stream.end();
    await expect(round).rejects.toThrow(MesosConnectionError);
    await expect(round).rejects.toThrow(/reconciliation interrupted/);
  });
});
