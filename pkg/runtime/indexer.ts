/**
 * Secondary indexes over an informer cache: "which cached objects have index value V", kept up to
 * date on every add, update and delete, so a controller asks "tasks on host h" or "tasks owned by
 * job uid u" in O(answer) instead of scanning the cache on every reconcile.
 */

/** Maps an object to the index values it is filed under (none, one or many). */
export type IndexFunc<T> = (obj: T) => readonly string[];

export class Indexer<T> {
  private readonly funcs = new Map<string, IndexFunc<T>>();
  /** index name → index value → object keys. */
  private readonly indexes = new Map<string, Map<string, Set<string>>>();

  /** Register an index. Must happen before any object is added (the informer enforces it). */
  register(name: string, fn: IndexFunc<T>): void {
    if (this.funcs.has(name)) throw new Error(`index "${name}" is already registered`);
    this.funcs.set(name, fn);
    this.indexes.set(name, new Map());
  }

  has(name: string): boolean {
    return this.funcs.has(name);
  }

  /** File `key` under the values of `next` and out of the values of `prev` (either may be absent). */
  update(key: string, prev: T | undefined, next: T | undefined): void {
    for (const [name, fn] of this.funcs) {
      const index = this.indexes.get(name) as Map<string, Set<string>>;
      const before = prev === undefined ? [] : fn(prev);
      const after = next === undefined ? new Set<string>() : new Set(fn(next));
      for (const v of before) {
        if (after.has(v)) continue;
        const keys = index.get(v);
        keys?.delete(key);
        // Drop empty buckets so the index does not grow with every value ever seen.
        if (keys?.size === 0) index.delete(v);
      }
      for (const v of after) {
        let keys = index.get(v);
        if (keys === undefined) {
          keys = new Set();
          index.set(v, keys);
        }
        keys.add(key);
      }
    }
  }

  /** Keys filed under `value` in index `name`; throws for an unknown index (a typo, not "none"). */
  keys(name: string, value: string): readonly string[] {
    const index = this.indexes.get(name);
    if (index === undefined) throw new Error(`no index named "${name}"`);
    return [...(index.get(value) ?? [])];
  }

  /** Every value index `name` currently has objects under. */
  values(name: string): readonly string[] {
    const index = this.indexes.get(name);
    if (index === undefined) throw new Error(`no index named "${name}"`);
    return [...index.keys()];
  }

  clear(): void {
    for (const index of this.indexes.values()) index.clear();
  }
}
