import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';

describe('Backoff', () => {
  it('doubles from the initial delay up to the ceiling, then stays there', () => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0 });
    expect(Array.from({ length: 6 }, () => backoff.next())).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('starts over after reset', () => {
    const backoff = new Backoff({ initialMs: 100, jitter: 0 });
    backoff.next();
    backoff.next();
    backoff.reset();
    expect(backoff.next()).toBe(100);
  });

  it('spreads delays: with jitter j a delay d lands in [d·(1−j), d]', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 0.9999, noNaN: true }),
        fc.integer({ min: 0, max: 20 }),
        (jitter, random, attempts) => {
          const backoff = new Backoff({ initialMs: 50, maxMs: 5000, jitter, random: () => random });
          for (let i = 0; i < attempts; i++) backoff.next();
          const ceiling = Math.min(5000, 50 * 2 ** attempts);
          const delay = backoff.next();
          expect(delay).toBeLessThanOrEqual(ceiling);
          expect(delay).toBeGreaterThanOrEqual(Math.floor(ceiling * (1 - jitter)));
        },
      ),
    );
  });

  it('uses the default jitter of one half when none is given', () => {
    const backoff = new Backoff({ initialMs: 1000, random: () => 1 - Number.EPSILON });
    expect(backoff.next()).toBe(500);
  });
});
