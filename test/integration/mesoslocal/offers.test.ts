/**
 * Offers as a framework sees them: resources coming back after terminal updates despite
 * filters, decline filters and refuse_seconds, SUPPRESS and REVIVE (also at SUBSCRIBE), agents
 * refused by one framework offered to the next, agents shared between frameworks.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type MesosLocal, startMesosLocal } from '../../../pkg/mesoslocal/index.js';
import { FakeClock } from '../../../pkg/runtime/clock.js';
import { accountingErrors } from './accounting.js';
import {
  FRAMEWORK,
  isType,
  isUpdate,
  launchCall,
  nextOffers,
  type Subscription,
  scalar,
  sleep,
  subscribe,
  takeOffers,
  taskInfo,
} from './raw-client.js';

let master: MesosLocal;
const subs: Subscription[] = [];

beforeEach(async () => {
  master = await startMesosLocal({ agents: 1, allocationIntervalMs: 20, statusUpdateRetryMs: 100 });
});
afterEach(async () => {
  for (const s of subs.splice(0)) s.close();
  // Whatever happened in the test, the master's resource books must balance.
  const errors = accountingErrors(master.state.agents.values());
  await master.stop();
  expect(errors).toEqual([]);
});

async function framework(info = FRAMEWORK): Promise<Subscription> {
  const sub = await subscribe(master.url, info);
  subs.push(sub);
  return sub;
}

describe('offers and filters', () => {
  it('re-offers resources freed by a terminal update at once, despite a filter on the rest', async () => {
    const sub = await framework();
    const offer = (await takeOffers(sub))[0]!;
    const task = taskInfo(offer, 'quick', {
      resources: [scalar('cpus', 1), scalar('mem', 128)],
      labels: { labels: [{ key: 'sim.exit_after_ms', value: '600' }] },
    });
    await sub.call('ACCEPT', launchCall([offer], [task], 3600));
    await sub.waitFor(isUpdate('quick', 'TASK_STARTING'));
    const mark = sub.events.length;
    await sleep(120);
    expect(sub.events.slice(mark).some((e) => e.type === 'OFFERS')).toBe(false); // the rest is filtered
    const offers = await nextOffers(sub, mark, 3000); // the finished task's cpus free the agent
    const cpus = offers[0]!.resources!.find((r) => r.name === 'cpus')!.scalar!.value;
    expect(cpus).toBe(4);
  });

  it('holds declined resources back for refuse_seconds; REVIVE clears the filter', async () => {
    const sub = await framework();
    const offer = (await takeOffers(sub))[0]!;
    await sub.call('DECLINE', { decline: { offer_ids: [offer.id], filters: { refuse_seconds: 3600 } } });
    const mark = sub.events.length;
    await sleep(150);
    expect(sub.events.slice(mark).some((e) => e.type === 'OFFERS')).toBe(false);
    await sub.call('REVIVE');
    await nextOffers(sub, mark);
  });

  it('re-offers after a short refuse_seconds; SUPPRESS stops offers until REVIVE', async () => {
    const sub = await framework();
    const offer = (await takeOffers(sub))[0]!;
    await sub.call('DECLINE', { decline: { offer_ids: [offer.id], filters: { refuse_seconds: 0.1 } } });
    const again = (await takeOffers(sub, 2000))[0]!;
    expect(again.id.value).not.toBe(offer.id.value);
    await sub.call('SUPPRESS');
    await sub.call('DECLINE', { decline: { offer_ids: [again.id], filters: { refuse_seconds: 0 } } });
    const mark = sub.events.length;
    await sleep(150);
    expect(sub.events.slice(mark).some((e) => e.type === 'OFFERS')).toBe(false);
    await sub.call('REVIVE');
    await nextOffers(sub, mark);
  });

  it('a SUBSCRIBE with suppressed_roles gets no offers until REVIVE', async () => {
    const suppressed = await subscribe(master.url, FRAMEWORK, { suppressedRoles: ['*'] });
    subs.push(suppressed);
    await sleep(100);
    expect(suppressed.events.some((e) => e.type === 'OFFERS')).toBe(false);
    await suppressed.call('REVIVE');
    await takeOffers(suppressed);
  });

  it('offers resources one framework refused to a framework that subscribes later', async () => {
    const first = await framework();
    const offer = (await takeOffers(first))[0]!;
    await first.call('DECLINE', { decline: { offer_ids: [offer.id], filters: { refuse_seconds: 3600 } } });
    await sleep(60); // a few rounds: the agent is set aside as refused by everyone
    const second = await framework({ ...FRAMEWORK, name: 'late' });
    const offers = await takeOffers(second);
    expect(offers[0]!.agent_id.value).toBe(offer.agent_id.value);
  });

  it('splits agents between two frameworks instead of giving one everything', async () => {
    await master.stop();
    // A FakeClock: the one round runs when both frameworks are subscribed.
    master = await startMesosLocal({ agents: 4, clock: new FakeClock() });
    const a = await framework();
    const b = await framework({ ...FRAMEWORK, name: 'second' });
    await a.waitFor(isType('SUBSCRIBED'));
    await b.waitFor(isType('SUBSCRIBED'));
    await master.allocate();
    await takeOffers(a);
    await takeOffers(b);
    const agentsOf = (s: Subscription) =>
      new Set(s.events.flatMap((e) => e.offers?.offers ?? []).map((o) => o.agent_id.value));
    expect(agentsOf(a).size + agentsOf(b).size).toBe(4);
    expect(agentsOf(a).size).toBeGreaterThan(0);
    expect(agentsOf(b).size).toBeGreaterThan(0);
  });
});
