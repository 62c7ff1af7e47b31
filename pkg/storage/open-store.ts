/** Build the Store a command asked for: `memory` (default, optional data dir) or `etcd`. */
import { BorealisError } from '../errors/index.js';
import { EtcdStore } from './etcd/etcd-store.js';
import { MemoryStore } from './memory/memory-store.js';
import type { Store } from './types.js';

export interface OpenStoreOptions {
  readonly store?: 'memory' | 'etcd';
  readonly dataDir?: string;
  readonly etcdEndpoints?: readonly string[];
  readonly etcdPrefix?: string;
}

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const kind = options.store ?? 'memory';
  if (kind === 'memory')
    return MemoryStore.open(options.dataDir === undefined ? {} : { dataDir: options.dataDir });
  if (kind === 'etcd') {
    const endpoints = options.etcdEndpoints ?? [];
    if (endpoints.length === 0) {
      throw new BorealisError(
        'BadRequest',
        '--store etcd needs --etcd-endpoints (e.g. http://127.0.0.1:2379)',
      );
    }
    const store = new EtcdStore({
      endpoints,
      ...(options.etcdPrefix === undefined ? {} : { keyPrefix: options.etcdPrefix }),
    });
    await store.currentRevision(); // fail fast with a clear error when etcd is not reachable
    return store;
  }
  throw new BorealisError('BadRequest', `unknown store "${String(kind)}": use memory or etcd`);
}
