/**
 * One group-committed etcd transaction: the guards of every write as its compares, every put as
 * its success branch (each value carrying its position, ./revisions.ts), and a read of every key
 * as its failure branch, so that when one guard fails we can tell which write it was, refuse that
 * one, and send the others again.
 */
import type { Etcd3 } from 'etcd3';
import type { IRequestOp } from 'etcd3/lib/rpc.js';
import { BorealisError } from '../../errors/index.js';
import { decodeValue } from '../codec.js';
import type { StoredValue } from '../types.js';
import { fromEtcdError } from './etcd-errors.js';
import type { QueuedWrite } from './group-commit.js';
import { guardCompare, guardError } from './guards.js';
import { SLOTS, slotRevision, withPosition } from './revisions.js';

export interface EtcdWrite extends QueuedWrite {
  readonly op: 'create' | 'update';
  readonly json: string;
  readonly expectedRevision?: number;
  readonly lease?: string;
  resolve(value: StoredValue): void;
}

export interface BatchOutcome {
  /** etcd wrote the whole batch. */
  readonly committed: boolean;
  /** Writes to send again: etcd wrote nothing because another write's guard failed. */
  readonly retry: readonly EtcdWrite[];
}

/** Write `batch` in one etcd transaction; settles every write not handed back for retry. */
export async function commitWrites(
  client: Etcd3,
  keyPrefix: string,
  batch: readonly EtcdWrite[],
): Promise<BatchOutcome> {
  const keys = batch.map((w) => Buffer.from(keyPrefix + w.key, 'utf8'));
  const success: IRequestOp[] = batch.map((w, i) => ({
    request_put: {
      key: keys[i]!,
      value: withPosition(w.json, i),
      // An update answers with the key's create revision, which only the previous version knows.
      prev_kv: w.op === 'update',
      ...(w.lease ? { lease: w.lease } : {}),
    },
  }));
  let res: Awaited<ReturnType<Etcd3['kv']['txn']>>;
  try {
    res = await client.kv.txn({
      compare: batch.map((w, i) => guardCompare(keys[i]!, w)),
      success,
      failure: keys.map((key) => ({ request_range: { key } })),
    });
  } catch (err) {
    for (const w of batch) w.reject(fromEtcdError(err, `${w.op} ${w.key}`));
    return { committed: false, retry: [] };
  }
  if (res.succeeded) {
    const etcdRevision = Number(res.header.revision);
    batch.forEach((w, i) => {
      const prev = res.responses[i]?.response_put.prev_kv;
      const createRevision = w.op === 'create' || !prev ? etcdRevision : Number(prev.create_revision);
      w.resolve(
        Object.freeze({
          key: w.key,
          value: decodeValue(w.json),
          revision: slotRevision(etcdRevision, i),
          createRevision: createRevision * SLOTS,
        }),
      );
    });
    return { committed: true, retry: [] };
  }
  const retry: EtcdWrite[] = [];
  batch.forEach((w, i) => {
    const error = guardError(w, res.responses[i]?.response_range.kvs[0]);
    if (error) w.reject(error);
    else retry.push(w);
  });
  if (retry.length === batch.length) {
    // etcd read the keys in the same transaction that compared them, so some guard must have
    // failed; if none did, do not loop: let the callers retry from a fresh read.
    const keys = batch.map((w) => w.key).join(', ');
    for (const w of batch)
      w.reject(
        new BorealisError('Conflict', `etcd refused the writes to ${keys} but no guard explains it; retry`),
      );
    return { committed: false, retry: [] };
  }
  return { committed: false, retry };
}
