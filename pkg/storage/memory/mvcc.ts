/**
 * The memory store's multi-version index: every key keeps its versions back to the compaction
 * point, so reads and paged lists can be served as of any retained revision, exactly as etcd
 * serves them. Keys are kept sorted for prefix ranges. Pure data structure: no I/O, no timers.
 */
import { decodeValue } from '../codec.js';
import type { StoredValue } from '../types.js';

/**
 * One version of a key, held in one form at a time: the newest version of a key as its decoded
 * value once read (the same frozen object every read hands out, and the one the API server's
 * watch cache keeps anyway), an older one as its JSON (a decoded Task is ~2x its JSON, and old
 * versions are read only by historical lists and watch replays, which decode again). A version
 * with neither is a deletion (tombstone).
 */
export interface Version {
  readonly revision: number;
  readonly createRevision: number;
  /** The encoded value; dropped while `decoded` is kept (written back when superseded). */
  json: string | undefined;
  readonly expiresAt: number | undefined;
  decoded?: StoredValue | undefined;
  /** Set when a newer version of the key exists (then `decoded` is not kept). */
  superseded?: true;
}

export function isTombstone(v: Version): boolean {
  return v.json === undefined && v.decoded === undefined;
}

/** The version's JSON (for snapshots), from whichever form it is held in. */
export function jsonOf(v: Version): string | undefined {
  return v.json ?? (v.decoded === undefined ? undefined : JSON.stringify(v.decoded.value));
}

export function materialize(key: string, v: Version): StoredValue | undefined {
  if (v.decoded) return v.decoded;
  if (v.json === undefined) return undefined;
  const sv: { -readonly [K in keyof StoredValue]: StoredValue[K] } = {
    key,
    value: decodeValue(v.json),
    revision: v.revision,
    createRevision: v.createRevision,
  };
  if (v.expiresAt !== undefined) sv.expiresAt = v.expiresAt;
  const frozen = Object.freeze(sv);
  if (!v.superseded) {
    v.decoded = frozen;
    v.json = undefined;
  }
  return frozen;
}

/** A newer version exists: keep this one as JSON only. */
function supersede(v: Version): void {
  v.superseded = true;
  if (v.decoded !== undefined) {
    v.json = JSON.stringify(v.decoded.value);
    v.decoded = undefined;
  }
}

export class MvccIndex {
  /** Every key with at least one retained version, sorted. */
  private sortedKeys: string[] = [];
  private readonly versions = new Map<string, Version[]>();
  /** Keys holding more than one version or a tombstone: the only ones compaction has to visit. */
  private readonly compactable = new Set<string>();

  /** The newest version of a key at or before `revision` (undefined: none, or deleted). */
  versionAt(key: string, revision: number): Version | undefined {
    const list = this.versions.get(key);
    if (!list) return undefined;
    for (let i = list.length - 1; i >= 0; i--) {
      const v = list[i]!;
      if (v.revision <= revision) return isTombstone(v) ? undefined : v;
    }
    return undefined;
  }

  /** The newest version regardless of revision, tombstones excluded. */
  latest(key: string): Version | undefined {
    const list = this.versions.get(key);
    const v = list?.[list.length - 1];
    return v && !isTombstone(v) ? v : undefined;
  }

  /** Record a new version (a put, or a tombstone). */
  put(key: string, version: Version): void {
    let list = this.versions.get(key);
    if (!list) {
      list = [];
      this.versions.set(key, list);
      this.sortedKeys.splice(this.lowerBound(key), 0, key);
    }
    const prev = list[list.length - 1];
    if (prev) supersede(prev);
    list.push(version);
    if (list.length > 1 || isTombstone(version)) this.compactable.add(key);
  }

  /**
   * Live keys starting with `prefix` and sorting at or after `from`, as of `revision`, in key
   * order. Stops after `limit` items (0 = no limit) and says whether more remain.
   */
  range(
    prefix: string,
    from: string,
    revision: number,
    limit: number,
  ): { items: StoredValue[]; more: boolean; lastKey: string | undefined } {
    const items: StoredValue[] = [];
    let lastKey: string | undefined;
    const start = this.lowerBound(from > prefix ? from : prefix);
    for (let i = start; i < this.sortedKeys.length; i++) {
      const key = this.sortedKeys[i]!;
      if (!key.startsWith(prefix)) break;
      const v = this.versionAt(key, revision);
      if (!v) continue;
      if (limit > 0 && items.length === limit) return { items, more: true, lastKey };
      items.push(materialize(key, v)!);
      lastKey = key;
    }
    return { items, more: false, lastKey };
  }

  /**
   * Every live key as of `revision` with its version, in key order (for snapshots). Iterates a
   * copy of the key list, so writes made while a consumer awaits between items change nothing.
   */
  *entriesAt(revision: number): Generator<[string, Version]> {
    for (const key of this.sortedKeys.slice()) {
      const v = this.versionAt(key, revision);
      if (v) yield [key, v];
    }
  }

  /**
   * Drop what no read at or after `revision` can need: versions superseded at or before it, and
   * keys whose newest version is a tombstone at or before it.
   */
  compact(revision: number): void {
    let removedKeys = false;
    for (const key of this.compactable) {
      const list = this.versions.get(key)!;
      // Index of the newest version at or before `revision`; everything older is unreachable.
      let keepFrom = 0;
      for (let i = list.length - 1; i >= 0; i--) {
        if (list[i]!.revision <= revision) {
          keepFrom = i;
          break;
        }
      }
      if (keepFrom > 0) list.splice(0, keepFrom);
      const first = list[0]!;
      if (isTombstone(first) && first.revision <= revision) list.shift();
      if (list.length === 0) {
        this.versions.delete(key);
        this.compactable.delete(key);
        removedKeys = true;
      } else if (list.length === 1 && !isTombstone(list[0]!)) {
        this.compactable.delete(key);
      }
    }
    if (removedKeys) {
      this.sortedKeys = this.sortedKeys.filter((k) => this.versions.has(k));
    }
  }

  /** Number of keys with retained versions (live or not). */
  get keyCount(): number {
    return this.sortedKeys.length;
  }

  private lowerBound(key: string): number {
    let lo = 0;
    let hi = this.sortedKeys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sortedKeys[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
