/**
 * Group commit on a real etcd: writes issued together share etcd transactions, yet each keeps a
 * revision of its own, a watch resumed from any of them sees exactly the later writes, and one
 * write's failed guard refuses that write only.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { BorealisError } from '../../../pkg/errors/index.js';
import { EtcdStore } from '../../../pkg/storage/etcd/etcd-store.js';
import { etcdRevisionOf } from '../../../pkg/storage/etcd/revisions.js';
import type { StoredValue } from '../../../pkg/storage/types.js';
import { startEtcd } from '../../harness/etcd.js';
import { collect } from './watch-collector.js';

async function outcome(p: Promise<StoredValue>): Promise<StoredValue | string> {
  try {
    return await p;
  } catch (err) {
    return err instanceof BorealisError ? err.code : String(err);
  }
}

describe('EtcdStore group commit', () => {
  let store: EtcdStore;
  beforeEach(() => {
    store = new EtcdStore({ endpoints: [inject('etcdEndpoint')], keyPrefix: `/g-${randomUUID()}` });
  });
  afterEach(async () => {
    await store.close();
  });

  it('commits concurrent writes in shared etcd transactions, each with a revision of its own', async () => {
    const created = await Promise.all(Array.from({ length: 300 }, (_, i) => store.create(`/g/${i}`, { i })));
    const revisions = created.map((c) => c.revision);
    expect(new Set(revisions).size).toBe(300);
    const transactions = new Set(revisions.map(etcdRevisionOf)).size;
    expect(transactions).toBeLessThan(30);
    // Reads report the same revision the write answered with, and compare-and-swap accepts it.
    for (const c of [created[0]!, created[150]!, created[299]!]) {
      expect((await store.get(c.key))?.revision).toBe(c.revision);
      const updated = await store.update(c.key, { i: -1 }, c.revision);
      expect(updated.revision).toBeGreaterThan(c.revision);
      expect(updated.createRevision).toBe((await store.get(c.key))?.createRevision);
    }
    // It remembers its own writes, at exactly their revisions, without a round trip.
    expect(store.written('/g/7', created[7]!.revision)).toBe(created[7]);
    expect(store.written('/g/7', created[7]!.revision + 1)).toBeUndefined();
    const listed = await store.list<{ i: number }>('/g/');
    expect(listed.revision).toBeGreaterThan(Math.max(...revisions));
  });

  it('resumes a watch from the middle of a shared transaction without missing or repeating a write', async () => {
    const start = await store.currentRevision();
    const written = await Promise.all(Array.from({ length: 40 }, (_, i) => store.create(`/w/${i}`, i)));
    const byRevision = [...written].sort((a, b) => a.revision - b.revision);
    expect(new Set(byRevision.map((w) => etcdRevisionOf(w.revision))).size).toBeLessThan(40);
    for (const from of [start, ...byRevision.map((w) => w.revision)]) {
      const expected = byRevision.filter((w) => w.revision > from).map((w) => `${w.key}@${w.revision}`);
      const w = collect(store, '/w/', from);
      await w.handle.ready;
      await w.until(() => w.events.length >= expected.length);
      await new Promise((r) => setTimeout(r, 20));
      w.handle.close();
      expect(w.events.map((e) => `${e.key}@${e.revision}`)).toEqual(expected);
    }
  });

  it('replays the whole history to a watch from revision 0 (etcd reads a start of 0 as "from now")', async () => {
    // An etcd of its own: other tests compact the shared one, and then Expired would be right.
    const etcd = await startEtcd();
    const own = new EtcdStore({ endpoints: [etcd.endpoint] });
    try {
      const x = await own.create('/zero/x', 1);
      await own.update('/zero/x', 2, x.revision);
      await own.create('/zero/y', 1);
      const w = collect(own, '/zero/', 0);
      await w.handle.ready;
      await w.until(() => w.events.length >= 3);
      await new Promise((r) => setTimeout(r, 50));
      w.handle.close();
      expect(w.events.map((e) => `${e.type} ${e.key}`)).toEqual([
        'put /zero/x',
        'put /zero/x',
        'put /zero/y',
      ]);
    } finally {
      await own.close();
      await etcd.stop();
    }
  }, 30_000);

  it('refuses only the write whose guard failed; the rest of its transaction commits', async () => {
    const a = await store.create('/c/a', 1);
    await store.update('/c/a', 2, a.revision);
    const b = await store.create('/c/b', 1);
    await store.create('/c/taken', 1);
    const results = await Promise.all([
      outcome(store.update('/c/a', 3, a.revision)), // stale
      outcome(store.update('/c/b', 2, b.revision)),
      outcome(store.create('/c/new', 1)),
      outcome(store.create('/c/taken', 2)),
      outcome(store.update('/c/missing', 1, b.revision)),
    ]);
    expect(results.map((r) => (typeof r === 'string' ? r : 'ok'))).toEqual([
      'Conflict',
      'ok',
      'ok',
      'AlreadyExists',
      'NotFound',
    ]);
    expect((await store.get('/c/a'))?.value).toBe(2);
    expect((await store.get('/c/b'))?.value).toBe(2);
    expect((await store.get('/c/new'))?.value).toBe(1);
    expect((await store.get('/c/taken'))?.value).toBe(1);
  });

  it("never refuses a write for another write's failed guard, however many fail around it", async () => {
    const keys = Array.from({ length: 200 }, (_, i) => `/m/${i}`);
    const created = await Promise.all(keys.map((k) => store.create(k, 0)));
    // Per key one fresh update and one with a revision that never was the key's: interleaved, so
    // nearly every transaction holds writes that fail.
    const results = await Promise.all(
      created.flatMap((c, i) => [
        outcome(store.update(c.key, 1, c.revision)),
        outcome(store.update(c.key, 2, created[(i + 1) % created.length]!.revision)),
      ]),
    );
    const fresh = results.filter((_, i) => i % 2 === 0);
    const stale = results.filter((_, i) => i % 2 === 1);
    expect(fresh.filter((r) => typeof r === 'string')).toEqual([]);
    expect(new Set(stale)).toEqual(new Set(['Conflict']));
    const listed = await store.list<number>('/m/');
    expect(listed.items.every((kv) => kv.value === 1)).toBe(true);
  });

  it("keeps writes of one key in order and out of each other's transaction", async () => {
    const [first, second] = await Promise.all([
      outcome(store.create('/k/x', 'first')),
      outcome(store.create('/k/x', 'second')),
    ]);
    expect(typeof first).not.toBe('string');
    expect(second).toBe('AlreadyExists');
    expect((await store.get('/k/x'))?.value).toBe('first');
  });
});
