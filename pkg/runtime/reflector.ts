/**
 * Reflector: the list-and-watch loop behind an informer (client-go's name for it). It lists every
 * page, hands the whole result to its sink, then watches from the list's resourceVersion and
 * passes each event on. A watch that fails for any reason but Expired is resumed from the last
 * resourceVersion the sink saw, after a backoff; an Expired watch (history compacted past that
 * point) means only a fresh list can restore the truth, so it lists again at once.
 *
 * One Reflector runs one loop: stop() ends it for good, and anything a stopped loop still receives
 * is dropped, so a restarted informer (a new Reflector) never sees a predecessor's late results.
 */
import type { Logger } from '../log/index.js';
import { type Clock, sleep } from './clock.js';
import { isExpired, type ListWatchEvent, type ListWatchSource } from './list-watch.js';

export interface ReflectorSink<T> {
  /** The complete state as of `resourceVersion` (all pages of one list). */
  replace(items: readonly T[], resourceVersion: string): void;
  /** One watch event, in order. */
  apply(event: ListWatchEvent<T>): void;
  /** The newest resourceVersion the sink has seen: where a resumed watch starts. */
  resourceVersion(): string | undefined;
}

export interface ReflectorOptions<T> {
  readonly source: ListWatchSource<T>;
  readonly sink: ReflectorSink<T>;
  readonly clock: Clock;
  readonly log: Logger;
  readonly pageSize: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
}

export class Reflector<T> {
  private readonly o: ReflectorOptions<T>;
  private readonly abort = new AbortController();
  private closeWatch: (() => void) | undefined;

  constructor(options: ReflectorOptions<T>) {
    this.o = options;
  }

  start(): void {
    void this.run();
  }

  stop(): void {
    this.abort.abort();
    this.closeWatch?.();
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    const { log, initialBackoffMs, maxBackoffMs } = this.o;
    let backoff = initialBackoffMs;
    let resumeFrom: string | undefined;
    while (!this.stopped) {
      try {
        if (resumeFrom === undefined) {
          resumeFrom = await this.relist();
          if (resumeFrom === undefined) return; // stopped mid-list
          backoff = initialBackoffMs;
        }
        const { err, progressed } = await this.watch(resumeFrom);
        if (this.stopped) return;
        resumeFrom = this.o.sink.resourceVersion();
        if (progressed) backoff = initialBackoffMs;
        throw err;
      } catch (err) {
        if (this.stopped) return;
        if (isExpired(err) && resumeFrom !== undefined) {
          log.info({ err }, 'watch expired; listing again');
          resumeFrom = undefined;
          await Promise.resolve();
          continue;
        }
        // A list that fails (even Expired: its continue token outlived the history) backs off.
        log.warn({ err, backoffMs: backoff }, 'list/watch failed; retrying');
        await sleep(this.o.clock, backoff, this.abort.signal);
        backoff = Math.min(maxBackoffMs, backoff * 2);
      }
    }
  }

  /** List every page, then hand the result over. Returns its resourceVersion (undefined: stopped). */
  private async relist(): Promise<string | undefined> {
    const items: T[] = [];
    let cont: string | undefined;
    let resourceVersion = '';
    do {
      const page = await this.o.source.list({
        limit: this.o.pageSize,
        ...(cont === undefined ? {} : { continue: cont }),
      });
      if (this.stopped) return undefined;
      items.push(...page.items);
      resourceVersion = page.resourceVersion;
      cont = page.continue;
    } while (cont);
    this.o.sink.replace(items, resourceVersion);
    return resourceVersion;
  }

  /** Watch until it fails; resolves with the failure and whether any event arrived. */
  private watch(from: string): Promise<{ err: unknown; progressed: boolean }> {
    return new Promise((resolve) => {
      let progressed = false;
      const handle = this.o.source.watch(from, {
        onEvent: (e) => {
          if (this.stopped) return;
          progressed = true;
          try {
            this.o.sink.apply(e);
          } catch (err) {
            // Never throw into the source's delivery loop; a bad object must not stall the rest.
            this.o.log.error({ err, type: e.type }, 'could not apply watch event; skipped');
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
}
