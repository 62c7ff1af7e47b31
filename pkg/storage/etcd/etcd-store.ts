/**
 * EtcdStore: the production Store over a real etcd (v3 API through the etcd3 client). Values are
 * JSON; compare-and-swap and transactions are etcd transactions whose compares are the guards;
 * TTL keys are attached to etcd leases. Single-key creates and updates are group-committed
 * (./group-commit.ts), so a key's revision is etcd's mod_revision widened by the write's position
 * in its transaction (./revisions.ts).
 */
import { Etcd3, type IOptions } from 'etcd3';
import type { IRequestOp } from 'etcd3/lib/rpc.js';
import { BorealisError } from '../../errors/index.js';
import { componentLogger } from '../../log/index.js';
import { checkKey, decodeValue, encodeValue } from '../codec.js';
import { decodeContinue, encodeContinue, keyAfter } from '../continue-token.js';
import { checkTtl, checkTxnShape } from '../errors.js';
import { TxnStore } from '../single-ops.js';
import type {
  ListOptions,
  ListResult,
  StoredValue,
  TxnOp,
  TxnResult,
  WatchHandle,
  WatchListener,
  WatchOptions,
  WriteOptions,
} from '../types.js';
import { fromEtcdError } from './etcd-errors.js';
import { watchEtcd } from './etcd-watch.js';
import { DEFAULT_GROUP_COMMIT, type GroupCommitOptions, GroupCommitter } from './group-commit.js';
import { commitWrites, type EtcdWrite } from './group-writes.js';
import { guardCompare, guardError } from './guards.js';
import { prefixEnd } from './keys.js';
import { decodeKv, type KvLike } from './kv-codec.js';
import { OwnWrites } from './own-writes.js';
import { etcdRevisionOf, SLOTS, slotRevision, wholeRevision, withPosition } from './revisions.js';

export interface EtcdStoreOptions {
  /** etcd client URLs, e.g. ["http://127.0.0.1:2379"]. */
  readonly endpoints: readonly string[];
  /** Prepended to every key (isolates clusters or tests sharing one etcd). Default "". */
  readonly keyPrefix?: string;
  /** Extra etcd3 client options (credentials, auth, dial timeout). */
  readonly client?: Omit<IOptions, 'hosts'>;
  /** How single-key writes are gathered into transactions. */
  readonly groupCommit?: GroupCommitOptions;
}

export class EtcdStore extends TxnStore {
  readonly name = 'etcd';
  private readonly client: Etcd3;
  private readonly keyPrefix: string;
  private readonly log = componentLogger('storage', { store: 'etcd' });
  private readonly writes: GroupCommitter<EtcdWrite>;
  private readonly ownWrites = new OwnWrites();

  constructor(options: EtcdStoreOptions) {
    super();
    this.client = new Etcd3({
      ...options.client,
      hosts: [...options.endpoints],
      // gRPC refuses replies over 4 MiB by default: an unpaged list of a few thousand Tasks is
      // bigger. etcd bounds what it sends itself (as kube-apiserver, take whatever it sends).
      grpcOptions: { 'grpc.max_receive_message_length': -1, ...options.client?.grpcOptions },
    });
    this.keyPrefix = options.keyPrefix ?? '';
    this.writes = new GroupCommitter(async (batch) => {
      const outcome = await commitWrites(this.client, this.keyPrefix, batch);
      if (outcome.committed) this.countCommitted(batch);
      return outcome.retry;
    }, options.groupCommit ?? DEFAULT_GROUP_COMMIT);
  }

  written<T>(key: string, revision: number): StoredValue<T> | undefined {
    return this.ownWrites.find(key, revision) as StoredValue<T> | undefined;
  }

  override create<T>(key: string, value: T, options: WriteOptions = {}): Promise<StoredValue<T>> {
    return this.groupWrite({ op: 'create', key }, value, options);
  }

  override update<T>(
    key: string,
    value: T,
    expectedRevision: number,
    options: WriteOptions = {},
  ): Promise<StoredValue<T>> {
    return this.groupWrite({ op: 'update', key, expectedRevision }, value, options);
  }

  private async groupWrite<T>(
    target: Pick<EtcdWrite, 'op' | 'key' | 'expectedRevision'>,
    value: T,
    options: WriteOptions,
  ): Promise<StoredValue<T>> {
    checkKey(target.key);
    checkTtl(target.key, options.ttlSeconds);
    const json = encodeValue(target.key, value);
    const lease = options.ttlSeconds ? await this.grantLease(options.ttlSeconds) : undefined;
    return new Promise<StoredValue<T>>((resolve, reject) => {
      this.writes.submit({
        ...target,
        json,
        bytes: json.length + target.key.length,
        ...(lease ? { lease } : {}),
        resolve: (written: StoredValue) => {
          this.ownWrites.remember(written);
          resolve(written as StoredValue<T>);
        },
        reject,
      });
    });
  }

  async get<T>(key: string): Promise<StoredValue<T> | undefined> {
    checkKey(key);
    try {
      const res = await this.client.kv.range({ key: this.full(key) });
      const kv = res.kvs[0];
      return kv ? decodeKv<T>(this.keyPrefix, kv) : undefined;
    } catch (err) {
      throw fromEtcdError(err, `get ${key}`);
    }
  }

  async txn(ops: readonly TxnOp[]): Promise<TxnResult> {
    checkTxnShape(ops);
    const encoded = ops.map((op) =>
      op.op === 'create' || op.op === 'update' ? encodeValue(op.key, op.value) : undefined,
    );
    const leases = await Promise.all(
      ops.map((op) => ('ttlSeconds' in op && op.ttlSeconds ? this.grantLease(op.ttlSeconds) : undefined)),
    );
    const compare = ops.map((op) => guardCompare(this.full(op.key), op));
    const success: IRequestOp[] = ops.map((op, i) => {
      const key = this.full(op.key);
      if (op.op === 'check') return { request_range: { key } };
      if (op.op === 'delete') return { request_delete_range: { key, prev_kv: true } };
      const lease = leases[i];
      const value = withPosition(encoded[i]!, 0);
      return { request_put: { key, value, prev_kv: true, ...(lease ? { lease } : {}) } };
    });
    const failure: IRequestOp[] = ops.map((op) => ({ request_range: { key: this.full(op.key) } }));
    let res: Awaited<ReturnType<Etcd3['kv']['txn']>>;
    try {
      res = await this.client.kv.txn({ compare, success, failure });
    } catch (err) {
      throw fromEtcdError(err, `transaction on ${ops.map((o) => o.key).join(', ')}`);
    }
    if (!res.succeeded)
      throw this.guardFailure(
        ops,
        res.responses.map((r) => r.response_range.kvs[0]),
      );
    this.countCommitted(ops);
    // Store.txn keeps one revision for the whole transaction: every op at position 0.
    const etcdRevision = Number(res.header.revision);
    const revision = slotRevision(etcdRevision, 0);
    const results = ops.map((op, i): StoredValue | undefined => {
      const r = res.responses[i]!;
      if (op.op === 'check')
        return r.response_range.kvs[0] ? decodeKv(this.keyPrefix, r.response_range.kvs[0]) : undefined;
      if (op.op === 'delete') return decodeKv(this.keyPrefix, r.response_delete_range.prev_kvs[0]!);
      const prev = r.response_put.prev_kv;
      const createRevision = op.op === 'create' || !prev ? revision : Number(prev.create_revision) * SLOTS;
      return Object.freeze({ key: op.key, value: decodeValue(encoded[i]!), revision, createRevision });
    });
    return { revision, results };
  }

  async list<T>(prefix: string, options: ListOptions = {}): Promise<ListResult<T>> {
    let from = this.full(prefix);
    let revision = options.revision ?? 0;
    if (options.continue) {
      const token = decodeContinue(prefix, options.continue);
      from = this.full(keyAfter(token.lastKey));
      revision = token.revision;
    }
    const limit = options.limit ?? 0;
    try {
      const res = await this.client.kv.range({
        key: from,
        range_end: prefixEnd(this.full(prefix)),
        // 0 asks etcd for its newest revision; a store revision below one etcd revision means 1.
        revision: revision > 0 ? Math.max(1, etcdRevisionOf(revision)) : 0,
        limit,
      });
      const listRevision = revision > 0 ? revision : wholeRevision(Number(res.header.revision));
      const items = res.kvs.map((kv) => decodeKv<T>(this.keyPrefix, kv));
      const result: { -readonly [K in keyof ListResult<T>]: ListResult<T>[K] } = {
        items,
        revision: listRevision,
      };
      const last = items[items.length - 1];
      if (res.more && last) {
        result.continue = encodeContinue(prefix, last.key, listRevision);
        result.remainingCount = Number(res.count) - items.length;
      }
      return result;
    } catch (err) {
      throw fromEtcdError(err, `list ${prefix}`);
    }
  }

  watch<T>(prefix: string, options: WatchOptions, listener: WatchListener<T>): WatchHandle {
    return watchEtcd(
      this.client,
      this.keyPrefix,
      prefix,
      options.fromRevision,
      listener as WatchListener,
      this.ownWrites,
    );
  }

  async currentRevision(): Promise<number> {
    try {
      // Any key will do (etcd refuses an empty one): the header carries the store's revision.
      const res = await this.client.kv.range({ key: this.full('/'), limit: 1, keys_only: true });
      return wholeRevision(Number(res.header.revision));
    } catch (err) {
      throw fromEtcdError(err, 'read current revision');
    }
  }

  async compact(revision: number): Promise<void> {
    try {
      if (etcdRevisionOf(revision) < 1) return; // nothing before etcd's first revision
      await this.client.kv.compact({ revision: etcdRevisionOf(revision), physical: true });
    } catch (err) {
      const e = fromEtcdError(err, `compact to ${revision}`);
      if (e.code === 'Expired') return; // already compacted at or past it
      throw e;
    }
  }

  async close(): Promise<void> {
    this.client.close();
  }

  private full(key: string): Buffer {
    return Buffer.from(this.keyPrefix + key, 'utf8');
  }

  private async grantLease(ttlSeconds: number): Promise<string> {
    try {
      const res = await this.client.leaseClient.leaseGrant({ TTL: Math.ceil(ttlSeconds) });
      return res.ID;
    } catch (err) {
      throw fromEtcdError(err, 'grant lease');
    }
  }

  /** Name the first failed guard the way the memory store does. */
  private guardFailure(ops: readonly TxnOp[], current: readonly (KvLike | undefined)[]): BorealisError {
    for (const [i, op] of ops.entries()) {
      const error = guardError(op, current[i]);
      if (error) return error;
    }
    this.log.warn({ keys: ops.map((o) => o.key) }, 'etcd transaction failed but no guard explains it');
    return new BorealisError(
      'Conflict',
      `transaction on ${ops.map((o) => o.key).join(', ')} lost a race; retry`,
    );
  }
}
