/** Small helpers for runtime tests that drive async code with a FakeClock. */
import { setImmediate as macrotask } from 'node:timers/promises';
import type { FakeClock } from '../../../pkg/runtime/clock.js';

/** Let every pending promise chain run (a few macrotask turns cover nested awaits). */
export async function flush(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await macrotask();
}

/** Advance the fake clock, then let the code woken by its timers run. */
export async function tick(clock: FakeClock, ms: number): Promise<void> {
  clock.advance(ms);
  await flush();
}
