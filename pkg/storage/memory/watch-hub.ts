/**
 * Watch delivery for the memory store: a bounded, revision-ordered history of committed changes
 * and the set of open watches. A new watch first replays the retained history after its starting
 * revision, then receives live changes; both happen in one synchronous step, so nothing slips
 * between replay and live delivery. Changes are handed to watchers in batches, once per microtask,
 * so a burst of commits costs each watcher one call.
 *
 * History holds light records (key, revision and the index's Version objects), not the decoded
 * events: retained history then costs about one JSON string per event instead of two decoded
 * objects, and events are decoded again only when a late watch replays them.
 */
import { BorealisError } from '../../errors/index.js';
import { expired } from '../errors.js';
import type { WatchEvent, WatchHandle, WatchListener } from '../types.js';
import { materialize, type Version } from './mvcc.js';

/** One committed change as history keeps it; a tombstone `version` is a delete. */
export interface Recorded {
  readonly key: string;
  readonly revision: number;
  readonly version: Version;
  readonly prev: Version | undefined;
  /** Size of the new value's JSON (0 for a delete): what keeping this record costs, roughly. */
  readonly bytes: number;
}

function toEvent(r: Recorded): WatchEvent {
  const prev = r.prev === undefined ? undefined : materialize(r.key, r.prev);
  const value = materialize(r.key, r.version);
  if (value === undefined) return { type: 'delete', key: r.key, revision: r.revision, prev: prev! };
  return prev
    ? { type: 'put', key: r.key, revision: r.revision, value, prev }
    : { type: 'put', key: r.key, revision: r.revision, value };
}

interface Watcher {
  readonly prefix: string;
  readonly listener: WatchListener;
  closed: boolean;
  /** Revision of the last change this watcher has been given (or its starting revision). */
  after: number;
  /** Replayed history waiting for the next flush, delivered before any live change. */
  backlog: WatchEvent[] | undefined;
}

export class WatchHub {
  /** Retained changes, oldest first; `history[i].revision` is non-decreasing. */
  private history: Recorded[] = [];
  /** cumBytes[i]: bytes of every record ever published up to and including history[i]. */
  private cumBytes: number[] = [];
  private bytesPublished = 0;
  private bytesForgotten = 0;
  /** Every event with revision > historyStart is in `history`. */
  private historyStart: number;
  private readonly watchers = new Set<Watcher>();
  private pending: WatchEvent[] = [];
  private flushScheduled = false;

  constructor(historyStart: number) {
    this.historyStart = historyStart;
  }

  /** Oldest revision a watch may start from. */
  get oldestWatchable(): number {
    return this.historyStart;
  }

  get retained(): number {
    return this.history.length;
  }

  /** JSON bytes of the values retained history refers to. */
  get retainedBytes(): number {
    return this.bytesPublished - this.bytesForgotten;
  }

  /**
   * The oldest revision to keep so that at most `maxEvents` records and `maxBytes` bytes remain
   * (undefined: nothing to drop).
   */
  cutFor(maxEvents: number, maxBytes: number): number | undefined {
    let from = Math.max(0, this.history.length - maxEvents);
    // The first index whose suffix fits in maxBytes: cumBytes[from - 1] >= published - maxBytes.
    const floor = this.bytesPublished - maxBytes;
    if (this.retainedBytes > maxBytes) {
      let lo = 0;
      let hi = this.cumBytes.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.cumBytes[mid]! < floor) lo = mid + 1;
        else hi = mid;
      }
      from = Math.max(from, lo + 1);
    }
    // Always keep the newest record, however large.
    from = Math.min(from, this.history.length - 1);
    return from > 0 ? this.history[from]?.revision : undefined;
  }

  /**
   * Record committed changes (in revision order) and schedule their delivery: `events` go to the
   * open watches, `records` (the same changes, one for one) into history.
   */
  publish(events: readonly WatchEvent[], records: readonly Recorded[]): void {
    if (events.length !== records.length) throw new Error('watch hub: events and records differ');
    for (let i = 0; i < events.length; i++) {
      const r = records[i]!;
      this.history.push(r);
      this.bytesPublished += r.bytes;
      this.cumBytes.push(this.bytesPublished);
      this.pending.push(events[i]!);
    }
    if (this.pending.length > 0) this.scheduleFlush();
  }

  /** Forget events before `revision` (watches must then start at revision - 1 or later). */
  forgetBefore(revision: number): void {
    const drop = this.firstAfter(revision - 1);
    if (drop > 0) {
      this.bytesForgotten = this.cumBytes[drop - 1]!;
      this.history = this.history.slice(drop);
      this.cumBytes = this.cumBytes.slice(drop);
    }
    this.historyStart = Math.max(this.historyStart, revision - 1);
  }

  watch(prefix: string, fromRevision: number, listener: WatchListener): WatchHandle {
    const watcher: Watcher = { prefix, listener, closed: false, after: fromRevision, backlog: undefined };
    const handle: WatchHandle = {
      ready: Promise.resolve(),
      close: () => {
        watcher.closed = true;
        this.watchers.delete(watcher);
      },
    };
    if (fromRevision < this.historyStart) {
      const err = expired(fromRevision, this.historyStart);
      queueMicrotask(() => listener.onError(err));
      return handle;
    }
    // Replay what was published after fromRevision; changes still pending reach this watcher
    // through the next flush like everyone else's, after the replay.
    const published = this.history.length - this.pending.length;
    const backlog: WatchEvent[] = [];
    for (let i = this.firstAfter(fromRevision); i < published; i++) {
      const r = this.history[i]!;
      if (r.key.startsWith(prefix)) backlog.push(toEvent(r));
    }
    if (backlog.length > 0) {
      watcher.backlog = backlog;
      this.scheduleFlush();
    }
    this.watchers.add(watcher);
    return handle;
  }

  /** End every watch (store closing). */
  closeAll(reason: string): void {
    const err = new BorealisError('ServiceUnavailable', reason);
    for (const w of this.watchers) {
      w.closed = true;
      queueMicrotask(() => w.listener.onError(err));
    }
    this.watchers.clear();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    queueMicrotask(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = [];
    for (const w of this.watchers) {
      const mine = w.backlog ?? [];
      w.backlog = undefined;
      for (const e of batch) if (e.revision > w.after && e.key.startsWith(w.prefix)) mine.push(e);
      if (mine.length === 0) continue;
      w.after = mine[mine.length - 1]!.revision;
      try {
        w.listener.onEvents(mine);
      } catch {
        // A listener's failure is its own; the other watchers still get their events.
      }
    }
  }

  /** Index of the first retained event with revision > rev (binary search). */
  private firstAfter(rev: number): number {
    let lo = 0;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.history[mid]!.revision <= rev) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
