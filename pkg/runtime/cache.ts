/**
 * The informer's cache: frozen objects keyed by "namespace/name" (or "name" for cluster-scoped
 * kinds), with secondary indexes. Only the informer writes it; controllers read it through the
 * informer, which refuses reads until the first list has landed (see informer.ts).
 */
import { Indexer, type IndexFunc } from './indexer.js';
import { freezeSharing } from './shared-json.js';

/**
 * Objects known to be frozen all the way down (vouched for by whoever made them, e.g. the
 * in-process client sharing the API server's cached objects): deepFreeze need not walk them.
 */
const deeplyFrozen = new WeakSet<object>();

/** Record that `value` is already frozen all the way down (the caller vouches), so deepFreeze skips it. */
export function markDeepFrozen<T extends object>(value: T): T {
  deeplyFrozen.add(value);
  return value;
}

/**
 * Freeze `value` and everything reachable from it, sharing repeated subtrees and strings with
 * other cached objects (./shared-json.ts). Unlike immer's freeze, this does not stop at an
 * already-frozen object: a source may hand over a frozen envelope around mutable parts.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || deeplyFrozen.has(value)) return value;
  return freezeSharing(value);
}

/** The part of an object the runtime relies on: the Kubernetes ObjectMeta fields it reads. */
export interface RuntimeObject {
  readonly metadata: {
    readonly name?: string;
    readonly namespace?: string;
    readonly uid?: string;
    readonly resourceVersion?: string;
    readonly ownerReferences?: readonly { readonly uid: string }[];
  };
}

/** The queue/cache key of an object: "namespace/name", or "name" when it has no namespace. */
export function objectKey(obj: RuntimeObject): string {
  const { name, namespace } = obj.metadata;
  if (!name) throw new Error('object has no metadata.name; it cannot be cached or queued');
  return namespace ? `${namespace}/${name}` : name;
}

/** The inverse of objectKey. */
export function splitKey(key: string): { namespace?: string; name: string } {
  const slash = key.indexOf('/');
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** Built-in index: objects by namespace ("" for cluster-scoped). */
export const NAMESPACE_INDEX = 'namespace';
/** Built-in index: objects by the uid of each of their owners. */
export const OWNER_INDEX = 'owner';

const byNamespace: IndexFunc<RuntimeObject> = (obj) => [obj.metadata.namespace ?? ''];
const byOwner: IndexFunc<RuntimeObject> = (obj) => (obj.metadata.ownerReferences ?? []).map((r) => r.uid);

export class ObjectCache<T extends RuntimeObject> {
  private readonly items = new Map<string, T>();
  readonly indexer = new Indexer<T>();

  constructor() {
    this.indexer.register(NAMESPACE_INDEX, byNamespace);
    this.indexer.register(OWNER_INDEX, byOwner);
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  list(): readonly T[] {
    return [...this.items.values()];
  }

  keys(): readonly string[] {
    return [...this.items.keys()];
  }

  get size(): number {
    return this.items.size;
  }

  /**
   * Store `obj` (deep-frozen first, so nobody can change cached state by mutating what they got)
   * and return the object it replaced.
   */
  put(obj: T): { key: string; prev: T | undefined; obj: T } {
    const frozen = deepFreeze(obj);
    const key = objectKey(frozen);
    const prev = this.items.get(key);
    this.items.set(key, frozen);
    this.indexer.update(key, prev, frozen);
    return { key, prev, obj: frozen };
  }

  /** Remove `key`, returning what was there. */
  remove(key: string): T | undefined {
    const prev = this.items.get(key);
    if (prev === undefined) return undefined;
    this.items.delete(key);
    this.indexer.update(key, prev, undefined);
    return prev;
  }

  byIndex(name: string, value: string): readonly T[] {
    return this.indexer.objects(name, value);
  }

  clear(): void {
    this.items.clear();
    this.indexer.clear();
  }
}
