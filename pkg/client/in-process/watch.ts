/**
 * An in-process watch: a subscription to the kind's watch cache (the one REST watches use), with
 * the same selector transitions, periodic bookmarks, Expired for a resourceVersion older than the
 * cache's window, and an error when the server ends the watch (shutdown, cache restart), so the
 * caller resumes or lists again exactly as over HTTP.
 *
 * Events are queued and handed over in a microtask, never inside the cache's fan-out loop: a slow
 * or throwing handler must not stall or break other watchers, and events keep their order.
 */

import { listPrefix } from '../../apiserver/keys.js';
import type { ApiObject } from '../../apiserver/objects.js';
import type { ServedKind } from '../../apiserver/registry.js';
import type { ResourceService } from '../../apiserver/resources.js';
import { apiVersionOf, asServedVersion } from '../../apiserver/strategy.js';
import type { CachedEvent, WatchCache } from '../../apiserver/watch-cache.js';
import { filtered } from '../../apiserver/watch-http.js';
import { BorealisError, toBorealisError } from '../../errors/index.js';
import { markDeepFrozen } from '../../runtime/cache.js';
import type { WatchEventType, WatchHandler, WatchStream } from '../types.js';
import { jsonCopy } from './copy.js';

export interface WatchParams {
  readonly svc: ResourceService;
  readonly served: ServedKind;
  readonly cache: WatchCache;
  readonly namespace: string | undefined;
  readonly matches: ((o: ApiObject) => boolean) | undefined;
  /** undefined: current objects as ADDED first. */
  readonly fromRevision: number | undefined;
  readonly bookmarkIntervalMs: number;
}

type Item = { readonly type: WatchEventType; readonly object: unknown } | { readonly error: Error };

/**
 * A cached object made wholly immutable for sharing: below metadata it is the store's deep-frozen
 * value already; the cache's own top level and metadata (resourceVersion set) are frozen here.
 */
function frozenShared(object: ApiObject): ApiObject {
  if (object.metadata !== undefined) Object.freeze(object.metadata);
  return markDeepFrozen(Object.freeze(object));
}

export function startWatch<T>(p: WatchParams, handler: WatchHandler<T>): WatchStream {
  const queue: Item[] = [];
  let scheduled = false;
  let closed = false;
  let lastRevision = p.fromRevision ?? 0;
  let subscribed = false;
  /** An error is queued: it is the last thing this watch delivers. */
  let ending = false;
  let cancelSubscription = (): void => {};
  let bookmarkTimer: { cancel(): void } | undefined;

  const stop = (): void => {
    closed = true;
    queue.length = 0;
    cancelSubscription();
    bookmarkTimer?.cancel();
  };
  const drain = (): void => {
    scheduled = false;
    while (!closed && queue.length > 0) {
      const item = queue.shift() as Item;
      if ('error' in item) {
        stop();
        handler.onError(item.error);
        return;
      }
      try {
        handler.onEvent(item.type, item.object as T);
      } catch (err) {
        // A handler bug ends this watch only; the caller hears of it like any other watch end.
        stop();
        handler.onError(toBorealisError(err));
        return;
      }
    }
  };
  const push = (item: Item): void => {
    if (closed || ending) return;
    queue.push(item);
    if (!scheduled) {
      scheduled = true;
      queueMicrotask(drain);
    }
  };
  const fail = (err: Error): void => {
    push({ error: err });
    ending = true;
    // The cache must stop feeding us now.
    cancelSubscription();
    bookmarkTimer?.cancel();
  };

  const sink = {
    send: (e: CachedEvent) => {
      lastRevision = Math.max(lastRevision, e.revision);
      if (closed || ending) return; // no copy for an event nobody will receive
      const type = filtered(e, p.matches);
      if (!type) return;
      const object = asServedVersion(p.served.def, e.object);
      push({ type, object: handler.readOnly ? frozenShared(object) : jsonCopy(object) });
    },
    close: (err?: BorealisError) =>
      fail(
        err ??
          new BorealisError(
            'ServiceUnavailable',
            'watch ended by the server; resume from the last resourceVersion',
          ),
      ),
  };
  p.cache
    .subscribe(listPrefix(p.served.def, p.namespace), p.fromRevision, sink)
    .then((subscription) => {
      cancelSubscription = () => subscription.cancel();
      subscribed = true;
      // Closed, or ended by an error, while subscribing: nothing more is wanted from the cache.
      if (closed || ending) subscription.cancel();
    })
    .catch((err: unknown) => fail(toBorealisError(err)));

  const bookmark = (): void => {
    if (closed) return;
    bookmarkTimer = p.svc.clock.setTimeout(bookmark, p.bookmarkIntervalMs);
    // Until subscribed, the cache's revision may be ahead of what this watch was sent.
    if (!subscribed) return;
    // Everything up to the cache's revision has been queued for this watch.
    lastRevision = Math.max(lastRevision, p.cache.revision);
    push({
      type: 'BOOKMARK',
      object: {
        kind: p.served.def.kind,
        apiVersion: apiVersionOf(p.served.def),
        metadata: { resourceVersion: String(lastRevision) },
      },
    });
  };
  bookmarkTimer = p.svc.clock.setTimeout(bookmark, p.bookmarkIntervalMs);

  return { close: stop };
}
