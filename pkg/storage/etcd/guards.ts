/**
 * The guards of etcd transactions, and what a failed one means. Expected revisions are store
 * revisions (./revisions.ts); etcd compares its own revision, which names one write of a key
 * because a key is written at most once per etcd transaction.
 */
import type { ICompare } from 'etcd3/lib/rpc.js';
import type { BorealisError } from '../../errors/index.js';
import { alreadyExists, conflict, notFound } from '../errors.js';
import type { TxnOp } from '../types.js';
import { type KvLike, kvRevision } from './kv-codec.js';
import { etcdRevisionOf } from './revisions.js';

/** What a guard needs to know of an operation. */
export interface Guarded {
  readonly op: TxnOp['op'];
  readonly key: string;
  readonly expectedRevision?: number | undefined;
}

export function guardCompare(fullKey: Buffer, op: Guarded): ICompare {
  if (op.op === 'create') return { key: fullKey, target: 'Create', result: 'Equal', create_revision: 0 };
  if (op.expectedRevision === undefined) {
    // A delete without a revision only needs the key to exist.
    return { key: fullKey, target: 'Version', result: 'Greater', version: 0 };
  }
  return { key: fullKey, target: 'Mod', result: 'Equal', mod_revision: etcdRevisionOf(op.expectedRevision) };
}

/** The error of `op`'s guard against the key as it is now (`current`), or undefined if it holds. */
export function guardError(op: Guarded, current: KvLike | undefined): BorealisError | undefined {
  if (op.op === 'create') return current ? alreadyExists(op.key) : undefined;
  if (!current) {
    if (op.op !== 'check') return notFound(op.key);
    return op.expectedRevision === 0 ? undefined : conflict(op.key, op.expectedRevision ?? 0, 0);
  }
  if (op.expectedRevision === undefined) return undefined;
  if (Number(current.mod_revision) === etcdRevisionOf(op.expectedRevision)) return undefined;
  return conflict(op.key, op.expectedRevision, kvRevision(current));
}
