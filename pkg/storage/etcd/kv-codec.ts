/** Decoding of etcd key-values into StoredValues (keys without the store's prefix). */
import { decodeValue } from '../codec.js';
import type { StoredValue } from '../types.js';

export interface KvLike {
  readonly key: Buffer;
  readonly value: Buffer;
  readonly mod_revision: string;
  readonly create_revision: string;
}

export function decodeKv<T = unknown>(keyPrefix: string, kv: KvLike): StoredValue<T> {
  const fullKey = kv.key.toString('utf8');
  const key = fullKey.startsWith(keyPrefix) ? fullKey.slice(keyPrefix.length) : fullKey;
  const value = kv.value.length > 0 ? decodeValue<T>(kv.value.toString('utf8')) : (null as T);
  return Object.freeze({
    key,
    value,
    revision: Number(kv.mod_revision),
    createRevision: Number(kv.create_revision),
  });
}
