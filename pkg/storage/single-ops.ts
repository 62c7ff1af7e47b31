/**
 * The single-key operations every Store offers, as one-op transactions: both implementations
 * extend TxnStore and only implement `txn`, so guards and errors are decided in one place each.
 */
import type {
  ListOptions,
  ListResult,
  Store,
  StoredValue,
  StoreStats,
  TxnOp,
  TxnResult,
  WatchHandle,
  WatchListener,
  WatchOptions,
  WriteOptions,
} from './types.js';

const ttl = (options: WriteOptions): { ttlSeconds?: number } =>
  options.ttlSeconds === undefined ? {} : { ttlSeconds: options.ttlSeconds };

export abstract class TxnStore implements Store {
  abstract readonly name: string;
  protected readonly committed = { transactions: 0, writes: 0 };

  stats(): StoreStats {
    return { ...this.committed };
  }

  /** Count a committed transaction of `ops` (guards are not writes). */
  protected countCommitted(ops: readonly { readonly op: TxnOp['op'] }[]): void {
    this.committed.transactions++;
    for (const op of ops) if (op.op !== 'check') this.committed.writes++;
  }

  abstract get<T = unknown>(key: string): Promise<StoredValue<T> | undefined>;
  abstract txn(ops: readonly TxnOp[]): Promise<TxnResult>;
  abstract list<T = unknown>(prefix: string, options?: ListOptions): Promise<ListResult<T>>;
  abstract watch<T = unknown>(prefix: string, options: WatchOptions, listener: WatchListener<T>): WatchHandle;
  abstract currentRevision(): Promise<number>;
  abstract compact(revision: number): Promise<void>;
  abstract close(): Promise<void>;

  async create<T>(key: string, value: T, options: WriteOptions = {}): Promise<StoredValue<T>> {
    return (await this.txn([{ op: 'create', key, value, ...ttl(options) }])).results[0] as StoredValue<T>;
  }

  async update<T>(
    key: string,
    value: T,
    expectedRevision: number,
    options: WriteOptions = {},
  ): Promise<StoredValue<T>> {
    const op: TxnOp = { op: 'update', key, value, expectedRevision, ...ttl(options) };
    return (await this.txn([op])).results[0] as StoredValue<T>;
  }

  async delete<T>(key: string, expectedRevision?: number): Promise<StoredValue<T>> {
    const op: TxnOp =
      expectedRevision === undefined ? { op: 'delete', key } : { op: 'delete', key, expectedRevision };
    return (await this.txn([op])).results[0] as StoredValue<T>;
  }
}
