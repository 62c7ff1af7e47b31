/**
 * The single-key operations every Store offers, as one-op transactions: both implementations
 * route create/update/delete through `txn`, so guards and errors are decided in one place each.
 */
import type { StoredValue, TxnOp, TxnResult, WriteOptions } from './types.js';

type Txn = (ops: readonly TxnOp[]) => Promise<TxnResult>;

const ttl = (options: WriteOptions): { ttlSeconds?: number } =>
  options.ttlSeconds === undefined ? {} : { ttlSeconds: options.ttlSeconds };

export async function createVia<T>(
  txn: Txn,
  key: string,
  value: T,
  options: WriteOptions = {},
): Promise<StoredValue<T>> {
  return (await txn([{ op: 'create', key, value, ...ttl(options) }])).results[0] as StoredValue<T>;
}

export async function updateVia<T>(
  txn: Txn,
  key: string,
  value: T,
  expectedRevision: number,
  options: WriteOptions = {},
): Promise<StoredValue<T>> {
  return (await txn([{ op: 'update', key, value, expectedRevision, ...ttl(options) }]))
    .results[0] as StoredValue<T>;
}

export async function deleteVia<T>(
  txn: Txn,
  key: string,
  expectedRevision?: number,
): Promise<StoredValue<T>> {
  const op: TxnOp =
    expectedRevision === undefined ? { op: 'delete', key } : { op: 'delete', key, expectedRevision };
  return (await txn([op])).results[0] as StoredValue<T>;
}
