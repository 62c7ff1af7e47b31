/**
 * The watch cache: one store watch per kind, fanned out to every client watch of that kind.
 * It keeps the current objects (for the synthetic ADDED events of a watch without a
 * resourceVersion) and a ring buffer of recent events (to resume a watch from a resourceVersion
 * without going back to the store). A watch from before what the buffer covers gets Expired
 * (410), as from kube-apiserver's watch cache: the client lists again.
 */
import type { ApiObject, KindDefinition } from '../../api/kind.js';
import { BorealisError } from '../errors/index.js';
import type { Logger } from '../log/index.js';
import type { Store, StoredValue, WatchEvent, WatchHandle } from '../storage/types.js';
import { EventRing } from './event-ring.js';
import { kindPrefix } from './keys.js';
import { type MutableObject, withResourceVersion } from './objects.js';

const RETRY_MS = 1000;

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface CachedEvent {
  readonly type: WatchEventType;
  readonly key: string;
  readonly revision: number;
  /** The object as clients see it (resourceVersion set; for DELETED the last state). */
  readonly object: MutableObject;
  /** The state before a MODIFIED event, for selector transitions. */
  readonly prev?: ApiObject;
}

export interface WatchSink {
  /** Called with events already filtered to the subscriber's prefix. */
  send(event: CachedEvent): void;
  /** The watch ended: `err` is an Expired error when history is gone, undefined on shutdown. */
  close(err?: BorealisError): void;
}

export interface Subscription {
  cancel(): void;
}

export class WatchCache {
  readonly prefix: string;
  /**
   * Current objects: as clients see them (resourceVersion set, shared by every event and watch)
   * and as the store handed them over (no resourceVersion inside; what a write starts from).
   */
  private readonly objects = new Map<
    string,
    { readonly object: MutableObject; readonly stored: StoredValue<ApiObject> }
  >();
  private readonly buffer: EventRing<CachedEvent>;
  /** Each sink's key prefix and the revision it has seen everything up to. */
  private readonly sinks = new Map<WatchSink, { prefix: string; after: number }>();
  private handle: WatchHandle | undefined;
  /** Events with revision > coveredFrom are all in the buffer. */
  private coveredFrom = 0;
  private latest = 0;
  private stopped = false;
  /** Resolves when the cache holds a consistent view (again, after a restart). */
  ready: Promise<void>;

  constructor(
    private readonly store: Store,
    readonly kind: KindDefinition,
    private readonly log: Logger,
    capacity = 1000,
  ) {
    this.prefix = kindPrefix(kind);
    this.buffer = new EventRing(capacity);
    this.ready = this.startWithRetry();
  }

  /**
   * The cached stored value of `key`, which may lag the store: callers use it only where a
   * compare-and-swap at its revision catches a stale copy (or where staleness is harmless).
   */
  peek(key: string): StoredValue<ApiObject> | undefined {
    return this.objects.get(key)?.stored;
  }

  /** Newest revision the cache has seen (events or progress notifications). */
  get revision(): number {
    return this.latest;
  }

  private async start(): Promise<void> {
    const listed = await this.store.list<ApiObject>(this.prefix);
    this.objects.clear();
    for (const item of listed.items)
      this.objects.set(item.key, { object: withResourceVersion(item.value, item.revision), stored: item });
    this.coveredFrom = listed.revision;
    this.latest = listed.revision;
    this.buffer.clear();
    if (this.stopped) return;
    this.handle = this.store.watch<ApiObject>(
      this.prefix,
      { fromRevision: listed.revision },
      {
        onEvents: (events) => this.onEvents(events),
        onError: (err) => this.onStoreError(err),
        onProgress: (rev) => {
          this.latest = Math.max(this.latest, rev);
        },
      },
    );
    await this.handle.ready;
  }

  private onEvents(events: readonly WatchEvent<ApiObject>[]): void {
    for (const e of events) {
      let event: CachedEvent;
      if (e.type === 'put') {
        const object = withResourceVersion(e.value.value, e.revision);
        const prev = this.objects.get(e.key)?.object;
        this.objects.set(e.key, { object, stored: e.value });
        event = prev
          ? { type: 'MODIFIED', key: e.key, revision: e.revision, object, prev }
          : { type: 'ADDED', key: e.key, revision: e.revision, object };
      } else {
        this.objects.delete(e.key);
        event = {
          type: 'DELETED',
          key: e.key,
          revision: e.revision,
          object: withResourceVersion(e.prev.value, e.revision),
        };
      }
      const evicted = this.buffer.push(event);
      if (evicted) this.coveredFrom = evicted.revision;
      this.latest = Math.max(this.latest, e.revision);
      for (const [sink, f] of this.sinks)
        if (e.revision > f.after && e.key.startsWith(f.prefix)) sink.send(event);
    }
  }

  /** Starts, retrying every second while the store is unreachable (etcd restarting, say). */
  private async startWithRetry(): Promise<void> {
    for (;;) {
      try {
        await this.start();
        return;
      } catch (err) {
        if (this.stopped) return;
        this.log.warn({ err, prefix: this.prefix }, 'watch cache could not start; retrying');
        await new Promise((r) => setTimeout(r, RETRY_MS).unref());
      }
    }
  }

  private onStoreError(err: Error): void {
    if (this.stopped) return;
    this.log.warn({ err, prefix: this.prefix }, 'store watch ended; restarting the watch cache');
    this.handle?.close();
    // Clients resume from their last resourceVersion; those the new cache cannot cover get Expired.
    for (const sink of this.sinks.keys()) sink.close();
    this.sinks.clear();
    this.ready = this.startWithRetry();
  }

  /**
   * Subscribes from `fromRevision` (events after it), or, when undefined, from now with a
   * synthetic ADDED event per current object first.
   */
  async subscribe(prefix: string, fromRevision: number | undefined, sink: WatchSink): Promise<Subscription> {
    await this.ready;
    if (fromRevision === undefined) {
      for (const [key, { object }] of this.objects) {
        if (key.startsWith(prefix)) sink.send({ type: 'ADDED', key, revision: this.latest, object });
      }
    } else if (fromRevision < this.coveredFrom) {
      // Like kube-apiserver's watch cache: history older than the window is gone; list again.
      sink.close(
        new BorealisError('Expired', `too old resource version: ${fromRevision} (${this.coveredFrom})`),
      );
      return { cancel: () => {} };
    } else {
      for (const event of this.buffer) {
        if (event.revision > fromRevision && event.key.startsWith(prefix)) sink.send(event);
      }
    }
    this.sinks.set(sink, { prefix, after: fromRevision ?? 0 });
    return { cancel: () => this.sinks.delete(sink) };
  }

  stop(): void {
    this.stopped = true;
    this.handle?.close();
    for (const sink of this.sinks.keys()) sink.close();
    this.sinks.clear();
  }
}
