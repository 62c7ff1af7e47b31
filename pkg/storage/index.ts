/** Storage: the Store interface and its two implementations. */

export { type BatchResult, batch } from './batch.js';
export { EtcdStore, type EtcdStoreOptions } from './etcd/etcd-store.js';
export { MemoryStore, type MemoryStoreOptions } from './memory/memory-store.js';
export { type OpenStoreOptions, openStore } from './open-store.js';
export * from './types.js';
