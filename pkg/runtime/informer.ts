/**
 * Informer: keeps a local, frozen, indexed copy of one kind's objects in step with the source
 * (paged list, then watch from the list's resourceVersion) and tells event handlers about every
 * change. Reconnects resume the watch from the last resourceVersion seen; an Expired watch (the
 * history was compacted past it) triggers a fresh list, after which the informer emits deletes for
 * objects that vanished meanwhile and updates for ones that changed, so handlers stay level-correct
 * even across gaps.
 *
 * The synced gate: until the first list has landed, the cache is not the truth: an object missing
 * from it may simply not have been listed yet. Reads (`get`, `list`, `byIndex`) therefore throw
 * `CacheNotSyncedError` before sync, so "absent" can never be mistaken for "deleted"; controllers
 * wait on `waitForSync()` (the Controller and Manager do it for them).
 */
import { BorealisError } from '../errors/index.js';
import { componentLogger, type Logger } from '../log/index.js';
import { ObjectCache, objectKey, type RuntimeObject } from './cache.js';
import { type Clock, sleep, systemClock, type TimerHandle } from './clock.js';
import type { IndexFunc } from './indexer.js';
import { isExpired, type ListWatchEvent, type ListWatchSource } from './list-watch.js';

export interface DeleteInfo {
  /**
   * true when the delete was inferred from a re-list (the object vanished while the watch was
   * down): the object given is the last state this informer saw, not the state it was deleted in.
   */
  readonly finalStateUnknown: boolean;
}

/** Callbacks receive frozen objects; they should be cheap (typically: queue the key). */
export interface EventHandler<T> {
  onAdd?(obj: T): void;
  onUpdate?(oldObj: T, newObj: T): void;
  onDelete?(obj: T, info: DeleteInfo): void;
  /** Called for every cached object each resync period (level-triggered safety net). */
  onResync?(obj: T): void;
}

export interface InformerOptions<T> {
  /** For logs, e.g. "jobs". */
  readonly name: string;
  readonly source: ListWatchSource<T>;
  readonly clock?: Clock;
  /** Items per list page (default 500). */
  readonly pageSize?: number;
  /** Call onResync for every object this often (default 0: never). */
  readonly resyncPeriodMs?: number;
  /** Backoff after a failed list or watch: starts here, doubles, capped (defaults 100 ms, 30 s). */
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Custom indexes, e.g. { host: (t) => [t.status.host] }. More can be added before start. */
  readonly indexers?: Readonly<Record<string, IndexFunc<T>>>;
}

/** Thrown by cache reads before the informer has synced: the cache is not yet the truth. */
export class CacheNotSyncedError extends BorealisError {
  constructor(informer: string) {
    super(
      'ServiceUnavailable',
      `informer "${informer}" has not synced; wait for waitForSync() before reading`,
    );
  }
}

export class Informer<T extends RuntimeObject> {
  readonly name: string;
  private readonly source: ListWatchSource<T>;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly cache = new ObjectCache<T>();
  private readonly handlers: EventHandler<T>[] = [];
  private readonly pageSize: number;
  private readonly resyncPeriodMs: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private started = false;
  private synced = false;
  /** Bumped on every start and stop, so a loop from an earlier run discards what it gets. */
  private generation = 0;
  private abort: AbortController | undefined;
  private closeWatch: (() => void) | undefined;
  private resyncTimer: TimerHandle | undefined;
  private syncWaiters: { resolve(): void; reject(err: Error): void }[] = [];
  private lastResourceVersion: string | undefined;

  constructor(options: InformerOptions<T>) {
    this.name = options.name;
    this.source = options.source;
    this.clock = options.clock ?? systemClock;
    this.log = componentLogger('runtime', { informer: options.name });
    this.pageSize = options.pageSize ?? 500;
    this.resyncPeriodMs = options.resyncPeriodMs ?? 0;
    this.initialBackoffMs = options.initialBackoffMs ?? 100;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    for (const [name, fn] of Object.entries(options.indexers ?? {})) this.addIndexer(name, fn);
  }

  /** Register a custom index. Only before the first start, so every object is filed in it. */
  addIndexer(name: string, fn: IndexFunc<T>): void {
    if (this.started) throw new Error(`informer "${this.name}": add index "${name}" before start()`);
    this.cache.indexer.register(name, fn);
  }

  /**
   * Register handlers. If the informer has already synced, the handler first gets an onAdd for
   * every cached object, so a late handler sees the same world as an early one.
   */
  addEventHandler(handler: EventHandler<T>): void {
    this.handlers.push(handler);
    if (this.synced) for (const obj of this.cache.list()) this.call(handler, 'onAdd', obj);
  }

  /** Begin list + watch. Starting again after stop() begins from an empty, unsynced cache. */
  start(): void {
    if (this.abort) return;
    this.started = true;
    this.generation++;
    this.cache.clear();
    this.synced = false;
    this.lastResourceVersion = undefined;
    this.abort = new AbortController();
    void this.run(this.generation, this.abort.signal);
    if (this.resyncPeriodMs > 0) this.scheduleResync(this.generation);
  }

  /** Stop watching. Waiters on waitForSync are rejected; the cache stays readable as it was. */
  stop(): void {
    if (!this.abort) return;
    this.generation++;
    this.abort.abort();
    this.abort = undefined;
    this.closeWatch?.();
    this.closeWatch = undefined;
    this.resyncTimer?.cancel();
    const err = new Error(`informer "${this.name}" stopped before it synced`);
    for (const w of this.syncWaiters.splice(0)) w.reject(err);
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves once the first full list is in the cache and handlers have seen it. */
  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    if (!this.abort) return Promise.reject(new Error(`informer "${this.name}" is not running`));
    return new Promise((resolve, reject) => this.syncWaiters.push({ resolve, reject }));
  }

  /** The resourceVersion the cache is current to (undefined before the first list). */
  resourceVersion(): string | undefined {
    return this.lastResourceVersion;
  }

  /** The cached object under `key` ("namespace/name"), or undefined if it does not exist. */
  get(key: string): T | undefined {
    this.assertSynced();
    return this.cache.get(key);
  }

  list(): readonly T[] {
    this.assertSynced();
    return this.cache.list();
  }

  /** Objects filed under `value` in index `index` (built-ins: NAMESPACE_INDEX, OWNER_INDEX). */
  byIndex(index: string, value: string): readonly T[] {
    this.assertSynced();
    return this.cache.byIndex(index, value);
  }

  private assertSynced(): void {
    if (!this.synced) throw new CacheNotSyncedError(this.name);
  }

  private async run(gen: number, signal: AbortSignal): Promise<void> {
    let backoff = this.initialBackoffMs;
    let resumeFrom: string | undefined;
    while (gen === this.generation) {
      try {
        if (resumeFrom === undefined) {
          resumeFrom = await this.relist(gen);
          if (resumeFrom === undefined) return; // stopped mid-list
          backoff = this.initialBackoffMs;
        }
        const { err, progressed } = await this.watch(gen, resumeFrom);
        if (gen !== this.generation) return;
        resumeFrom = this.lastResourceVersion;
        if (progressed) backoff = this.initialBackoffMs;
        throw err;
      } catch (err) {
        if (gen !== this.generation) return;
        if (isExpired(err) && resumeFrom !== undefined) {
          // History compacted past our resourceVersion: only a fresh list can restore the truth.
          this.log.info({ err }, 'watch expired; listing again');
          resumeFrom = undefined;
          if (!(await this.pause(signal, 0))) return;
          continue;
        }
        // A list that fails (even Expired: its continue token outlived the history) backs off.
        this.log.warn({ err, backoffMs: backoff }, 'list/watch failed; retrying');
        if (!(await this.pause(signal, backoff))) return;
        backoff = Math.min(this.maxBackoffMs, backoff * 2);
      }
    }
  }

  /** Wait, then say whether the loop should go on (false once stopped). */
  private async pause(signal: AbortSignal, ms: number): Promise<boolean> {
    if (ms > 0) await sleep(this.clock, ms, signal);
    else await Promise.resolve();
    return !signal.aborted;
  }

  /** List every page and replace the cache with the result. Returns the list's resourceVersion. */
  private async relist(gen: number): Promise<string | undefined> {
    const items: T[] = [];
    let cont: string | undefined;
    let resourceVersion = '';
    do {
      const page = await this.source.list({
        limit: this.pageSize,
        ...(cont === undefined ? {} : { continue: cont }),
      });
      if (gen !== this.generation) return undefined;
      items.push(...page.items);
      resourceVersion = page.resourceVersion;
      cont = page.continue;
    } while (cont);
    this.replace(items, resourceVersion);
    return resourceVersion;
  }

  /** Make the cache equal `items`, emitting the add/update/delete events that amounts to. */
  private replace(items: readonly T[], resourceVersion: string): void {
    const seen = new Set<string>();
    for (const item of items) {
      if (!item.metadata.name) {
        this.log.error({ item }, 'listed object has no metadata.name; skipped');
        continue;
      }
      const { key, prev, obj } = this.cache.put(item);
      seen.add(key);
      if (prev === undefined) this.emit('onAdd', obj);
      else if (prev.metadata.resourceVersion !== obj.metadata.resourceVersion)
        this.emit('onUpdate', prev, obj);
    }
    for (const key of this.cache.keys()) {
      if (seen.has(key)) continue;
      const prev = this.cache.remove(key) as T;
      this.emit('onDelete', prev, { finalStateUnknown: true });
    }
    this.lastResourceVersion = resourceVersion;
    if (!this.synced) {
      this.synced = true;
      this.log.debug({ items: items.length, resourceVersion }, 'synced');
      for (const w of this.syncWaiters.splice(0)) w.resolve();
    }
  }

  /** Watch until it fails; resolves with the failure and whether any event arrived. */
  private watch(gen: number, from: string): Promise<{ err: unknown; progressed: boolean }> {
    return new Promise((resolve) => {
      let progressed = false;
      const handle = this.source.watch(from, {
        onEvent: (e) => {
          if (gen !== this.generation) return;
          progressed = true;
          try {
            this.apply(e);
          } catch (err) {
            // Never throw into the source's delivery loop; a bad object must not stall the rest.
            this.log.error({ err, type: e.type }, 'could not apply watch event; skipped');
          }
        },
        onError: (err) => resolve({ err, progressed }),
      });
      this.closeWatch = () => {
        handle.close();
        resolve({ err: new Error('stopped'), progressed });
      };
    });
  }

  private apply(e: ListWatchEvent<T>): void {
    if (e.type === 'BOOKMARK') {
      this.lastResourceVersion = e.object.metadata.resourceVersion;
      return;
    }
    if (e.type === 'DELETED') {
      const prev = this.cache.remove(objectKey(e.object));
      if (prev !== undefined) this.emit('onDelete', prev, { finalStateUnknown: false });
    } else {
      // ADDED and MODIFIED are handled alike: what matters is whether the cache had the key.
      const { prev, obj } = this.cache.put(e.object);
      if (prev === undefined) this.emit('onAdd', obj);
      else this.emit('onUpdate', prev, obj);
    }
    const rv = e.object.metadata.resourceVersion;
    if (rv !== undefined) this.lastResourceVersion = rv;
  }

  private scheduleResync(gen: number): void {
    this.resyncTimer = this.clock.setTimeout(() => {
      if (gen !== this.generation) return;
      if (this.synced) for (const obj of this.cache.list()) this.emit('onResync', obj);
      this.scheduleResync(gen);
    }, this.resyncPeriodMs);
  }

  private emit(event: 'onAdd' | 'onResync', obj: T): void;
  private emit(event: 'onUpdate', prev: T, obj: T): void;
  private emit(event: 'onDelete', obj: T, info: DeleteInfo): void;
  private emit(event: keyof EventHandler<T>, a: T, b?: T | DeleteInfo): void {
    for (const h of this.handlers) this.call(h, event, a, b);
  }

  /** A failing handler is logged and skipped; it must not stop the cache from advancing. */
  private call(h: EventHandler<T>, event: keyof EventHandler<T>, a: T, b?: T | DeleteInfo): void {
    try {
      const fn = h[event] as ((x: T, y?: T | DeleteInfo) => void) | undefined;
      fn?.call(h, a, b);
    } catch (err) {
      this.log.error({ err, event }, 'event handler threw');
    }
  }
}

/** Wait until every informer has synced (rejects if one is stopped first). */
export async function waitForCacheSync(
  informers: readonly { waitForSync(): Promise<void> }[],
): Promise<void> {
  await Promise.all(informers.map((i) => i.waitForSync()));
}
