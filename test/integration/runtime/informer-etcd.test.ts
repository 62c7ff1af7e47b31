import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import { OWNER_INDEX } from '../../../pkg/runtime/cache.js';
import { FakeClock } from '../../../pkg/runtime/clock.js';
import { Informer } from '../../../pkg/runtime/informer.js';
import { storeListWatch } from '../../../pkg/runtime/list-watch.js';
import { EtcdStore } from '../../../pkg/storage/etcd/etcd-store.js';
import { breakable, PREFIX, put, record, remove, type Task, task } from './fixtures.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe('Informer over a real etcd', () => {
  it('lists in pages, follows the watch, and re-lists to the exact store state after an Expired watch', async () => {
    const store = new EtcdStore({ endpoints: [inject('etcdEndpoint')], keyPrefix: `/t-${randomUUID()}` });
    cleanup.push(() => store.close());
    for (let i = 0; i < 5; i++) await put(store, task('prod', `t${i}`, 'h1', 'Pending', 'job-1'));
    const clock = new FakeClock();
    const src = breakable(storeListWatch<Task>(store, PREFIX));
    const inf = new Informer<Task>({
      name: 'tasks',
      source: src.source,
      clock,
      pageSize: 2,
      initialBackoffMs: 100,
      indexers: { host: (t) => [t.spec.host] },
    });
    cleanup.push(() => inf.stop());
    const events = record(inf);
    inf.start();
    await inf.waitForSync();
    expect(inf.list()).toHaveLength(5);
    expect(inf.byIndex(OWNER_INDEX, 'job-1')).toHaveLength(5);

    // Watch: an update and a delete arrive as events, and indexes follow.
    await put(store, task('prod', 't0', 'h2', 'Running', 'job-1'));
    await remove(store, 'prod', 't1');
    await vi.waitFor(() => expect(inf.get('prod/t1')).toBeUndefined());
    expect(inf.byIndex('host', 'h2').map((t) => t.metadata.name)).toEqual(['t0']);
    expect(events.slice(5)).toEqual([
      { type: 'update', key: 'prod/t0', from: 'Pending', to: 'Running' },
      { type: 'delete', key: 'prod/t1', finalStateUnknown: false },
    ]);

    // Drop the connection, change things, compact etcd past what the informer saw.
    events.length = 0;
    src.breakWatch();
    await remove(store, 'prod', 't2');
    await put(store, task('prod', 't3', 'h3', 'Failed'));
    await put(store, task('prod', 't9', 'h1'));
    await store.compact(await store.currentRevision());
    clock.advance(100);
    await vi.waitFor(() => expect(src.lists()).toBe(2), { timeout: 5000 });
    await vi.waitFor(() => expect(events).toHaveLength(3));
    expect(events.sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      { type: 'delete', key: 'prod/t2', finalStateUnknown: true },
      { type: 'update', key: 'prod/t3', from: 'Pending', to: 'Failed' },
      { type: 'add', key: 'prod/t9', phase: 'Pending' },
    ]);
    const truth = (await store.list<Task>(PREFIX)).items.map(
      (i) => `${i.value.metadata.name}@${i.value.status.phase}`,
    );
    expect(
      inf
        .list()
        .map((t) => `${t.metadata.name}@${t.status.phase}`)
        .sort(),
    ).toEqual(truth.sort());
    expect(
      inf
        .byIndex(OWNER_INDEX, 'job-1')
        .map((t) => t.metadata.name)
        .sort(),
    ).toEqual(['t0', 't4']);
  });
});
