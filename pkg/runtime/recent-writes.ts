/**
 * What this process wrote that its informer has not shown yet (the idea of client-go's
 * MutationCache). Under write load an informer lags its own process's writes; a controller that
 * plans from the lagging copy writes again from a stale resourceVersion, loses with a conflict,
 * and the conflicts' CPU makes the cache lag further. One RecentWrites per informer, fed by every
 * controller that writes the kind, lets each of them see the others' writes at once.
 *
 * Entries go as soon as the informer catches up (or the object is deleted), so it holds only the
 * writes in flight through the watch. They also expire: an entry is a hint, and a wrong one (a
 * write refused as a conflict although no newer version was ever written) must not hide an object
 * from its controllers for good.
 */

import { objectKey, type RuntimeObject } from './cache.js';
import { type Clock, systemClock } from './clock.js';
import type { Informer } from './informer.js';

/** Longer than any healthy watch lags behind its own process's writes. */
export const RECENT_WRITE_MAX_AGE_MS = 30_000;

const revisionOf = (o: RuntimeObject | undefined): number => Number(o?.metadata.resourceVersion ?? 0);

export class RecentWrites<T extends RuntimeObject> {
  /** key → the newest version known, or (after a lost race) only that one newer than `revision` exists. */
  private readonly newer = new Map<
    string,
    { readonly revision: number; readonly object?: T; readonly at: number }
  >();

  /** Keep the entries only until `informer` shows a version at least as new, or `maxAgeMs`. */
  constructor(
    informer: Informer<T>,
    private readonly clock: Clock = systemClock,
    private readonly maxAgeMs = RECENT_WRITE_MAX_AGE_MS,
  ) {
    informer.addEventHandler({
      onAdd: (o) => this.caughtUp(o),
      onUpdate: (_old, o) => this.caughtUp(o),
      onDelete: (o) => this.newer.delete(objectKey(o)),
    });
  }

  /** A write succeeded; `written` is the server's answer (with its new resourceVersion). */
  wrote(written: T): void {
    this.newer.set(objectKey(written), {
      revision: revisionOf(written),
      object: written,
      at: this.clock.now(),
    });
  }

  /** A write based on `read` lost a race (conflict, not found): some newer version exists. */
  lostRace(read: T): void {
    this.newer.set(objectKey(read), { revision: revisionOf(read) + 1, at: this.clock.now() });
  }

  /** Whether a newer version than `cached` is known to exist. */
  isBehind(cached: T): boolean {
    const entry = this.entry(objectKey(cached));
    return entry !== undefined && entry.revision > revisionOf(cached);
  }

  /** The newer of `cached` and what this process last wrote for the same object. */
  newest(key: string, cached: T | undefined): T | undefined {
    const written = this.entry(key)?.object;
    return written && revisionOf(written) > revisionOf(cached) ? written : cached;
  }

  get size(): number {
    return this.newer.size;
  }

  /** The live entry for `key`; an expired one is dropped. */
  private entry(key: string): { readonly revision: number; readonly object?: T } | undefined {
    const entry = this.newer.get(key);
    if (entry && this.clock.now() - entry.at > this.maxAgeMs) {
      this.newer.delete(key);
      return undefined;
    }
    return entry;
  }

  private caughtUp(o: T): void {
    const key = objectKey(o);
    const entry = this.newer.get(key);
    if (entry && revisionOf(o) >= entry.revision) this.newer.delete(key);
  }
}
