/**
 * Informer: keeps a local, frozen, indexed copy of one kind's objects in step with the source
 * (through a Reflector: paged list, then watch, resumed or re-listed as needed) and tells event
 * handlers about every change. After a re-list it emits deletes for objects that vanished meanwhile
 * and updates for ones that changed, so handlers stay level-correct even across gaps.
 *
 * The synced gate: until the first list has landed, the cache is not the truth: an object missing
 * from it may simply not have been listed yet. Reads (`get`, `list`, `byIndex`) therefore throw
 * `CacheNotSyncedError` before sync, so "absent" can never be mistaken for "deleted"; controllers
 * wait on `waitForSync()` (the Controller and Manager do it for them).
 */
import { BorealisError } from '../errors/index.js';
import { componentLogger, type Logger } from '../log/index.js';
import { ObjectCache, objectKey, type RuntimeObject } from './cache.js';
import { type Clock, systemClock, type TimerHandle } from './clock.js';
import type { IndexFunc } from './indexer.js';
import type { ListWatchEvent, ListWatchSource } from './list-watch.js';
import { Reflector } from './reflector.js';

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
  /**
   * Applied to every listed or watched object before it is cached (client-go's SetTransform),
   * e.g. dropManagedFields: at 100,000 Tasks, what the cache does not keep is memory saved.
   */
  readonly transform?: (obj: T) => T;
}

/**
 * A transform that drops metadata.managedFields (about 40 % of a Task). Safe for controllers that
 * write with update: the API server keeps the stored managedFields when a write leaves them out.
 */
export function dropManagedFields<T extends RuntimeObject>(obj: T): T {
  const meta = obj.metadata as RuntimeObject['metadata'] & { managedFields?: unknown };
  if (meta.managedFields === undefined) return obj;
  const { managedFields: _dropped, ...rest } = meta;
  return { ...obj, metadata: rest };
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
  private readonly transform: (obj: T) => T;
  private started = false;
  private synced = false;
  /** The list/watch loop of the current run; undefined while stopped. */
  private reflector: Reflector<T> | undefined;
  /** Bumped on every start and stop, so a resync timer from an earlier run does nothing. */
  private generation = 0;
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
    this.transform = options.transform ?? ((obj) => obj);
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
    if (this.reflector) return;
    this.started = true;
    this.generation++;
    this.cache.clear();
    this.synced = false;
    this.lastResourceVersion = undefined;
    this.reflector = new Reflector<T>({
      source: this.source,
      clock: this.clock,
      log: this.log,
      pageSize: this.pageSize,
      initialBackoffMs: this.initialBackoffMs,
      maxBackoffMs: this.maxBackoffMs,
      sink: {
        replace: (items, rv) => this.replace(items, rv),
        apply: (e) => this.apply(e),
        resourceVersion: () => this.lastResourceVersion,
      },
    });
    this.reflector.start();
    if (this.resyncPeriodMs > 0) this.scheduleResync(this.generation);
  }

  /** Stop watching. Waiters on waitForSync are rejected; the cache stays readable as it was. */
  stop(): void {
    if (!this.reflector) return;
    this.generation++;
    this.reflector.stop();
    this.reflector = undefined;
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
    if (!this.reflector) return Promise.reject(new Error(`informer "${this.name}" is not running`));
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

  /** Make the cache equal `items`, emitting the add/update/delete events that amounts to. */
  private replace(items: readonly T[], resourceVersion: string): void {
    const seen = new Set<string>();
    for (const item of items) {
      if (!item.metadata.name) {
        this.log.error({ item }, 'listed object has no metadata.name; skipped');
        continue;
      }
      const { key, prev, obj } = this.cache.put(this.transform(item));
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
      const { prev, obj } = this.cache.put(this.transform(e.object));
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
