/**
 * The Store: where every piece of desired state lives. Two implementations (EtcdStore over a
 * real etcd, MemoryStore for the embedded default) pass one conformance suite, so callers never
 * care which one they have.
 *
 * Model (etcd's): a single cluster-wide revision counter that every committed write advances;
 * each key remembers the revision that created it and the revision that last modified it.
 * Values are JSON documents; the store encodes them and hands back deep-frozen copies, so nobody
 * can change stored state by mutating what they read.
 */

/** A JSON document as stored. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [k: string]: JsonValue };

/** One key as of some revision. */
export interface StoredValue<T = unknown> {
  readonly key: string;
  /** Deep-frozen decoded value. */
  readonly value: T;
  /** Revision of the last change to this key (etcd mod_revision; Kubernetes resourceVersion). */
  readonly revision: number;
  /** Revision that created this key. */
  readonly createRevision: number;
  /** Absolute expiry time (ms since epoch, by the store's clock) for keys written with a TTL. */
  readonly expiresAt?: number;
}

export interface WriteOptions {
  /** Delete the key automatically after this many seconds (events, leases). */
  readonly ttlSeconds?: number;
}

/** One operation of a multi-key transaction. All ops of a txn commit at one revision, or none do. */
export type TxnOp =
  | { readonly op: 'create'; readonly key: string; readonly value: unknown; readonly ttlSeconds?: number }
  | {
      readonly op: 'update';
      readonly key: string;
      readonly value: unknown;
      /** The key's revision the caller read; any other revision is a Conflict. */
      readonly expectedRevision: number;
      readonly ttlSeconds?: number;
    }
  | {
      readonly op: 'delete';
      readonly key: string;
      /** When given, the key must still be at this revision. */
      readonly expectedRevision?: number;
    }
  /** Guard only: the key must be at this revision (0 = must not exist). Writes nothing. */
  | { readonly op: 'check'; readonly key: string; readonly expectedRevision: number };

export interface TxnResult {
  /** The revision the transaction committed at. */
  readonly revision: number;
  /**
   * Per op, in order: the new value for create/update, the previous value for delete, the current
   * value (or undefined) for check.
   */
  readonly results: readonly (StoredValue | undefined)[];
}

export interface ListOptions {
  /** At most this many items (0 or absent: all). */
  readonly limit?: number;
  /** Opaque token from a previous page; the list continues at that page's revision. */
  readonly continue?: string;
  /** Read as of this revision (0 or absent: the newest). Older than the history: Expired. */
  readonly revision?: number;
}

export interface ListResult<T = unknown> {
  readonly items: readonly StoredValue<T>[];
  /** The revision the whole list (every page of it) is consistent at. */
  readonly revision: number;
  /** Present when more items remain: pass it back as `continue`. */
  readonly continue?: string;
  /** How many items remain after this page, when known. */
  readonly remainingCount?: number;
}

export type WatchEvent<T = unknown> =
  | {
      readonly type: 'put';
      readonly key: string;
      readonly revision: number;
      readonly value: StoredValue<T>;
      /** The value before this change (undefined for a create). */
      readonly prev?: StoredValue<T>;
    }
  | {
      readonly type: 'delete';
      readonly key: string;
      readonly revision: number;
      /** The value that was deleted. */
      readonly prev: StoredValue<T>;
    };

export interface WatchListener<T = unknown> {
  /** Changes in revision order; one call may carry several (a whole transaction at least). */
  onEvents(events: readonly WatchEvent<T>[]): void;
  /**
   * The watch ended and will deliver nothing more. `Expired` when the starting revision (or, after
   * a reconnect, the last delivered one) is older than the retained history: list again.
   */
  onError(err: Error): void;
  /** Progress: every change up to `revision` has been delivered (no change may be pending). */
  onProgress?(revision: number): void;
}

export interface WatchHandle {
  /** Resolves once the watch is registered; changes after `fromRevision` will all be delivered. */
  readonly ready: Promise<void>;
  close(): void;
}

export interface WatchOptions {
  /** Deliver every change with revision > fromRevision. */
  readonly fromRevision: number;
}

/** What a store has committed since it was opened (for metrics and benchmarks). */
export interface StoreStats {
  /** Transactions committed: on etcd, raft proposals (one revision each). */
  readonly transactions: number;
  /** Keys created, updated or deleted by them. */
  readonly writes: number;
}

export interface Store {
  /** "memory" or "etcd", for logs and benchmarks. */
  readonly name: string;
  stats(): StoreStats;
  get<T = unknown>(key: string): Promise<StoredValue<T> | undefined>;
  /**
   * A value this store itself wrote to `key` at exactly `revision`, if it still remembers it (the
   * etcd store does, for a few thousand writes: reading it back costs a round trip). A hint for
   * callers whose compare-and-swap decides anyway; undefined when unknown.
   */
  written?<T = unknown>(key: string, revision: number): StoredValue<T> | undefined;
  /** AlreadyExists when the key exists. */
  create<T = unknown>(key: string, value: T, options?: WriteOptions): Promise<StoredValue<T>>;
  /** Compare-and-swap: NotFound when missing, Conflict when the key is not at expectedRevision. */
  update<T = unknown>(
    key: string,
    value: T,
    expectedRevision: number,
    options?: WriteOptions,
  ): Promise<StoredValue<T>>;
  /** Returns the deleted value. NotFound when missing; Conflict when not at expectedRevision. */
  delete<T = unknown>(key: string, expectedRevision?: number): Promise<StoredValue<T>>;
  /**
   * Atomic multi-key transaction of at most MAX_TXN_OPS operations (etcd's limit). On a failed
   * guard nothing is written and the error (NotFound / AlreadyExists / Conflict) names the key.
   * Use `batch()` (./batch.ts) for more operations than fit in one transaction.
   */
  txn(ops: readonly TxnOp[]): Promise<TxnResult>;
  /** Keys starting with `prefix`, in key order, all consistent at one revision. */
  list<T = unknown>(prefix: string, options?: ListOptions): Promise<ListResult<T>>;
  watch<T = unknown>(prefix: string, options: WatchOptions, listener: WatchListener<T>): WatchHandle;
  /** The newest committed revision. */
  currentRevision(): Promise<number>;
  /**
   * Forget history before `revision` (as etcd does): reads at older revisions, and watches that
   * would need changes from before it, get Expired.
   */
  compact(revision: number): Promise<void>;
  close(): Promise<void>;
}

/** etcd refuses transactions with more operations than this (--max-txn-ops default). */
export const MAX_TXN_OPS = 128;

/** Largest encoded value accepted (etcd's default request limit is 1.5 MiB). */
export const MAX_VALUE_BYTES = 1.5 * 1024 * 1024;
