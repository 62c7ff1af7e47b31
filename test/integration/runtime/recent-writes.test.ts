/**
 * RecentWrites with a real informer over the memory store: a write this process made is seen at
 * once through it, and forgotten as soon as the informer shows that version (or a newer one).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Clock, FakeClock, systemClock } from '../../../pkg/runtime/clock.js';
import { Informer } from '../../../pkg/runtime/informer.js';
import { storeListWatch } from '../../../pkg/runtime/list-watch.js';
import { RECENT_WRITE_MAX_AGE_MS, RecentWrites } from '../../../pkg/runtime/recent-writes.js';
import { MemoryStore } from '../../../pkg/storage/memory/memory-store.js';
import { PREFIX, put, remove, storeKey, type Task, task } from './fixtures.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const withRevision = (t: Task, revision: number): Task => ({
  ...t,
  metadata: { ...t.metadata, resourceVersion: String(revision) },
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

/** A memory store holding `names` (Tasks in ns), a synced Task informer over it, and its RecentWrites. */
async function setup(names: readonly string[], clock: Clock = systemClock) {
  const store = await MemoryStore.open({});
  cleanup.push(() => store.close());
  const informer = new Informer<Task>({
    name: 'tasks',
    source: storeListWatch(store, PREFIX),
    clock: systemClock,
  });
  cleanup.push(() => informer.stop());
  const writes = new RecentWrites(informer, clock);
  for (const name of names) await put(store, task('ns', name, 'h1'));
  informer.start();
  await informer.waitForSync();
  return { store, informer, writes };
}

describe('RecentWrites', () => {
  it('shows this process its own writes before the informer does, then forgets them', async () => {
    const { store, informer, writes } = await setup(['a']);
    const cached = informer.get('ns/a')!;

    // Written Running (as the server answers, one revision on), not yet in the cache.
    const revision = Number(cached.metadata.resourceVersion) + 1;
    const running = withRevision({ ...cached, status: { phase: 'Running' } }, revision);
    writes.wrote(running);
    expect(writes.isBehind(cached)).toBe(true);
    expect(writes.newest('ns/a', cached)).toBe(running);
    expect(writes.newest('ns/a', undefined)).toBe(running);

    // The informer catches up with that write: the entry goes, the cache is the truth again.
    const stored = await store.get(storeKey(cached));
    await store.update(storeKey(cached), { ...cached, status: { phase: 'Running' } }, stored!.revision);
    await until(() => writes.size === 0);
    expect(writes.newest('ns/a', informer.get('ns/a'))).toBe(informer.get('ns/a'));
  });

  it('after a lost race, the copy it was based on is behind until a newer one arrives or it is deleted', async () => {
    const { store, informer, writes } = await setup(['a', 'b']);

    writes.lostRace(informer.get('ns/a')!);
    writes.lostRace(informer.get('ns/b')!);
    expect(writes.isBehind(informer.get('ns/a')!)).toBe(true);
    expect(writes.newest('ns/a', informer.get('ns/a'))).toBe(informer.get('ns/a')); // nothing to offer
    await put(store, task('ns', 'a', 'h2'));
    await remove(store, 'ns', 'b');
    await until(() => writes.size === 0);
    expect(writes.isBehind(informer.get('ns/a')!)).toBe(false);
  });

  it('forgets a lost race that no newer version ever followed, so the object is not hidden for good', async () => {
    const clock = new FakeClock(Date.parse('2026-11-22T00:00:00Z'));
    const { informer, writes } = await setup(['a'], clock);
    const cached = informer.get('ns/a')!;
    writes.lostRace(cached); // e.g. a conflict the store reported wrongly
    expect(writes.isBehind(cached)).toBe(true);
    clock.advance(RECENT_WRITE_MAX_AGE_MS - 1);
    expect(writes.isBehind(cached)).toBe(true);
    clock.advance(2);
    expect(writes.isBehind(cached)).toBe(false);
    expect(writes.size).toBe(0);
  });
});
