/** Collects a watch's events and errors so tests can wait for what they expect. */
import type { Store, WatchEvent, WatchHandle } from '../../../pkg/storage/types.js';

export interface Collected {
  readonly events: WatchEvent[];
  readonly errors: Error[];
  readonly handle: WatchHandle;
  /** Resolves when `predicate` holds, or rejects with what was seen after `timeoutMs`. */
  until(predicate: () => boolean, timeoutMs?: number): Promise<void>;
}

export function collect(store: Store, prefix: string, fromRevision: number): Collected {
  const events: WatchEvent[] = [];
  const errors: Error[] = [];
  const handle = store.watch(
    prefix,
    { fromRevision },
    {
      onEvents: (batch) => events.push(...batch),
      onError: (err) => errors.push(err),
    },
  );
  return {
    events,
    errors,
    handle,
    until: (predicate, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const deadline = Date.now() + timeoutMs;
        const tick = (): void => {
          if (predicate()) {
            resolve();
            return;
          }
          if (Date.now() > deadline) {
            reject(
              new Error(
                `timed out; saw ${events.length} events (${events.map((e) => `${e.type} ${e.key}@${e.revision}`).join(', ')}) and errors ${errors.map((e) => e.message).join('; ')}`,
              ),
            );
            return;
          }
          setTimeout(tick, 10);
        };
        tick();
      }),
  };
}
