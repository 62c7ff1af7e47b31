/**
 * MemoryStore: the embedded default Store. Same semantics as the etcd store (one revision
 * counter, compare-and-swap, transactions, MVCC reads for consistent paging, watch from any
 * retained revision, TTL keys), in one process.
 *
 * Durability: with a data dir, every transaction is appended to a write-ahead log and fsynced
 * before it is acknowledged or becomes visible to reads and watches; snapshots are written every
 * `snapshotEveryRevisions` and on close, after which older log files are deleted. Without a data
 * dir, state lives only as long as the process.
 *
 * Limits (honest): one process owns a data dir (a LOCK file enforces it); no replication; the
 * whole state must fit in memory; a snapshot of a large store costs a pass over every key.
 */
import { BorealisError } from '../../errors/index.js';
import { componentLogger } from '../../log/index.js';
import { type Clock, systemClock, type TimerHandle } from '../../runtime/clock.js';
import { checkKey, encodeValue } from '../codec.js';
import { decodeContinue, encodeContinue, keyAfter } from '../continue-token.js';
import { alreadyExists, checkTxnShape, conflict, expired, notFound } from '../errors.js';
import { TxnStore } from '../single-ops.js';
import type {
  ListOptions,
  ListResult,
  StoredValue,
  TxnOp,
  TxnResult,
  WatchEvent,
  WatchHandle,
  WatchListener,
  WatchOptions,
} from '../types.js';
import { DataDir } from './data-dir.js';
import { MvccIndex, materialize, type Version } from './mvcc.js';
import { TtlSweeper } from './ttl-sweeper.js';
import type { ReplayOp, WalOp } from './wal.js';
import { type Recorded, WatchHub } from './watch-hub.js';

export interface MemoryStoreOptions {
  /** Where the log and snapshots live; absent = nothing survives the process. */
  readonly dataDir?: string;
  /** fsync each log batch before acknowledging (default true). Off only for benchmarks of the rest. */
  readonly fsync?: boolean;
  readonly clock?: Clock;
  /** Watch history kept, in events (default 100,000); older history is compacted away. */
  readonly historyEvents?: number;
  /**
   * ...and in bytes of the values it refers to (default 64 MiB): with large objects, 100,000
   * events of history alone were ~270 MB (Tasks of ~2.7 KB), so the window is bounded by both.
   */
  readonly historyBytes?: number;
  /**
   * Compact old revisions on a timer as well, as Kubernetes has etcd do (every 5 min): each tick
   * compacts to the revision that was newest at the previous tick, so history covers between one
   * and two periods. Default 5 min; 0 = only by `historyEvents`.
   */
  readonly compactEveryMs?: number;
  /** Write a snapshot after this many revisions (default 50,000). */
  readonly snapshotEveryRevisions?: number;
}

interface PendingCommit {
  readonly revision: number;
  readonly events: WatchEvent[];
  readonly records: Recorded[];
  durable: boolean;
  done: Promise<void>;
  resolve(): void;
  reject(err: Error): void;
}

export class MemoryStore extends TxnStore {
  readonly name = 'memory';
  private readonly log = componentLogger('storage', { store: 'memory' });
  private readonly index = new MvccIndex();
  private readonly clock: Clock;
  private readonly hub: WatchHub;
  private readonly ttl: TtlSweeper;
  private readonly commits: PendingCommit[] = [];
  /** Newest revision handed out (visible to compare-and-swap checks). */
  private head: number;
  /** Newest revision that is durable; reads and watches see up to here. */
  private durable: number;
  /** Reads below this revision are Expired. */
  private compacted: number;
  private closed = false;
  private failed: Error | undefined;
  private readonly historyEvents: number;
  private readonly historyBytes: number;
  private readonly compactEveryMs: number;
  private compactTimer: TimerHandle | undefined;
  /** Newest durable revision at the previous compaction tick: the next tick compacts to it. */
  private lastTickRevision: number;

  private constructor(
    private readonly dir: DataDir | undefined,
    options: MemoryStoreOptions,
    start: { revision: number; compacted: number },
  ) {
    super();
    this.clock = options.clock ?? systemClock;
    this.historyEvents = options.historyEvents ?? 100_000;
    this.historyBytes = options.historyBytes ?? 64 * 1024 * 1024;
    this.compactEveryMs = options.compactEveryMs ?? 5 * 60_000;
    this.lastTickRevision = start.revision;
    this.head = start.revision;
    this.durable = start.revision;
    this.compacted = start.compacted;
    this.hub = new WatchHub(start.revision);
    this.ttl = new TtlSweeper(this.clock, (expiredKeys) => this.expire(expiredKeys));
    this.scheduleCompaction();
  }

  static async open(options: MemoryStoreOptions = {}): Promise<MemoryStore> {
    if (options.dataDir === undefined)
      return new MemoryStore(undefined, options, { revision: 1, compacted: 0 });
    const dir = await DataDir.open(options.dataDir, {
      fsync: options.fsync ?? true,
      snapshotEveryRevisions: options.snapshotEveryRevisions ?? 50_000,
    });
    const recovered = await dir.recover();
    const store = new MemoryStore(dir, options, {
      revision: recovered.snapshotRevision,
      compacted: recovered.snapshotRevision,
    });
    for (const e of recovered.snapshotEntries) store.loadVersion(e.key, e.version);
    // Replay the log through the normal apply path so watch history is rebuilt as well.
    for (const record of recovered.records) store.replay(record.r, record.o);
    store.durable = store.head;
    store.log.info(
      { dataDir: options.dataDir, revision: store.head, keys: store.index.keyCount },
      'memory store recovered',
    );
    store.ttl.sweepSoon();
    return store;
  }

  async get<T>(key: string): Promise<StoredValue<T> | undefined> {
    checkKey(key);
    const v = this.index.versionAt(key, await this.readIndex());
    return v ? (materialize(key, v) as StoredValue<T>) : undefined;
  }

  async txn(ops: readonly TxnOp[]): Promise<TxnResult> {
    this.assertWritable();
    checkTxnShape(ops);
    const encoded = ops.map((op) =>
      op.op === 'create' || op.op === 'update' ? encodeValue(op.key, op.value) : undefined,
    );
    // Guards are checked against the newest state, pending writes included: etcd orders writes
    // the same way (by proposal), so a stale revision can never overwrite a newer write.
    for (const op of ops) this.checkGuard(op);
    const revision = ++this.head;
    const now = this.clock.now();
    const walOps: WalOp[] = [];
    const events: WatchEvent[] = [];
    const records: Recorded[] = [];
    const results = ops.map((op, i) => {
      const prevVersion = this.index.latest(op.key);
      const prev = prevVersion ? materialize(op.key, prevVersion) : undefined;
      if (op.op === 'check') return prev;
      if (op.op === 'delete') {
        const tombstone: Version = { revision, createRevision: 0, json: undefined, expiresAt: undefined };
        this.index.put(op.key, tombstone);
        this.ttl.forget(op.key);
        walOps.push({ k: op.key, d: 1 });
        events.push({ type: 'delete', key: op.key, revision, prev: prev! });
        records.push({ key: op.key, revision, version: tombstone, prev: prevVersion, bytes: 0 });
        return prev;
      }
      const json = encoded[i]!;
      const createRevision = op.op === 'create' ? revision : prevVersion!.createRevision;
      const expiresAt = op.ttlSeconds === undefined ? undefined : now + op.ttlSeconds * 1000;
      const version: Version = { revision, createRevision, json, expiresAt };
      this.index.put(op.key, version);
      this.ttl.track(op.key, revision, expiresAt);
      walOps.push(
        expiresAt === undefined
          ? { k: op.key, v: json, c: createRevision }
          : { k: op.key, v: json, c: createRevision, e: expiresAt },
      );
      const stored = materialize(op.key, version)!;
      events.push(
        prev
          ? { type: 'put', key: op.key, revision, value: stored, prev }
          : { type: 'put', key: op.key, revision, value: stored },
      );
      records.push({ key: op.key, revision, version, prev: prevVersion, bytes: json.length });
      return stored;
    });
    await this.commit(revision, walOps, events, records);
    this.countCommitted(ops);
    return { revision, results };
  }

  async list<T>(prefix: string, options: ListOptions = {}): Promise<ListResult<T>> {
    let from = prefix;
    const newest = await this.readIndex();
    let revision = options.revision && options.revision > 0 ? options.revision : newest;
    if (options.continue) {
      const token = decodeContinue(prefix, options.continue);
      from = keyAfter(token.lastKey);
      revision = token.revision;
    }
    if (revision < this.compacted) throw expired(revision, this.compacted);
    if (revision > this.durable) {
      throw new BorealisError('Timeout', `revision ${revision} is newer than the store's ${this.durable}`);
    }
    const page = this.index.range(prefix, from, revision, options.limit ?? 0);
    const result: { -readonly [K in keyof ListResult<T>]: ListResult<T>[K] } = {
      items: page.items as StoredValue<T>[],
      revision,
    };
    if (page.more && page.lastKey !== undefined)
      result.continue = encodeContinue(prefix, page.lastKey, revision);
    return result;
  }

  watch<T>(prefix: string, options: WatchOptions, listener: WatchListener<T>): WatchHandle {
    if (this.closed) throw new BorealisError('ServiceUnavailable', 'store is closed');
    return this.hub.watch(prefix, options.fromRevision, listener as WatchListener);
  }

  async currentRevision(): Promise<number> {
    return this.readIndex();
  }

  async compact(revision: number): Promise<void> {
    if (revision > this.durable) {
      throw new BorealisError(
        'BadRequest',
        `cannot compact to ${revision}: newest revision is ${this.durable}`,
      );
    }
    if (revision <= this.compacted) return;
    this.compactTo(revision);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.ttl.stop();
    this.compactTimer?.cancel();
    await Promise.allSettled(this.commits.map((c) => c.done));
    this.hub.closeAll('store is closed');
    await this.dir?.close(this.durable, this.compacted, this.index.entriesAt(this.durable));
  }

  /** Number of live keys (for metrics and benchmarks). */
  get size(): number {
    let n = 0;
    for (const _ of this.index.entriesAt(this.durable)) n++;
    return n;
  }

  /**
   * Linearizable reads, as etcd's ReadIndex: a read waits until every write accepted before it
   * is durable, then reads as of that revision. Without this, a reader could see an older value
   * than a write that will be acknowledged, and a read-modify-write loop would spin on conflicts.
   */
  private async readIndex(): Promise<number> {
    const last = this.commits[this.commits.length - 1];
    if (last) await last.done;
    return this.durable;
  }

  private checkGuard(op: TxnOp): void {
    const current = this.index.latest(op.key);
    const actual = current?.revision ?? 0;
    switch (op.op) {
      case 'create':
        if (current) throw alreadyExists(op.key);
        return;
      case 'update':
        if (!current) throw notFound(op.key);
        if (actual !== op.expectedRevision) throw conflict(op.key, op.expectedRevision, actual);
        return;
      case 'delete':
        if (!current) throw notFound(op.key);
        if (op.expectedRevision !== undefined && actual !== op.expectedRevision) {
          throw conflict(op.key, op.expectedRevision, actual);
        }
        return;
      case 'check':
        if (actual !== op.expectedRevision) throw conflict(op.key, op.expectedRevision, actual);
        return;
    }
  }

  /** Make a transaction durable, then visible, strictly in revision order. */
  private commit(
    revision: number,
    walOps: WalOp[],
    events: WatchEvent[],
    records: Recorded[],
  ): Promise<void> {
    let resolve!: () => void;
    let reject!: (err: Error) => void;
    const done = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const entry: PendingCommit = { revision, events, records, durable: false, done, resolve, reject };
    this.commits.push(entry);
    const written = this.dir ? this.dir.append(revision, walOps) : Promise.resolve();
    written.then(
      () => {
        entry.durable = true;
        this.publishDurable();
      },
      (err: Error) => this.fail(err),
    );
    return done;
  }

  private publishDurable(): void {
    while (this.commits.length > 0 && this.commits[0]!.durable) {
      const c = this.commits.shift()!;
      this.durable = c.revision;
      this.hub.publish(c.events, c.records);
      c.resolve();
    }
    // 10 % slack, so compaction runs once per that much history, not on every commit.
    if (this.hub.retained > this.historyEvents * 1.1 || this.hub.retainedBytes > this.historyBytes * 1.1) {
      const cut = this.hub.cutFor(this.historyEvents, this.historyBytes);
      if (cut !== undefined) this.compactTo(cut);
    }
    this.dir?.maybeSnapshot(this.durable, this.compacted, (rev) => this.index.entriesAt(rev));
  }

  private scheduleCompaction(): void {
    if (this.compactEveryMs <= 0 || this.closed) return;
    this.compactTimer = this.clock.setTimeout(() => {
      const target = this.lastTickRevision;
      this.lastTickRevision = this.durable;
      if (target > this.compacted && !this.failed) this.compactTo(target);
      this.scheduleCompaction();
    }, this.compactEveryMs);
  }

  private compactTo(revision: number): void {
    // A snapshot in progress reads versions as of its revision; compaction waits for it.
    if (this.dir?.snapshotting) return;
    this.compacted = revision;
    this.index.compact(revision);
    this.hub.forgetBefore(revision);
  }

  private fail(err: Error): void {
    if (this.failed) return;
    this.failed = err;
    this.log.error({ err }, 'memory store can no longer write; refusing further writes');
    for (const c of this.commits.splice(0)) c.reject(err);
  }

  private assertWritable(): void {
    if (this.closed) throw new BorealisError('ServiceUnavailable', 'store is closed');
    if (this.failed) throw this.failed;
  }

  private loadVersion(key: string, version: Version): void {
    this.index.put(key, version);
    this.ttl.track(key, version.revision, version.expiresAt);
  }

  private replay(revision: number, ops: readonly ReplayOp[]): void {
    if (revision <= this.head) return; // already in the snapshot
    const events: WatchEvent[] = [];
    const records: Recorded[] = [];
    for (const op of ops) {
      const prevVersion = this.index.latest(op.k);
      const prev = prevVersion ? materialize(op.k, prevVersion) : undefined;
      if ('d' in op) {
        const tombstone: Version = { revision, createRevision: 0, json: undefined, expiresAt: undefined };
        this.index.put(op.k, tombstone);
        this.ttl.forget(op.k);
        if (prev) {
          events.push({ type: 'delete', key: op.k, revision, prev });
          records.push({ key: op.k, revision, version: tombstone, prev: prevVersion, bytes: 0 });
        }
        continue;
      }
      const json = JSON.stringify(op.v);
      const version: Version = { revision, createRevision: op.c, json, expiresAt: op.e };
      this.loadVersion(op.k, version);
      const value = materialize(op.k, version)!;
      events.push(
        prev
          ? { type: 'put', key: op.k, revision, value, prev }
          : { type: 'put', key: op.k, revision, value },
      );
      records.push({ key: op.k, revision, version, prev: prevVersion, bytes: json.length });
    }
    this.head = revision;
    this.hub.publish(events, records);
  }

  /** Delete keys whose TTL ran out, each guarded by the revision that set the TTL. */
  private async expire(keys: readonly { key: string; revision: number }[]): Promise<void> {
    for (const { key, revision } of keys) {
      if (this.closed || this.failed) return;
      try {
        await this.txn([{ op: 'delete', key, expectedRevision: revision }]);
      } catch (err) {
        // Rewritten or deleted since: the new write decides; nothing to expire.
        if (!(err instanceof BorealisError && (err.code === 'Conflict' || err.code === 'NotFound')))
          throw err;
      }
    }
  }
}
