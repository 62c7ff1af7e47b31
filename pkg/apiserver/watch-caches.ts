/**
 * One watch cache per served kind, created when the kind is registered (so a list followed by a
 * watch never races the cache's start) and stopped when it is removed.
 */
import type { ApiObject, KindDefinition } from '../../api/kind.js';
import { componentLogger } from '../log/index.js';
import type { Store, StoredValue } from '../storage/types.js';
import { kindPrefix } from './keys.js';
import type { KindRegistry } from './registry.js';
import { WatchCache } from './watch-cache.js';

export class WatchCaches {
  private readonly caches = new Map<string, WatchCache>();
  private readonly log = componentLogger('apiserver', { part: 'watch-cache' });
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: Store,
    private readonly registry: KindRegistry,
    /** Events kept per kind for resuming watches. */
    private readonly capacity = 1000,
  ) {
    for (const served of registry.all()) this.ensure(served.def);
    this.unsubscribe = registry.onChange((change, served) => {
      if (change === 'added') this.ensure(served.def);
      else this.drop(served.def);
    });
  }

  ensure(kind: KindDefinition): WatchCache {
    const prefix = kindPrefix(kind);
    // Every served version of a kind shares its keys, and so one cache.
    let cache = this.caches.get(prefix);
    if (!cache) {
      cache = new WatchCache(this.store, kind, this.log, this.capacity);
      this.caches.set(prefix, cache);
    }
    return cache;
  }

  /** The cached stored value of `key` of this kind (possibly stale; see WatchCache.peek). */
  peek(kind: KindDefinition, key: string): StoredValue<ApiObject> | undefined {
    return this.caches.get(kindPrefix(kind))?.peek(key);
  }

  /** Whether some served kind still lives under this kind's keys. */
  isServed(kind: KindDefinition): boolean {
    const prefix = kindPrefix(kind);
    return this.registry.all().some((s) => kindPrefix(s.def) === prefix);
  }

  private drop(kind: KindDefinition): void {
    const prefix = kindPrefix(kind);
    if (this.isServed(kind)) return;
    this.caches.get(prefix)?.stop();
    this.caches.delete(prefix);
  }

  async ready(): Promise<void> {
    await Promise.all([...this.caches.values()].map((c) => c.ready));
  }

  stop(): void {
    this.unsubscribe();
    for (const c of this.caches.values()) c.stop();
    this.caches.clear();
  }
}
