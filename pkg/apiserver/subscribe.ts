/**
 * A long-lived in-process subscription to a kind's watch cache for the API's own controllers:
 * starts with the current objects as ADDED events and resubscribes if the cache restarts.
 */
import type { KindDefinition } from '../../api/kind.js';
import { kindPrefix } from './keys.js';
import type { CachedEvent, Subscription } from './watch-cache.js';
import type { WatchCaches } from './watch-caches.js';

export function follow(
  caches: WatchCaches,
  kind: KindDefinition,
  onEvent: (e: CachedEvent) => void,
): () => void {
  let stopped = false;
  let current: Subscription | undefined;
  const start = () => {
    // A kind no longer served (its CRD was deleted) is not followed any more.
    if (stopped || !caches.isServed(kind)) return;
    void caches
      .ensure(kind)
      .subscribe(kindPrefix(kind), undefined, {
        send: onEvent,
        close: () => {
          current = undefined;
          if (!stopped) setTimeout(start, 500).unref();
        },
      })
      .then((s) => {
        if (stopped) s.cancel();
        else current = s;
      });
  };
  start();
  return () => {
    stopped = true;
    current?.cancel();
  };
}
