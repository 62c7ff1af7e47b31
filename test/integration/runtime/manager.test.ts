import { randomUUID } from 'node:crypto';
import { Etcd3 } from 'etcd3';
import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import { objectKey } from '../../../pkg/runtime/cache.js';
import { Controller } from '../../../pkg/runtime/controller.js';
import { Informer } from '../../../pkg/runtime/informer.js';
import { alwaysLeader, EtcdLeaderElector, type LeaderElector } from '../../../pkg/runtime/leader-election.js';
import { storeListWatch } from '../../../pkg/runtime/list-watch.js';
import { Manager } from '../../../pkg/runtime/manager.js';
import { EtcdStore } from '../../../pkg/storage/etcd/etcd-store.js';
import { MemoryStore } from '../../../pkg/storage/memory/memory-store.js';
import type { Store } from '../../../pkg/storage/types.js';
import { PREFIX, put, type Task, task } from './fixtures.js';
import { tcpProxy } from './tcp-proxy.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** One "controller manager process": a tasks informer feeding a controller, under `elector`. */
function managerFor(store: Store, elector: LeaderElector) {
  const informer = new Informer<Task>({
    name: 'tasks',
    source: storeListWatch(store, PREFIX),
    initialBackoffMs: 20,
  });
  const reconciled: string[] = [];
  const readErrors: unknown[] = [];
  const controller = new Controller({
    name: 'tasks',
    waitFor: [informer],
    reconcile: async (key) => {
      try {
        // Level-triggered: read the cache; this throws if the manager ran us before sync.
        const t = informer.get(key);
        reconciled.push(`${key}@${t?.status.phase ?? 'gone'}`);
      } catch (err) {
        readErrors.push(err);
      }
      return {};
    },
  });
  const enqueue = (t: Task): void => controller.enqueue(objectKey(t));
  informer.addEventHandler({ onAdd: enqueue, onUpdate: (_, t) => enqueue(t), onDelete: enqueue });
  const terms: string[] = [];
  const manager = new Manager({
    elector,
    informers: [informer],
    controllers: [controller],
    onRunning: (token) => terms.push(`running ${token.identity}`),
    onStopped: (reason) => terms.push(`stopped: ${reason}`),
  });
  cleanup.push(() => manager.stop());
  return { manager, controller, informer, reconciled, readErrors, terms };
}

describe('Manager', () => {
  it('with alwaysLeader: starts informers, waits for sync, then reconciles every existing object', async () => {
    const store = await MemoryStore.open({});
    cleanup.push(() => store.close());
    for (const n of ['a', 'b', 'c']) await put(store, task('prod', n, 'h1'));
    const m = managerFor(store, alwaysLeader('solo'));
    m.manager.start();
    await vi.waitFor(() =>
      expect(m.reconciled.sort()).toEqual(['prod/a@Pending', 'prod/b@Pending', 'prod/c@Pending']),
    );
    expect(m.readErrors).toEqual([]);
    expect(m.terms).toEqual(['running solo']);
    expect(m.manager.isRunning()).toBe(true);

    await put(store, task('prod', 'a', 'h1', 'Running'));
    await vi.waitFor(() => expect(m.reconciled).toContain('prod/a@Running'));

    await m.manager.stop();
    expect(m.manager.isRunning()).toBe(false);
    expect(m.controller.isRunning()).toBe(false);
    const count = m.reconciled.length;
    await put(store, task('prod', 'b', 'h1', 'Failed'));
    await new Promise((r) => setTimeout(r, 100));
    expect(m.reconciled).toHaveLength(count); // a stopped manager acts on nothing
  });

  it('with etcd election: only the leader reconciles; when it is cut off the other takes over', async () => {
    const store = new EtcdStore({ endpoints: [inject('etcdEndpoint')], keyPrefix: `/t-${randomUUID()}` });
    cleanup.push(() => store.close());
    for (const n of ['a', 'b']) await put(store, task('prod', n, 'h1'));
    const leaderKey = `/manager-test/${randomUUID()}`;
    const proxy = await tcpProxy(inject('etcdEndpoint'));
    cleanup.push(() => proxy.cut());
    const elector = (identity: string, endpoint: string): LeaderElector => {
      const client = new Etcd3({ hosts: [endpoint] });
      cleanup.push(() => client.close());
      return new EtcdLeaderElector({ client, key: leaderKey, identity, ttlSeconds: 2 });
    };

    const one = managerFor(store, elector('one', proxy.endpoint));
    one.manager.start();
    await vi.waitFor(() => expect(one.reconciled).toHaveLength(2), { timeout: 5000 });
    const two = managerFor(store, elector('two', inject('etcdEndpoint')));
    two.manager.start();
    await new Promise((r) => setTimeout(r, 600)); // more than two's retry period
    expect(two.reconciled).toEqual([]);
    expect(two.controller.isRunning()).toBe(false);

    await proxy.cut(); // "one" loses etcd for its election
    await vi.waitFor(() => expect(one.terms).toEqual(['running one', 'stopped: renew deadline exceeded']), {
      timeout: 4000,
    });
    expect(one.controller.isRunning()).toBe(false);
    await vi.waitFor(() => expect(two.reconciled.sort()).toEqual(['prod/a@Pending', 'prod/b@Pending']), {
      timeout: 5000,
    });
    expect(two.readErrors).toEqual([]);
    expect(two.terms).toEqual(['running two']);
  });
});
