import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NAMESPACE_INDEX, OWNER_INDEX } from '../../../pkg/runtime/cache.js';
import { FakeClock, systemClock } from '../../../pkg/runtime/clock.js';
import { CacheNotSyncedError, dropManagedFields, Informer } from '../../../pkg/runtime/informer.js';
import { type ListWatchSource, storeListWatch } from '../../../pkg/runtime/list-watch.js';
import { MemoryStore } from '../../../pkg/storage/memory/memory-store.js';
import { breakable, PREFIX, put, record, remove, type Task, task } from './fixtures.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function openStore(): Promise<MemoryStore> {
  const store = await MemoryStore.open({});
  cleanup.push(() => store.close());
  return store;
}

function informerOn(
  source: ListWatchSource<Task>,
  opts: { clock?: FakeClock; pageSize?: number } = {},
): Informer<Task> {
  const inf = new Informer<Task>({
    name: 'tasks',
    source,
    clock: opts.clock ?? systemClock,
    pageSize: opts.pageSize ?? 500,
    initialBackoffMs: 50,
    indexers: {
      host: (t) => [t.spec.host],
      phase: (t) => [t.status.phase],
    },
  });
  cleanup.push(() => inf.stop());
  return inf;
}

/** What the store holds, as "ns/name@phase@host", sorted: the truth the cache must converge to. */
async function storeState(store: MemoryStore): Promise<string[]> {
  const res = await store.list<Task>(PREFIX);
  return res.items
    .map(
      (i) =>
        `${i.value.metadata.namespace}/${i.value.metadata.name}@${i.value.status.phase}@${i.value.spec.host}`,
    )
    .sort();
}
function cacheState(inf: Informer<Task>): string[] {
  return inf
    .list()
    .map((t) => `${t.metadata.namespace}/${t.metadata.name}@${t.status.phase}@${t.spec.host}`)
    .sort();
}

describe('Informer over the memory store', () => {
  it('lists every page, then follows the watch; reads before sync throw instead of saying "absent"', async () => {
    const store = await openStore();
    for (let i = 0; i < 7; i++) await put(store, task('prod', `t${i}`, 'h1'));
    const inf = informerOn(storeListWatch(store, PREFIX), { pageSize: 2 });
    const events = record(inf);
    inf.start();
    expect(inf.hasSynced()).toBe(false);
    expect(() => inf.get('prod/t0')).toThrow(CacheNotSyncedError);
    expect(() => inf.list()).toThrow(CacheNotSyncedError);
    await inf.waitForSync();
    expect(inf.hasSynced()).toBe(true);
    expect(inf.list()).toHaveLength(7);
    expect(events.filter((e) => e.type === 'add')).toHaveLength(7);
    expect(inf.get('prod/t3')?.metadata.resourceVersion).toBe(
      String((await store.get(`${PREFIX}prod/t3`))?.revision),
    );
    expect(inf.get('prod/missing')).toBeUndefined();

    await put(store, task('prod', 't7', 'h2'));
    await vi.waitFor(() => expect(inf.get('prod/t7')?.spec.host).toBe('h2'));
  });

  it('caches listed and watched objects through its transform (dropManagedFields)', async () => {
    const store = await openStore();
    const withFields = (t: Task): Task =>
      ({ ...t, metadata: { ...t.metadata, managedFields: [{ manager: 'm' }] } }) as Task;
    await put(store, withFields(task('prod', 'a', 'h1')));
    const inf = new Informer<Task>({
      name: 'tasks',
      source: storeListWatch(store, PREFIX),
      transform: dropManagedFields,
      indexers: { host: (t) => [t.spec.host] },
    });
    cleanup.push(() => inf.stop());
    const seen: Task[] = [];
    inf.addEventHandler({ onAdd: (t) => seen.push(t), onUpdate: (_o, t) => seen.push(t) });
    inf.start();
    await inf.waitForSync();
    await put(store, withFields(task('prod', 'a', 'h2')));
    await vi.waitFor(() => expect(inf.get('prod/a')?.spec.host).toBe('h2'));
    for (const t of [...seen, ...inf.list()]) {
      expect(t.metadata).not.toHaveProperty('managedFields');
      expect(t.metadata.uid).toBe('uid-prod-a');
      expect(Object.isFrozen(t.metadata)).toBe(true);
    }
    expect(inf.byIndex('host', 'h2')).toHaveLength(1);
  });

  it('handlers see adds, updates (old and new) and deletes, in order', async () => {
    const store = await openStore();
    const inf = informerOn(storeListWatch(store, PREFIX));
    const events = record(inf);
    inf.start();
    await inf.waitForSync();
    await put(store, task('prod', 'a', 'h1'));
    await put(store, task('prod', 'a', 'h1', 'Running'));
    await remove(store, 'prod', 'a');
    await vi.waitFor(() => expect(events).toHaveLength(3));
    expect(events).toEqual([
      { type: 'add', key: 'prod/a', phase: 'Pending' },
      { type: 'update', key: 'prod/a', from: 'Pending', to: 'Running' },
      { type: 'delete', key: 'prod/a', finalStateUnknown: false },
    ]);
    expect(inf.get('prod/a')).toBeUndefined();
  });

  it('hands out frozen objects: mutating the cache throws', async () => {
    const store = await openStore();
    await put(store, task('prod', 'a', 'h1'));
    const inf = informerOn(storeListWatch(store, PREFIX));
    let fromHandler: Task | undefined;
    inf.addEventHandler({ onAdd: (t) => (fromHandler = t) });
    inf.start();
    await inf.waitForSync();
    const t = inf.get('prod/a') as Task;
    expect(() => {
      (t.status as { phase: string }).phase = 'Running';
    }).toThrow(TypeError);
    expect(() => {
      (t.metadata as { name: string }).name = 'b';
    }).toThrow(TypeError);
    expect(Object.isFrozen(fromHandler?.spec)).toBe(true);
    expect(inf.get('prod/a')?.status.phase).toBe('Pending');
  });

  it('freezes what any source hands over, even a frozen envelope around mutable parts', async () => {
    const spec = { host: 'h1' }; // mutable, inside a frozen object
    const obj = Object.freeze({
      metadata: { name: 'x', namespace: 'prod', uid: 'u' },
      spec,
      status: { phase: 'Pending' as const },
    });
    const source: ListWatchSource<Task> = {
      list: async () => ({ items: [obj], resourceVersion: '1' }),
      watch: () => ({ close() {} }),
    };
    const inf = informerOn(source);
    inf.start();
    await inf.waitForSync();
    expect(() => {
      (inf.get('prod/x')?.spec as { host: string }).host = 'h2';
    }).toThrow(TypeError);
  });

  it('indexes (namespace, owner, custom) agree with a scan of the store after random changes', async () => {
    const name = fc.constantFrom('a', 'b', 'c', 'd');
    const op = fc.oneof(
      fc.record({
        t: fc.constant('put' as const),
        ns: fc.constantFrom('prod', 'dev'),
        name,
        host: fc.constantFrom('h1', 'h2', 'h3'),
        phase: fc.constantFrom('Pending' as const, 'Running' as const, 'Failed' as const),
        owner: fc.option(fc.constantFrom('job-1', 'job-2'), { nil: undefined }),
      }),
      fc.record({ t: fc.constant('del' as const), ns: fc.constantFrom('prod', 'dev'), name }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 25 }), fc.nat(25), async (ops, startAfter) => {
        const store = await MemoryStore.open({});
        const inf = informerOn(storeListWatch(store, PREFIX));
        try {
          // Some changes land before the list, the rest through the watch.
          for (const [i, o] of ops.entries()) {
            if (i === startAfter) inf.start();
            if (o.t === 'put') await put(store, task(o.ns, o.name, o.host, o.phase, o.owner));
            else if (await store.get(`${PREFIX}${o.ns}/${o.name}`)) await remove(store, o.ns, o.name);
          }
          inf.start();
          await inf.waitForSync();
          const truth = (await store.list<Task>(PREFIX)).items.map((i) => i.value);
          await vi.waitFor(() => expect(cacheState(inf)).toHaveLength(truth.length), {
            timeout: 2000,
            interval: 5,
          });
          await vi.waitFor(async () => expect(cacheState(inf)).toEqual(await storeState(store)), {
            timeout: 2000,
            interval: 5,
          });
          const names = (ts: readonly Task[]): string[] =>
            ts.map((t) => `${t.metadata.namespace}/${t.metadata.name}`).sort();
          for (const [index, value, pick] of [
            [NAMESPACE_INDEX, 'prod', (t: Task) => t.metadata.namespace === 'prod'],
            [NAMESPACE_INDEX, 'dev', (t: Task) => t.metadata.namespace === 'dev'],
            [OWNER_INDEX, 'job-1', (t: Task) => t.metadata.ownerReferences?.[0]?.uid === 'job-1'],
            ['host', 'h2', (t: Task) => t.spec.host === 'h2'],
            ['phase', 'Running', (t: Task) => t.status.phase === 'Running'],
          ] as const) {
            const answer = inf.byIndex(index, value);
            expect(names(answer)).toEqual(names(truth.filter(pick)));
            // The index answers with the cached versions themselves, never an older one.
            expect(answer.filter((t) => inf.get(`${t.metadata.namespace}/${t.metadata.name}`) !== t)).toEqual(
              [],
            );
          }
        } finally {
          inf.stop();
          await store.close();
        }
      }),
      { numRuns: 25 },
    );
  });

  it('re-lists after an Expired watch and ends with exactly the store state, emitting deletes for vanished objects', async () => {
    const clock = new FakeClock();
    const store = await openStore();
    for (const n of ['a', 'b', 'c', 'd']) await put(store, task('prod', n, 'h1'));
    const src = breakable(storeListWatch<Task>(store, PREFIX));
    const inf = informerOn(src.source, { clock });
    inf.start();
    await inf.waitForSync();
    const events = record(inf); // registered after sync: replays the 4 adds first
    events.length = 0;
    const lastSeen = inf.resourceVersion();
    await vi.waitFor(() => expect(src.watchesFrom()).toEqual([lastSeen])); // the watch is open

    // The connection drops; while the informer backs off, the world moves on and history is compacted.
    src.breakWatch();
    await remove(store, 'prod', 'a');
    await remove(store, 'prod', 'b');
    await put(store, task('prod', 'c', 'h2', 'Running'));
    await put(store, task('prod', 'e', 'h3'));
    for (let i = 0; i < 20; i++) await put(store, task('dev', 'churn', `h${i}`));
    await store.compact(await store.currentRevision());
    expect(src.lists()).toBe(1);

    clock.advance(50); // backoff over: resume from lastSeen → Expired → list again
    await vi.waitFor(() => expect(src.lists()).toBe(2));
    await vi.waitFor(async () => expect(cacheState(inf)).toEqual(await storeState(store)));
    expect(src.watchesFrom()[1]).toBe(lastSeen); // it first tried to resume, as it should
    expect(events.sort((x, y) => x.key.localeCompare(y.key))).toEqual(
      [
        { type: 'add', key: 'dev/churn', phase: 'Pending' },
        { type: 'update', key: 'prod/c', from: 'Pending', to: 'Running' },
        { type: 'add', key: 'prod/e', phase: 'Pending' },
        { type: 'delete', key: 'prod/a', finalStateUnknown: true },
        { type: 'delete', key: 'prod/b', finalStateUnknown: true },
      ].sort((x, y) => x.key.localeCompare(y.key)),
    );

    // And it keeps watching from the new list.
    await put(store, task('prod', 'f', 'h1'));
    await vi.waitFor(() => expect(inf.get('prod/f')).toBeDefined());
  });

  it('a mirror built only from handler events equals the store, across dropped watches and compactions', async () => {
    const name = fc.constantFrom('a', 'b', 'c', 'd', 'e');
    const write = fc.oneof(
      fc.record({
        t: fc.constant('put' as const),
        name,
        phase: fc.constantFrom('Pending' as const, 'Running' as const),
      }),
      fc.record({ t: fc.constant('del' as const), name }),
    );
    // Each round: the connection drops, the store changes meanwhile (maybe compacted past what
    // the informer saw), the informer reconnects and must catch up.
    const round = fc.record({ writes: fc.array(write, { maxLength: 6 }), compact: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(
        fc.array(write, { maxLength: 5 }),
        fc.array(round, { minLength: 1, maxLength: 4 }),
        async (initial, rounds) => {
          const store = await MemoryStore.open({});
          const src = breakable(storeListWatch<Task>(store, PREFIX));
          const clock = new FakeClock(); // holds the informer disconnected until we advance it
          const inf = new Informer<Task>({
            name: 'tasks',
            source: src.source,
            clock,
            initialBackoffMs: 10,
            maxBackoffMs: 10,
          });
          const mirror = new Map<string, string>();
          const set = (t: Task): void => void mirror.set(t.metadata.name, t.status.phase);
          inf.addEventHandler({
            onAdd: set,
            onUpdate: (_, t) => set(t),
            onDelete: (t) => mirror.delete(t.metadata.name),
          });
          const apply = async (w: (typeof initial)[number]): Promise<void> => {
            if (w.t === 'put') await put(store, task('prod', w.name, 'h1', w.phase));
            else if (await store.get(`${PREFIX}prod/${w.name}`)) await remove(store, 'prod', w.name);
          };
          // Caught up: `watches` watches have been opened (the last still open) and the mirror is the store.
          const converged = async (watches: number): Promise<void> => {
            const truth = new Map(
              (await store.list<Task>(PREFIX)).items.map((i) => [
                i.value.metadata.name,
                i.value.status.phase,
              ]),
            );
            await vi.waitFor(
              () => {
                clock.advance(10);
                expect(src.watchesFrom().length).toBeGreaterThanOrEqual(watches);
                expect(src.watching()).toBe(true);
                expect(new Map(mirror)).toEqual(truth);
              },
              { timeout: 3000, interval: 2 },
            );
          };
          try {
            for (const w of initial) await apply(w);
            inf.start();
            await converged(1);
            for (const r of rounds) {
              const watches = src.watchesFrom().length;
              src.breakWatch();
              for (const w of r.writes) await apply(w);
              if (r.compact) {
                // Writes outside the prefix move the revision on, so the compaction really drops
                // history the resumed watch needs (compact(r) keeps revision r, so it takes two).
                await store.create(`/other/${randomUUID()}`, 1);
                await store.create(`/other/${randomUUID()}`, 1);
                await store.compact(await store.currentRevision());
              }
              // Resumed watch; after a compaction it fails Expired and a re-list opens another.
              await converged(watches + (r.compact ? 2 : 1));
            }
            expect(src.lists()).toBeGreaterThanOrEqual(1 + rounds.filter((r) => r.compact).length);
            expect(new Map(inf.list().map((t) => [t.metadata.name, t.status.phase]))).toEqual(
              new Map(mirror),
            );
          } finally {
            inf.stop();
            await store.close();
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it('resumes the watch from the last resourceVersion after a non-Expired error, without re-listing', async () => {
    const clock = new FakeClock();
    const store = await openStore();
    await put(store, task('prod', 'a', 'h1'));
    const src = breakable(storeListWatch<Task>(store, PREFIX));
    const inf = informerOn(src.source, { clock });
    const events = record(inf);
    inf.start();
    await inf.waitForSync();
    await put(store, task('prod', 'b', 'h1'));
    await vi.waitFor(() => expect(events).toHaveLength(2));
    src.breakWatch();
    await put(store, task('prod', 'a', 'h1', 'Failed')); // happens while disconnected
    clock.advance(49);
    await new Promise((r) => setTimeout(r, 20));
    expect(src.watchesFrom()).toHaveLength(1); // still backing off
    clock.advance(1);
    await vi.waitFor(() => expect(inf.get('prod/a')?.status.phase).toBe('Failed'));
    expect(src.lists()).toBe(1);
    expect(events.at(-1)).toEqual({ type: 'update', key: 'prod/a', from: 'Pending', to: 'Failed' });
  });

  it('calls onResync for every cached object each resync period', async () => {
    const clock = new FakeClock();
    const store = await openStore();
    await put(store, task('prod', 'a', 'h1'));
    await put(store, task('prod', 'b', 'h1'));
    const inf = new Informer<Task>({
      name: 'tasks',
      source: storeListWatch(store, PREFIX),
      clock,
      resyncPeriodMs: 1000,
    });
    cleanup.push(() => inf.stop());
    const resynced: string[] = [];
    inf.addEventHandler({ onResync: (t) => resynced.push(t.metadata.name) });
    inf.start();
    await inf.waitForSync();
    clock.advance(999);
    expect(resynced).toEqual([]);
    clock.advance(1);
    expect(resynced.sort()).toEqual(['a', 'b']);
    clock.advance(1000);
    expect(resynced).toHaveLength(4);
  });

  it('refuses new indexes after start; a restart begins unsynced and replays adds for what exists', async () => {
    const store = await openStore();
    await put(store, task('prod', 'a', 'h1'));
    const inf = informerOn(storeListWatch(store, PREFIX));
    const events = record(inf);
    inf.start();
    expect(() => inf.addIndexer('late', () => [])).toThrow(/before start/);
    await inf.waitForSync();
    inf.stop();
    await remove(store, 'prod', 'a');
    await put(store, task('prod', 'b', 'h1'));
    inf.start();
    expect(() => inf.get('prod/a')).toThrow(CacheNotSyncedError);
    await inf.waitForSync();
    expect(inf.list().map((t) => t.metadata.name)).toEqual(['b']);
    // A restarted informer feeds freshly started controllers: every existing object is an add.
    expect(events).toEqual([
      { type: 'add', key: 'prod/a', phase: 'Pending' },
      { type: 'add', key: 'prod/b', phase: 'Pending' },
    ]);
  });

  it('waitForSync rejects when the informer is stopped before it synced', async () => {
    const never: ListWatchSource<Task> = { list: () => new Promise(() => {}), watch: () => ({ close() {} }) };
    const inf = informerOn(never);
    inf.start();
    const waiting = inf.waitForSync();
    inf.stop();
    await expect(waiting).rejects.toThrow(/stopped before it synced/);
  });
});
