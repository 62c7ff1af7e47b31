/**
 * Controller: the reconcile loop. Workers take keys from a WorkQueue and call `reconcile(key)`;
 * the outcome decides what happens to the key next:
 *
 *   resolved {}                    → success: backoff forgotten, key left alone until it changes
 *   resolved { requeueAfterMs: n } → success, but look again in n ms (timers: windows, cron)
 *   threw TerminalError            → no retry (retrying cannot help); reported through onTerminal
 *   threw anything else / timed out→ retry with per-key exponential backoff under the rate limit
 *
 * Every run gets a child logger carrying a reconcile id, an AbortSignal, and a deadline: a hung
 * reconcile is abandoned (its signal aborted) and the key retried, so one stuck call to Mesos or
 * etcd cannot hold a worker forever. Abandoned work that ignores its signal keeps running in the
 * background; optimistic concurrency on every write is what keeps such stragglers harmless.
 */
import { randomUUID } from 'node:crypto';
import { isBorealisError } from '../errors/index.js';
import { componentLogger, type Logger } from '../log/index.js';
import { type Clock, systemClock } from './clock.js';
import type { RateLimiter } from './rate-limiter.js';
import { WorkQueue } from './work-queue.js';

export interface ReconcileResult {
  /** Reconcile this key again after this many ms even if nothing changes. */
  readonly requeueAfterMs?: number;
}

export interface ReconcileContext {
  readonly key: string;
  /** Unique per run; also bound into `log`. */
  readonly reconcileId: string;
  /** Child logger with controller name, key and reconcile id. */
  readonly log: Logger;
  /** Aborted when the run times out or the controller stops: stop work and return. */
  readonly signal: AbortSignal;
  /** Failures of this key since its last success (0 on a first attempt). */
  readonly attempt: number;
  readonly clock: Clock;
}

/** Throw this when retrying cannot help (invalid spec, impossible constraint). */
export class TerminalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TerminalError';
  }
}

/** The error a run is abandoned with when it exceeds its deadline. */
export class ReconcileTimeoutError extends Error {
  constructor(key: string, ms: number) {
    super(`reconcile of ${key} did not finish within ${ms} ms; abandoned`);
    this.name = 'ReconcileTimeoutError';
  }
}

export interface ControllerOptions {
  readonly name: string;
  /** Parallel workers (default 1). Two workers never hold the same key. */
  readonly workers?: number;
  readonly reconcile: (key: string, ctx: ReconcileContext) => Promise<ReconcileResult>;
  readonly clock?: Clock;
  /** Deadline per run (default 30 s). */
  readonly timeoutMs?: number;
  /** Retry policy (default: 5 ms → 1000 s per key under 10 qps / burst 100); one per queue. */
  readonly rateLimiter?: () => RateLimiter;
  /** A TerminalError ended this key's reconcile; turn it into an Event / condition. */
  readonly onTerminal?: (key: string, err: TerminalError) => void | Promise<void>;
  /** Caches that must have synced before any worker runs. */
  readonly waitFor?: readonly { waitForSync(): Promise<void> }[];
}

export class Controller {
  readonly name: string;
  private readonly options: ControllerOptions;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly timeoutMs: number;
  /**
   * Exists while stopped too, so keys enqueued before start (an informer's initial adds arrive
   * before its controller's workers may run) are kept; each stop swaps in a fresh queue.
   */
  private queue: WorkQueue;
  private workers: Promise<void>[] = [];
  private stopSignal: AbortController | undefined;

  constructor(options: ControllerOptions) {
    this.name = options.name;
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.log = componentLogger('runtime', { controller: options.name });
    this.queue = this.newQueue();
  }

  private newQueue(): WorkQueue {
    return new WorkQueue({
      clock: this.clock,
      ...(this.options.rateLimiter ? { rateLimiter: this.options.rateLimiter() } : {}),
    });
  }

  /** Ask for `key` to be reconciled. While stopped, it waits for the next start. */
  enqueue(key: string): void {
    this.queue.add(key);
  }

  /** Reconcile `key` after `ms` (earliest pending wins). */
  enqueueAfter(key: string, ms: number): void {
    this.queue.addAfter(key, ms);
  }

  /** True from start() until stop() (including while waiting for caches to sync). */
  isRunning(): boolean {
    return this.stopSignal !== undefined;
  }

  /**
   * Wait for the informers in `waitFor` to sync, then start the workers. Keys enqueued while
   * waiting are kept and processed once workers start. Resolves when workers are running.
   */
  async start(): Promise<void> {
    if (this.stopSignal) return;
    const queue = this.queue;
    const stop = new AbortController();
    this.stopSignal = stop;
    try {
      await Promise.all((this.options.waitFor ?? []).map((i) => i.waitForSync()));
    } catch (err) {
      if (stop.signal.aborted) return; // stopped while waiting: the informers were stopped too
      this.stopSignal = undefined;
      throw err;
    }
    if (stop.signal.aborted) return;
    const n = Math.max(1, this.options.workers ?? 1);
    for (let i = 0; i < n; i++) this.workers.push(this.worker(queue, stop.signal));
    this.log.info({ workers: n }, 'controller started');
  }

  /** Stop taking keys, abort runs in flight, and resolve once every worker has returned. */
  async stop(): Promise<void> {
    const stop = this.stopSignal;
    if (!stop) return;
    this.stopSignal = undefined;
    const queue = this.queue;
    this.queue = this.newQueue();
    stop.abort();
    await queue.shutDown();
    await Promise.all(this.workers.splice(0));
    this.log.info('controller stopped');
  }

  private async worker(queue: WorkQueue, stopped: AbortSignal): Promise<void> {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        await this.runOnce(queue, key, stopped);
      } finally {
        queue.done(key);
      }
    }
  }

  private async runOnce(queue: WorkQueue, key: string, stopped: AbortSignal): Promise<void> {
    const reconcileId = randomUUID();
    const log = this.log.child({ key, reconcileId });
    const abort = new AbortController();
    let abandon: (err: Error) => void = () => {};
    // Settles only when the run is abandoned: by its deadline, or because the controller stops.
    const abandoned = new Promise<never>((_, reject) => {
      abandon = reject;
    });
    const onStop = (): void => abandon(new Error('controller stopping'));
    stopped.addEventListener('abort', onStop, { once: true });
    const ctx: ReconcileContext = {
      key,
      reconcileId,
      log,
      signal: abort.signal,
      attempt: queue.numRequeues(key),
      clock: this.clock,
    };
    const started = this.clock.now();
    // Delayed adds asked for before this run are served by it once it succeeds (work-queue.ts).
    const delayMark = queue.delayMark();
    let timer: { cancel(): void } | undefined;
    try {
      timer = this.clock.setTimeout(
        () => abandon(new ReconcileTimeoutError(key, this.timeoutMs)),
        this.timeoutMs,
      );
      // Promise.resolve().then: a reconcile that throws synchronously is caught like a rejection.
      const run = Promise.resolve().then(() => this.options.reconcile(key, ctx));
      run.catch(() => {}); // an abandoned run may reject later; that is expected, not unhandled
      const result = await Promise.race([run, abandoned]);
      queue.forget(key);
      queue.cancelDelayedUpTo(key, delayMark);
      // Tolerate a JavaScript reconcile that resolves to nothing: that is a plain success.
      const after = (result as ReconcileResult | undefined)?.requeueAfterMs;
      if (after !== undefined && after >= 0) queue.addAfter(key, after);
      log.debug({ ms: this.clock.now() - started, requeueAfterMs: after }, 'reconciled');
    } catch (err) {
      abort.abort(err);
      if (stopped.aborted) return; // stopping: the next leader will reconcile it
      if (err instanceof TerminalError) {
        queue.forget(key);
        log.warn({ err }, 'reconcile failed terminally; not retrying');
        await this.reportTerminal(key, err, log);
        return;
      }
      const delayMs = queue.addRateLimited(key);
      // A write that lost an optimistic-concurrency race is routine (the cache was a step behind);
      // only say so loudly when it keeps happening.
      const routine = isBorealisError(err, 'Conflict') && ctx.attempt < 3;
      log[routine ? 'debug' : 'warn'](
        { err, delayMs, attempt: ctx.attempt + 1 },
        'reconcile failed; retrying',
      );
    } finally {
      timer?.cancel();
      stopped.removeEventListener('abort', onStop);
    }
  }

  private async reportTerminal(key: string, err: TerminalError, log: Logger): Promise<void> {
    try {
      await this.options.onTerminal?.(key, err);
    } catch (hookErr) {
      log.error({ err: hookErr }, 'onTerminal hook threw');
    }
  }
}
