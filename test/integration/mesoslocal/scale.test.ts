/**
 * 10,000 agents: one allocation round offers every agent, in OFFERS events of bounded size, and
 * yields the event loop between slices instead of holding it for the whole round.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type MesosLocal, startMesosLocal } from '../../../pkg/mesoslocal/index.js';
import { FakeClock } from '../../../pkg/runtime/clock.js';
import { FRAMEWORK, isType, type Subscription, subscribe } from './raw-client.js';

let master: MesosLocal;
let sub: Subscription;

beforeAll(async () => {
  // A FakeClock: rounds run only when the test asks, so the round under test is the only one.
  master = await startMesosLocal({ agents: 10_000, clock: new FakeClock(), maxOffersPerEvent: 500 });
  sub = await subscribe(master.url, FRAMEWORK);
  await sub.waitFor(isType('SUBSCRIBED'));
});
afterAll(async () => {
  sub.close();
  await master.stop();
});

it('offers all 10,000 agents in one round, 500 offers per event at most, yielding between slices', async () => {
  let yielded = 0;
  const round = master.allocate();
  const count = (): void => {
    yielded++;
    if (yielded < 1000) setImmediate(count);
  };
  setImmediate(count);
  await round;
  expect(yielded).toBeGreaterThanOrEqual(5); // the loop ran between slices of 1,000 agents
  const offered = () => sub.events.flatMap((e) => e.offers?.offers ?? []);
  await sub.waitFor(() => offered().length === 10_000, 20_000);
  const sizes = sub.events.filter((e) => e.type === 'OFFERS').map((e) => e.offers!.offers.length);
  expect(Math.max(...sizes)).toBe(500);
  expect(new Set(offered().map((o) => o.agent_id.value)).size).toBe(10_000);
  expect(master.state.offers.size).toBe(10_000);
});
