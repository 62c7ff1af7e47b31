/**
 * The work queue between informers and reconcilers, with client-go's guarantees:
 *
 * - a key is queued at most once (adding it again while queued is a no-op: level-triggered
 *   reconcilers only need to know "look at this key", not how many times it changed);
 * - a key is never handed to two workers at once: a key added while a worker holds it is
 *   remembered (dirty) and queued again only when that worker calls `done(key)`;
 * - failures are retried through `addRateLimited` (per-key backoff under a global rate limit),
 *   and `forget` resets a key's backoff after a success;
 * - `addAfter` schedules a delayed add on the injected clock; when one key has several pending
 *   delayed adds, the earliest wins;
 * - `cancelDelayedUpTo` drops a key's delayed add asked for before a mark (`delayMark()`): the
 *   controller calls it when a reconcile that started after the mark succeeded, since that run
 *   saw whatever the add was for and its own result says when to look again. Without it, a
 *   100,000-task launch left 100,000 five-minute timers (one per Assigned task) that each woke a
 *   Running task for nothing.
 */
import { type Clock, systemClock, type TimerHandle } from './clock.js';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.js';

export interface WorkQueueOptions {
  readonly clock?: Clock;
  /** Retry policy for `addRateLimited` (default: defaultControllerRateLimiter on the same clock). */
  readonly rateLimiter?: RateLimiter;
}

export interface ShutDownOptions {
  /**
   * true: keys already queued are still handed out before `get()` reports shutdown (finish the
   * backlog). false (default): the backlog is dropped. Either way, in-flight keys are awaited.
   */
  readonly drain?: boolean;
}

export class WorkQueue {
  readonly clock: Clock;
  private readonly limiter: RateLimiter;
  /** Keys waiting for a worker, in order. */
  private readonly queue: string[] = [];
  /** Keys that need processing: queued, or re-added while being processed. */
  private readonly dirty = new Set<string>();
  /** Keys a worker holds right now. */
  private readonly processing = new Set<string>();
  /**
   * Pending delayed adds: the earliest due time per key, and the number of the newest addAfter
   * it stands for (a later request for a later time is served by the earlier add).
   */
  private readonly delayed = new Map<string, { at: number; timer: TimerHandle; asked: number }>();
  /** addAfter calls so far: numbers the requests, for `cancelDelayedUpTo`. */
  private delayRequests = 0;
  private readonly waiters: ((key: string | undefined) => void)[] = [];
  private idleWaiters: (() => void)[] = [];
  private shuttingDown = false;

  constructor(options: WorkQueueOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.limiter = options.rateLimiter ?? defaultControllerRateLimiter({ clock: this.clock });
  }

  /** Mark `key` as needing processing. Ignored after shutdown. */
  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    // Held by a worker: done() will queue it again, so it never runs twice concurrently.
    if (this.processing.has(key)) return;
    this.queue.push(key);
    this.dispatch();
  }

  /** Add `key` after `ms` of clock time; if an earlier add of it is already pending, keep that. */
  addAfter(key: string, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const asked = ++this.delayRequests;
    const at = this.clock.now() + ms;
    const pending = this.delayed.get(key);
    if (pending !== undefined && pending.at <= at) {
      pending.asked = asked;
      return;
    }
    pending?.timer.cancel();
    const timer = this.clock.setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    this.delayed.set(key, { at, timer, asked });
  }

  /** A mark for `cancelDelayedUpTo`: delayed adds asked for from now on are after it. */
  delayMark(): number {
    return this.delayRequests;
  }

  /** Cancel `key`'s pending delayed add unless it stands for a request made after `mark`. */
  cancelDelayedUpTo(key: string, mark: number): void {
    const pending = this.delayed.get(key);
    if (pending === undefined || pending.asked > mark) return;
    pending.timer.cancel();
    this.delayed.delete(key);
  }

  /** Retry `key` after its backoff (one more failure recorded). Returns the delay chosen. */
  addRateLimited(key: string): number {
    const delay = this.limiter.when(key);
    this.addAfter(key, delay);
    return delay;
  }

  /** The key is done failing: reset its backoff. Does not remove it from the queue. */
  forget(key: string): void {
    this.limiter.forget(key);
  }

  /** Failures recorded for `key` since its last forget. */
  numRequeues(key: string): number {
    return this.limiter.numRequeues(key);
  }

  /**
   * The next key to process, waiting until one is available; `undefined` once the queue is shut
   * down (and, when draining, empty). The caller must call `done(key)` when finished.
   */
  get(): Promise<string | undefined> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.dispatch();
    });
  }

  /** The worker finished `key`; if it was re-added meanwhile, it is queued again now. */
  done(key: string): void {
    if (!this.processing.delete(key)) return;
    if (this.dirty.has(key) && !this.shuttingDown) {
      this.queue.push(key);
      this.dispatch();
    }
    if (this.processing.size === 0) {
      const idle = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of idle) w();
    }
  }

  /** Keys waiting for a worker (not counting delayed adds or keys in flight). */
  len(): number {
    return this.queue.length;
  }

  /** Keys currently held by workers. */
  inFlight(): number {
    return this.processing.size;
  }

  /** Delayed adds not yet due. */
  pendingDelayed(): number {
    return this.delayed.size;
  }

  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /**
   * Stop accepting keys, cancel delayed adds, wake idle workers with `undefined`, and resolve
   * once every key in flight is done.
   */
  shutDown(options: ShutDownOptions = {}): Promise<void> {
    this.shuttingDown = true;
    for (const { timer } of this.delayed.values()) timer.cancel();
    this.delayed.clear();
    if (!options.drain) {
      for (const key of this.queue) this.dirty.delete(key);
      this.queue.length = 0;
    }
    this.dispatch();
    if (this.processing.size === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.processing.size === 0 && this.queue.length === 0) resolve();
        else this.idleWaiters.push(check);
      };
      this.idleWaiters.push(check);
    });
  }

  /** Hand queued keys to waiting workers; after shutdown, release workers once nothing is left. */
  private dispatch(): void {
    while (this.waiters.length > 0 && this.queue.length > 0) {
      const key = this.queue.shift() as string;
      this.dirty.delete(key);
      this.processing.add(key);
      this.waiters.shift()?.(key);
    }
    if (this.shuttingDown && this.queue.length === 0) {
      for (const w of this.waiters.splice(0)) w(undefined);
    }
  }
}
