import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../pkg/runtime/clock.js';
import {
  Controller,
  type ControllerOptions,
  type ReconcileContext,
  ReconcileTimeoutError,
  TerminalError,
} from '../../../pkg/runtime/controller.js';
import { ExponentialFailureRateLimiter } from '../../../pkg/runtime/rate-limiter.js';
import { flush, tick } from './helpers.js';

const running: Controller[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((c) => c.stop()));
});

/** A started controller on a fake clock; backoff is 5 ms doubling, no global bucket. */
async function startController(
  clock: FakeClock,
  reconcile: ControllerOptions['reconcile'],
  extra: Partial<ControllerOptions> = {},
): Promise<Controller> {
  const c = new Controller({
    name: 'test',
    clock,
    reconcile,
    rateLimiter: () => new ExponentialFailureRateLimiter(5, 1_000_000),
    ...extra,
  });
  running.push(c);
  await c.start();
  return c;
}

describe('Controller', () => {
  it('retries ordinary errors with exponential backoff, then forgets it on success', async () => {
    const clock = new FakeClock();
    const t0 = clock.now();
    const runs: { at: number; attempt: number }[] = [];
    let failUntil = 4;
    const c = await startController(clock, async (_key, ctx) => {
      runs.push({ at: clock.now() - t0, attempt: ctx.attempt });
      if (runs.length < failUntil) throw new Error('etcd unavailable');
      return {};
    });
    c.enqueue('ns/a');
    await flush();
    for (let i = 0; i < 40; i++) await tick(clock, 5);
    // failures at 0, 5, 15 (after 5 and 10 ms), success at 35 (after 20 ms)
    expect(runs).toEqual([
      { at: 0, attempt: 0 },
      { at: 5, attempt: 1 },
      { at: 15, attempt: 2 },
      { at: 35, attempt: 3 },
    ]);
    // Success reset the backoff: the next failure waits 5 ms again, not 40.
    failUntil = 100;
    const before = runs.length;
    const start = clock.now() - t0;
    c.enqueue('ns/a');
    await flush();
    await tick(clock, 5);
    expect(runs.slice(before).map((r) => r.at - start)).toEqual([0, 5]);
  });

  it('does not retry a TerminalError and reports it through onTerminal', async () => {
    const clock = new FakeClock();
    const reported: [string, string][] = [];
    let runs = 0;
    const c = await startController(
      clock,
      async () => {
        runs++;
        throw new TerminalError('constraint "host" can never be satisfied');
      },
      { onTerminal: (key, err) => void reported.push([key, err.message]) },
    );
    c.enqueue('ns/job');
    await flush();
    await tick(clock, 60_000);
    expect(runs).toBe(1);
    expect(reported).toEqual([['ns/job', 'constraint "host" can never be satisfied']]);
  });

  it('a throwing onTerminal hook does not stop the controller', async () => {
    const clock = new FakeClock();
    const seen: string[] = [];
    const c = await startController(
      clock,
      async (key) => {
        seen.push(key);
        if (key === 'bad') throw new TerminalError('no');
        return {};
      },
      {
        onTerminal: () => {
          throw new Error('event write failed');
        },
      },
    );
    c.enqueue('bad');
    await flush();
    c.enqueue('good');
    await flush();
    expect(seen).toEqual(['bad', 'good']);
  });

  it('honours requeueAfterMs: the key comes back exactly then, not before', async () => {
    const clock = new FakeClock();
    const t0 = clock.now();
    const at: number[] = [];
    const c = await startController(clock, async () => {
      at.push(clock.now() - t0);
      return at.length < 3 ? { requeueAfterMs: 1000 } : {};
    });
    c.enqueue('ns/cron');
    await flush();
    await tick(clock, 999);
    expect(at).toEqual([0]);
    await tick(clock, 1);
    expect(at).toEqual([0, 1000]);
    await tick(clock, 1000);
    await tick(clock, 10_000);
    expect(at).toEqual([0, 1000, 2000]);
  });

  it('a later successful run replaces an earlier requeueAfterMs: no wake-up for nothing', async () => {
    const clock = new FakeClock();
    const t0 = clock.now();
    const at: number[] = [];
    // First look: "check again in 5 min" (a task in a transient phase); the task then changes,
    // the run it triggers finds nothing to wait for.
    const c = await startController(clock, async () => {
      at.push(clock.now() - t0);
      return at.length === 1 ? { requeueAfterMs: 300_000 } : {};
    });
    c.enqueue('ns/task');
    await flush();
    await tick(clock, 1000);
    c.enqueue('ns/task');
    await flush();
    expect(at).toEqual([0, 1000]);
    await tick(clock, 300_000);
    await tick(clock, 10_000);
    expect(at).toEqual([0, 1000]);
  });

  it('keeps a delayed add asked for while the run was going on', async () => {
    const clock = new FakeClock();
    const t0 = clock.now();
    const at: number[] = [];
    let release: () => void = () => {};
    let c: Controller | undefined;
    c = await startController(clock, async () => {
      at.push(clock.now() - t0);
      if (at.length === 1) {
        // An event the run may not have seen: handlers batch such keys with a short delay.
        c!.enqueueAfter('ns/job', 100);
        await new Promise<void>((r) => {
          release = r;
        });
      }
      return {};
    });
    c.enqueue('ns/job');
    await flush();
    release();
    await flush();
    await tick(clock, 100);
    expect(at).toEqual([0, 100]);
  });

  it('abandons a hung reconcile at its deadline, aborts its signal, and retries the key', async () => {
    const clock = new FakeClock();
    const signals: AbortSignal[] = [];
    const done: string[] = [];
    const c = await startController(
      clock,
      (key, ctx) => {
        if (key === 'hung' && signals.length === 0) {
          signals.push(ctx.signal);
          return new Promise(() => {}); // never settles
        }
        done.push(key);
        return Promise.resolve({});
      },
      { timeoutMs: 100, workers: 1 },
    );
    c.enqueue('hung');
    await flush();
    c.enqueue('other');
    await flush();
    expect(done).toEqual([]); // the only worker is stuck
    await tick(clock, 100);
    expect(signals[0]?.aborted).toBe(true);
    expect(signals[0]?.reason).toBeInstanceOf(ReconcileTimeoutError);
    expect(done).toEqual(['other']); // worker freed
    await tick(clock, 5); // first-failure backoff
    expect(done).toEqual(['other', 'hung']);
  });

  it('catches synchronous throws and non-Error rejections and keeps going', async () => {
    const clock = new FakeClock();
    const calls: string[] = [];
    const c = await startController(clock, ((key: string) => {
      calls.push(key);
      if (key === 'sync' && calls.length === 1) throw new Error('boom');
      if (key === 'weird' && calls.filter((k) => k === 'weird').length === 1)
        return Promise.reject('a string');
      return Promise.resolve({});
    }) as ControllerOptions['reconcile']);
    c.enqueue('sync');
    c.enqueue('weird');
    await flush();
    await tick(clock, 5);
    expect(calls).toEqual(['sync', 'weird', 'sync', 'weird']);
  });

  it('never runs one key in two workers at once, even when it is re-enqueued mid-run', async () => {
    const clock = new FakeClock();
    const active = new Map<string, number>();
    let maxConcurrentSameKey = 0;
    let total = 0;
    const c = await startController(
      clock,
      async (key: string, ctx: ReconcileContext) => {
        const n = (active.get(key) ?? 0) + 1;
        active.set(key, n);
        maxConcurrentSameKey = Math.max(maxConcurrentSameKey, n);
        total++;
        await new Promise<void>((r) => ctx.clock.setTimeout(r, 10));
        active.set(key, n - 1);
        return {};
      },
      { workers: 4 },
    );
    for (let i = 0; i < 20; i++) {
      c.enqueue(`k${i % 3}`);
      await tick(clock, 3);
    }
    for (let i = 0; i < 10; i++) await tick(clock, 10);
    expect(maxConcurrentSameKey).toBe(1);
    expect(total).toBeGreaterThanOrEqual(6); // re-adds during runs were not lost
  });

  it('does not start workers until every waitFor cache has synced', async () => {
    const clock = new FakeClock();
    let release: () => void = () => {};
    const gate = { waitForSync: () => new Promise<void>((r) => (release = r)) };
    const seen: string[] = [];
    const c = new Controller({
      name: 'gated',
      clock,
      waitFor: [gate],
      reconcile: async (key) => {
        seen.push(key);
        return {};
      },
    });
    running.push(c);
    const started = c.start();
    c.enqueue('early'); // kept, not lost
    await flush();
    expect(seen).toEqual([]);
    release();
    await started;
    await flush();
    expect(seen).toEqual(['early']);
  });

  it('stop aborts runs in flight and returns promptly; keys enqueued while stopped wait for the next start', async () => {
    const clock = new FakeClock();
    let signal: AbortSignal | undefined;
    let runs = 0;
    const c = await startController(
      clock,
      (_key, ctx) => {
        runs++;
        signal = ctx.signal;
        return new Promise(() => {});
      },
      { timeoutMs: 60_000 },
    );
    c.enqueue('a');
    await flush();
    await c.stop();
    expect(signal?.aborted).toBe(true);
    expect(c.isRunning()).toBe(false);
    c.enqueue('b');
    await tick(clock, 120_000);
    expect(runs).toBe(1);
    await c.start();
    await flush();
    expect(runs).toBe(2); // 'b' ran; 'a' was dropped with the old queue (a new leader re-lists)
  });
});
