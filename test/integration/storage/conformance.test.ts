/**
 * One conformance suite, run against both Store implementations: whatever a caller can observe
 * must be the same on the embedded memory store and on a real etcd.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BorealisError } from '../../../pkg/errors/index.js';
import { batch } from '../../../pkg/storage/batch.js';
import type { Store, TxnOp } from '../../../pkg/storage/types.js';
import { type StoreUnderTest, storeFactories } from './store-factories.js';
import { collect } from './watch-collector.js';

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'no error';
  } catch (err) {
    return err instanceof BorealisError ? err.code : `not a BorealisError: ${String(err)}`;
  }
}

describe.each(Object.keys(storeFactories))('Store conformance: %s', (name) => {
  let sut: StoreUnderTest;
  let store: Store;
  beforeEach(async () => {
    sut = await storeFactories[name]!();
    store = sut.store;
  });
  afterEach(async () => {
    await sut.dispose();
  });

  it('creates, reads, updates with compare-and-swap, and deletes', async () => {
    const created = await store.create('/a/x', { n: 1 });
    expect(created.value).toEqual({ n: 1 });
    expect(created.createRevision).toBe(created.revision);
    expect(await codeOf(store.create('/a/x', { n: 2 }))).toBe('AlreadyExists');

    const updated = await store.update('/a/x', { n: 2 }, created.revision);
    expect(updated.revision).toBeGreaterThan(created.revision);
    expect(updated.createRevision).toBe(created.revision);

    // A stale revision is a conflict and changes nothing.
    expect(await codeOf(store.update('/a/x', { n: 3 }, created.revision))).toBe('Conflict');
    expect((await store.get('/a/x'))?.value).toEqual({ n: 2 });
    expect(await codeOf(store.delete('/a/x', created.revision))).toBe('Conflict');

    const deleted = await store.delete('/a/x', updated.revision);
    expect(deleted.value).toEqual({ n: 2 });
    expect(await store.get('/a/x')).toBeUndefined();
    expect(await codeOf(store.delete('/a/x'))).toBe('NotFound');
    expect(await codeOf(store.update('/a/x', { n: 4 }, updated.revision))).toBe('NotFound');
  });

  it('hands out frozen values that cannot change stored state', async () => {
    await store.create('/f/1', { spec: { list: [1, 2] } });
    const got = await store.get<{ spec: { list: number[] } }>('/f/1');
    expect(() => {
      got!.value.spec.list.push(3);
    }).toThrow(TypeError);
    expect((await store.get('/f/1'))?.value).toEqual({ spec: { list: [1, 2] } });
  });

  it('commits a multi-key transaction at one revision, or nothing when a guard fails', async () => {
    const a = await store.create('/t/a', 'a1');
    const ok = await store.txn([
      { op: 'update', key: '/t/a', value: 'a2', expectedRevision: a.revision },
      { op: 'create', key: '/t/b', value: 'b1' },
    ]);
    expect(ok.results.map((r) => r?.revision)).toEqual([ok.revision, ok.revision]);

    const err = await store
      .txn([
        { op: 'create', key: '/t/c', value: 'c1' },
        { op: 'update', key: '/t/a', value: 'a3', expectedRevision: a.revision },
      ])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BorealisError);
    expect((err as BorealisError).code).toBe('Conflict');
    expect((err as BorealisError).message).toContain('/t/a');
    expect(await store.get('/t/c')).toBeUndefined();
    expect((await store.get('/t/a'))?.value).toBe('a2');
  });

  it('refuses transactions over 128 operations, and batch() splits larger writes', async () => {
    const ops: TxnOp[] = Array.from({ length: 300 }, (_, i) => ({ op: 'create', key: `/b/${i}`, value: i }));
    expect(await codeOf(store.txn(ops.slice(0, 129)))).toBe('BadRequest');
    expect((await store.list('/b/')).items).toHaveLength(0);
    const result = await batch(store, ops);
    expect(result.chunks).toHaveLength(3);
    expect((await store.list('/b/')).items).toHaveLength(300);
  });

  it('rejects values over 1.5 MiB with a clear error and writes nothing', async () => {
    const big = 'x'.repeat(1.5 * 1024 * 1024 + 1);
    const err = await store.create('/big/1', { big }).catch((e: unknown) => e);
    expect((err as BorealisError).code).toBe('RequestEntityTooLarge');
    expect((err as BorealisError).message).toMatch(/1\.5 MiB/);
    expect(await store.get('/big/1')).toBeUndefined();
  });

  it('lists more than 4 MiB in one unpaged list (gRPC refuses such replies by default)', async () => {
    const blob = 'y'.repeat(1024 * 1024);
    for (let i = 0; i < 5; i++) await store.create(`/large/${i}`, { i, blob });
    const all = await store.list<{ i: number }>('/large/');
    expect(all.items.map((kv) => kv.value.i)).toEqual([0, 1, 2, 3, 4]);
  });

  it('never loses an update from concurrent writers on one key (N writers x M increments)', async () => {
    const writers = 6;
    const increments = 20;
    await store.create('/counter', { n: 0 });
    const writer = async (): Promise<void> => {
      for (let done = 0; done < increments; ) {
        const cur = (await store.get<{ n: number }>('/counter'))!;
        try {
          await store.update('/counter', { n: cur.value.n + 1 }, cur.revision);
          done++;
        } catch (err) {
          if (!(err instanceof BorealisError && err.code === 'Conflict')) throw err;
        }
      }
    };
    await Promise.all(Array.from({ length: writers }, writer));
    expect((await store.get<{ n: number }>('/counter'))?.value.n).toBe(writers * increments);
  });

  it('pages through a list at one revision while writes happen: every key exactly once', async () => {
    const initial = Array.from({ length: 40 }, (_, i) => `/p/${String(i).padStart(3, '0')}`);
    await batch(
      store,
      initial.map((key) => ({ op: 'create', key, value: { v: 'original' } })),
    );
    const seen: string[] = [];
    let page = await store.list<{ v: string }>('/p/', { limit: 7 });
    const revision = page.revision;
    let round = 0;
    for (;;) {
      for (const item of page.items) {
        expect(item.value.v).toBe('original');
        seen.push(item.key);
      }
      if (!page.continue) break;
      // Between pages: new keys, deleted keys and updated keys; none may show on later pages.
      await store.create(`/p/${String(100 + round).padStart(3, '0')}`, { v: 'new' });
      await store.create(`/p/000-${round}`, { v: 'new-before' });
      const victim = initial[initial.length - 1 - round]!;
      await store.delete(victim);
      const toUpdate = (await store.get(initial[35 - round]!))!;
      await store.update(toUpdate.key, { v: 'changed' }, toUpdate.revision);
      round++;
      page = await store.list<{ v: string }>('/p/', { limit: 7, continue: page.continue });
      expect(page.revision).toBe(revision);
    }
    expect(seen).toEqual(initial);
  });

  it('refuses a continue token that belongs to another list', async () => {
    await batch(
      store,
      [1, 2, 3].map((i) => ({ op: 'create', key: `/c1/${i}`, value: i })),
    );
    const page = await store.list('/c1/', { limit: 1 });
    expect(await codeOf(store.list('/c2/', { continue: page.continue! }))).toBe('BadRequest');
    expect(await codeOf(store.list('/c1/', { continue: 'garbage!' }))).toBe('BadRequest');
  });

  it('replays from every revision exactly the later changes, in order, with previous values', async () => {
    const start = await store.currentRevision();
    const revisions: number[] = [start];
    const a = await store.create('/w/a', 1);
    revisions.push(a.revision);
    const b = await store.create('/w/b', 1);
    revisions.push(b.revision);
    const a2 = await store.update('/w/a', 2, a.revision);
    revisions.push(a2.revision);
    const t = await store.txn([
      { op: 'delete', key: '/w/b' },
      { op: 'create', key: '/w/c', value: 3 },
    ]);
    revisions.push(t.revision);
    await store.create('/other/x', 'not watched');
    const all = [
      { type: 'put', key: '/w/a', revision: a.revision, value: 1, prev: undefined },
      { type: 'put', key: '/w/b', revision: b.revision, value: 1, prev: undefined },
      { type: 'put', key: '/w/a', revision: a2.revision, value: 2, prev: 1 },
      { type: 'delete', key: '/w/b', revision: t.revision, value: undefined, prev: 1 },
      { type: 'put', key: '/w/c', revision: t.revision, value: 3, prev: undefined },
    ];
    for (const from of revisions) {
      const expected = all.filter((e) => e.revision > from);
      const w = collect(store, '/w/', from);
      await w.handle.ready;
      await w.until(() => w.events.length >= expected.length);
      // Nothing more arrives (the unrelated key is outside the prefix).
      await new Promise((r) => setTimeout(r, 50));
      w.handle.close();
      expect(
        w.events.map((e) => ({
          type: e.type,
          key: e.key,
          revision: e.revision,
          value: e.type === 'put' ? e.value.value : undefined,
          prev: e.prev?.value,
        })),
      ).toEqual(expected);
    }
  });

  it('delivers live changes to an open watch', async () => {
    const w = collect(store, '/live/', await store.currentRevision());
    await w.handle.ready;
    const x = await store.create('/live/x', 'one');
    await store.update('/live/x', 'two', x.revision);
    await store.delete('/live/x');
    await w.until(() => w.events.length === 3);
    expect(w.events.map((e) => e.type)).toEqual(['put', 'put', 'delete']);
    w.handle.close();
  });

  it('ends a watch from a compacted revision with Expired, and refuses reads there too', async () => {
    const first = await store.create('/k/1', 1);
    await store.update('/k/1', 2, first.revision);
    const second = await store.create('/k/2', 1);
    await store.compact(second.revision);
    const w = collect(store, '/k/', first.revision - 1);
    await w.until(() => w.errors.length === 1);
    expect((w.errors[0] as BorealisError).code).toBe('Expired');
    expect(await codeOf(store.list('/k/', { revision: first.revision }))).toBe('Expired');
    // From the compaction point on, watching works.
    const ok = collect(store, '/k/', second.revision);
    await ok.handle.ready;
    await store.create('/k/3', 1);
    await ok.until(() => ok.events.length === 1);
    expect(ok.errors).toEqual([]);
    ok.handle.close();
  });

  it('deletes a key when its TTL runs out, with a delete event', async () => {
    const w = collect(store, '/ttl/', await store.currentRevision());
    await w.handle.ready;
    await store.create('/ttl/event', { reason: 'Started' }, { ttlSeconds: 2 });
    await store.create('/ttl/keep', { reason: 'Kept' });
    await w.until(() => w.events.some((e) => e.type === 'delete'), 15_000);
    expect(w.events.filter((e) => e.type === 'delete').map((e) => e.key)).toEqual(['/ttl/event']);
    expect(await store.get('/ttl/event')).toBeUndefined();
    expect(await store.get('/ttl/keep')).toBeDefined();
    w.handle.close();
  }, 20_000);
});
