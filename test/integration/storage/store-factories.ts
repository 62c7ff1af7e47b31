/**
 * The two Store implementations as the conformance suite sees them. Each test gets a fresh store:
 * the memory store in its own temporary data dir (so the write-ahead log is exercised), the etcd
 * store on the run's shared real etcd under a key prefix of its own.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { EtcdStore } from '../../../pkg/storage/etcd/etcd-store.js';
import { MemoryStore } from '../../../pkg/storage/memory/memory-store.js';
import type { Store } from '../../../pkg/storage/types.js';

export interface StoreUnderTest {
  readonly store: Store;
  dispose(): Promise<void>;
}

export const storeFactories: Record<string, () => Promise<StoreUnderTest>> = {
  memory: async () => {
    const dir = await mkdtemp(join(tmpdir(), 'borealis-memstore-'));
    const store = await MemoryStore.open({ dataDir: dir });
    return {
      store,
      dispose: async () => {
        await store.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
  etcd: async () => {
    const store = new EtcdStore({ endpoints: [inject('etcdEndpoint')], keyPrefix: `/t-${randomUUID()}` });
    return { store, dispose: () => store.close() };
  },
};
