/** Small helpers for controller writes: tolerate the outcomes a level-triggered retry makes harmless. */
import { isBorealisError } from '../../pkg/errors/index.js';

/** Run a write; AlreadyExists / NotFound (a repeat of work already done) count as success. */
export async function idempotent<T>(write: () => Promise<T>): Promise<T | undefined> {
  try {
    return await write();
  } catch (err) {
    if (isBorealisError(err, 'AlreadyExists') || isBorealisError(err, 'NotFound')) return undefined;
    throw err;
  }
}

/** Run `fn` over items with at most `limit` in flight; the first failure rejects after all settle. */
export async function inParallel<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (err) {
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure;
}
