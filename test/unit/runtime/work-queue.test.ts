import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../pkg/runtime/clock.js';
import {
  defaultControllerRateLimiter,
  ExponentialFailureRateLimiter,
  TokenBucketRateLimiter,
} from '../../../pkg/runtime/rate-limiter.js';
import { WorkQueue } from '../../../pkg/runtime/work-queue.js';
import { flush, tick } from './helpers.js';

/** A queue whose rate limiter is only the per-key backoff (no global bucket in the way). */
function backoffQueue(clock: FakeClock): WorkQueue {
  return new WorkQueue({ clock, rateLimiter: new ExponentialFailureRateLimiter(5, 1_000_000) });
}

describe('WorkQueue', () => {
  it('dedupes a key added again while it is still queued', async () => {
    const q = backoffQueue(new FakeClock());
    for (const k of ['a', 'b', 'a', 'a', 'b', 'c']) q.add(k);
    expect(q.len()).toBe(3);
    expect([await q.get(), await q.get(), await q.get()]).toEqual(['a', 'b', 'c']);
  });

  it('holds back a key re-added while a worker processes it until done()', async () => {
    const q = backoffQueue(new FakeClock());
    q.add('a');
    expect(await q.get()).toBe('a');
    q.add('a');
    expect(q.len()).toBe(0); // not handed to a second worker
    let second: string | undefined;
    void q.get().then((k) => {
      second = k;
    });
    await flush();
    expect(second).toBeUndefined();
    q.done('a');
    await flush();
    expect(second).toBe('a');
  });

  it('never gives one key to two workers, and never loses an add (random interleavings)', async () => {
    const keys = ['a', 'b', 'c'];
    const op = fc.oneof(
      fc.record({ t: fc.constant('add' as const), key: fc.constantFrom(...keys) }),
      fc.record({ t: fc.constant('get' as const), w: fc.nat(3) }),
      fc.record({ t: fc.constant('done' as const), w: fc.nat(3) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 60 }), async (ops) => {
        const q = backoffQueue(new FakeClock());
        const workers: ('idle' | 'waiting' | { key: string })[] = ['idle', 'idle', 'idle', 'idle'];
        const needs = new Set<string>(); // added since its last hand-out
        const doubleHolds: string[] = [];
        const take = (w: number): void => {
          workers[w] = 'waiting';
          void q.get().then((key) => {
            if (key === undefined) return;
            if (workers.some((s) => typeof s === 'object' && s.key === key)) doubleHolds.push(key);
            needs.delete(key);
            workers[w] = { key };
          });
        };
        for (const o of ops) {
          if (o.t === 'add') {
            q.add(o.key);
            needs.add(o.key);
          } else {
            const s = workers[o.w];
            if (o.t === 'get' && s === 'idle') take(o.w);
            if (o.t === 'done' && typeof s === 'object') {
              workers[o.w] = 'idle';
              q.done(s.key);
            }
          }
          await flush(1);
        }
        // Drain: finish everything held, keep taking until nothing is left.
        for (let round = 0; round < 20; round++) {
          workers.forEach((s, w) => {
            if (typeof s === 'object') {
              workers[w] = 'idle';
              q.done(s.key);
            }
            if (workers[w] === 'idle') take(w);
          });
          await flush(1);
        }
        expect(doubleHolds).toEqual([]);
        expect([...needs]).toEqual([]);
        await q.shutDown();
      }),
      { numRuns: 150 },
    );
  });

  it('backs off exponentially per key and resets on forget', async () => {
    const clock = new FakeClock();
    const q = backoffQueue(clock);
    const delays = [
      q.addRateLimited('a'),
      q.addRateLimited('a'),
      q.addRateLimited('a'),
      q.addRateLimited('a'),
    ];
    expect(delays).toEqual([5, 10, 20, 40]);
    expect(q.addRateLimited('b')).toBe(5); // other keys are not slowed by a's failures
    expect(q.numRequeues('a')).toBe(4);
    q.forget('a');
    expect(q.numRequeues('a')).toBe(0);
    expect(q.addRateLimited('a')).toBe(5);
  });

  it.each([
    { failures: 1, delay: 5 },
    { failures: 2, delay: 10 },
    { failures: 10, delay: 2560 },
    { failures: 28, delay: 1_000_000 }, // 5 ms * 2^27 ≈ 671 000 s: capped at 1000 s
    { failures: 5000, delay: 1_000_000 }, // 2^4999 is Infinity; the cap must still hold
  ])('exponential limiter: failure #$failures waits $delay ms', ({ failures, delay }) => {
    const l = new ExponentialFailureRateLimiter();
    let last = 0;
    for (let i = 0; i < failures; i++) last = l.when('k');
    expect(last).toBe(delay);
  });

  it('a rate-limited key becomes available only when its backoff has passed', async () => {
    const clock = new FakeClock();
    const q = backoffQueue(clock);
    q.addRateLimited('a');
    q.addRateLimited('a'); // second failure: 10 ms (earliest pending add of 5 ms still wins)
    await tick(clock, 4);
    expect(q.len()).toBe(0);
    await tick(clock, 1);
    expect(q.len()).toBe(1);
  });

  it('caps retries across all keys at the global rate (burst, then qps)', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue({
      clock,
      rateLimiter: defaultControllerRateLimiter({ clock, qps: 10, burst: 5 }),
    });
    for (let i = 0; i < 100; i++) q.addRateLimited(`k${i}`);
    await tick(clock, 1000);
    expect(q.len()).toBe(15); // 5 from the burst + 10 per second
    await tick(clock, 1000);
    expect(q.len()).toBe(25);
    await tick(clock, 8000);
    expect(q.len()).toBe(100);
  });

  it('token bucket refills at qps up to burst', () => {
    const clock = new FakeClock();
    const b = new TokenBucketRateLimiter({ clock, qps: 2, burst: 2 });
    expect([b.when('x'), b.when('x'), b.when('x')]).toEqual([0, 0, 500]);
    clock.advance(10_000); // long idle: only `burst` tokens accumulate
    expect([b.when('x'), b.when('x'), b.when('x')]).toEqual([0, 0, 500]);
  });

  it('addAfter fires at the right time, and the earliest pending add wins', async () => {
    const clock = new FakeClock();
    const q = backoffQueue(clock);
    q.addAfter('a', 100);
    q.addAfter('a', 50);
    q.addAfter('a', 200);
    expect(q.pendingDelayed()).toBe(1);
    await tick(clock, 49);
    expect(q.len()).toBe(0);
    await tick(clock, 1);
    expect(q.len()).toBe(1);
    expect(await q.get()).toBe('a');
    q.done('a');
    await tick(clock, 500);
    expect(q.len()).toBe(0); // the 100 and 200 ms adds were superseded, not kept
    q.addAfter('b', 0);
    expect(q.len()).toBe(1); // no delay: immediate
  });

  it('cancelDelayedUpTo drops a delayed add asked for up to the mark, not one asked for after it', async () => {
    const clock = new FakeClock();
    const q = backoffQueue(clock);
    q.addAfter('old', 100);
    q.addAfter('kept', 100);
    const mark = q.delayMark();
    // A later request for a later time is served by the pending earlier add, which now stands for it.
    q.addAfter('kept', 300);
    q.cancelDelayedUpTo('old', mark);
    q.cancelDelayedUpTo('kept', mark);
    expect(q.pendingDelayed()).toBe(1);
    await tick(clock, 100);
    expect(q.len()).toBe(1);
    expect(await q.get()).toBe('kept');
  });

  it('shutdown wakes idle workers, ignores new adds, and waits for keys in flight', async () => {
    const clock = new FakeClock();
    const q = backoffQueue(clock);
    q.add('a');
    q.add('b');
    q.addAfter('c', 10);
    expect(await q.get()).toBe('a');
    const idle = q.get(); // gets b
    const idle2 = q.get(); // waits
    expect(await idle).toBe('b');
    q.done('b');
    let drained = false;
    const shut = q.shutDown().then(() => {
      drained = true;
    });
    expect(await idle2).toBeUndefined();
    q.add('d');
    await tick(clock, 20); // c's delayed add was cancelled
    expect(q.len()).toBe(0);
    expect(drained).toBe(false); // 'a' is still in flight
    q.done('a');
    await shut;
    expect(drained).toBe(true);
    expect(await q.get()).toBeUndefined();
  });

  it('shutdown with drain still hands out the backlog before reporting shutdown', async () => {
    const q = backoffQueue(new FakeClock());
    q.add('a');
    q.add('b');
    const shut = q.shutDown({ drain: true });
    const got: (string | undefined)[] = [];
    for (let i = 0; i < 3; i++) {
      const k = await q.get();
      got.push(k);
      if (k) q.done(k);
    }
    await shut;
    expect(got).toEqual(['a', 'b', undefined]);
  });
});
