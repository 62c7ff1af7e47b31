/** Decoding of etcd key-values into StoredValues (keys without the store's prefix). */
import { decodeValue } from '../codec.js';
import type { StoredValue } from '../types.js';
import { positionOf, SLOTS, splitPosition } from './revisions.js';

export interface KvLike {
  readonly key: Buffer;
  readonly value: Buffer;
  readonly mod_revision: string;
  readonly create_revision: string;
}

export function stripPrefix(keyPrefix: string, kv: KvLike): string {
  const fullKey = kv.key.toString('utf8');
  return fullKey.startsWith(keyPrefix) ? fullKey.slice(keyPrefix.length) : fullKey;
}

/** The store revision of a key-value (./revisions.ts), read without decoding its JSON. */
export function kvRevision(kv: KvLike): number {
  return Number(kv.mod_revision) * SLOTS + positionOf(kv.value);
}

/**
 * A key-value as the store hands it out: revision with the write's position in its transaction
 * (./revisions.ts); createRevision is the first slot of the creating etcd revision, because only
 * the newest write's position is stored.
 */
export function decodeKv<T = unknown>(keyPrefix: string, kv: KvLike): StoredValue<T> {
  const key = stripPrefix(keyPrefix, kv);
  if (kv.value.length === 0) {
    // A delete event's kv: no value, and never a group-committed write (position 0).
    return Object.freeze({
      key,
      value: null as T,
      revision: Number(kv.mod_revision) * SLOTS,
      createRevision: Number(kv.create_revision) * SLOTS,
    });
  }
  const { position, json } = splitPosition(kv.value);
  return Object.freeze({
    key,
    value: decodeValue<T>(json),
    revision: Number(kv.mod_revision) * SLOTS + position,
    createRevision: Number(kv.create_revision) * SLOTS,
  });
}
