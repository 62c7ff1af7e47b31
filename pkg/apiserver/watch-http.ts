/**
 * Watch over HTTP: a chunked stream of `{"type":...,"object":...}` lines fed by the kind's watch
 * cache. Objects that start or stop matching the selector arrive as ADDED / DELETED, as in
 * Kubernetes. Bookmarks (when asked for) carry only metadata.resourceVersion; a resume point
 * whose history is gone gets one ERROR event with a 410 Expired Status, then the stream ends.
 */
import type { FastifyReply } from 'fastify';
import type { ApiObject } from '../../api/kind.js';
import type { BorealisError } from '../errors/index.js';
import type { Clock } from '../runtime/clock.js';
import { listPrefix } from './keys.js';
import type { MutableObject } from './objects.js';
import type { ServedKind } from './registry.js';
import { TABLE_CONTENT_TYPE } from './reply.js';
import { statusFromError } from './status.js';
import { apiVersionOf, asServedVersion } from './strategy.js';
import { type IncludeObject, toTable } from './table.js';
import type { CachedEvent, WatchCache } from './watch-cache.js';

export interface WatchParams {
  readonly served: ServedKind;
  readonly cache: WatchCache;
  readonly namespace: string | undefined;
  readonly matches: ((o: ApiObject) => boolean) | undefined;
  /** undefined: start with the current objects as ADDED events. */
  readonly fromRevision: number | undefined;
  readonly bookmarks: boolean;
  readonly bookmarkIntervalMs: number;
  readonly timeoutSeconds: number | undefined;
  readonly table: { readonly includeObject: IncludeObject } | undefined;
  readonly clock: Clock;
}

type OutType = 'ADDED' | 'MODIFIED' | 'DELETED';

/**
 * JSON of event objects, shared by every watcher of the kind: an event fanned out to a hundred
 * watches is serialized once. Objects from the cache are never mutated, so the text stays right.
 * Only the most recent encodings are kept: fan-out happens as an event is delivered, and a
 * WeakMap keyed by the watch cache's objects kept the JSON of every current object (≈ 270 MB at
 * 100,000 Tasks).
 */
const ENCODINGS_KEPT = 1024;
const encodings = new Map<object, string>();
function encoded(obj: MutableObject): string {
  let text = encodings.get(obj);
  if (text === undefined) {
    text = JSON.stringify(obj);
    encodings.set(obj, text);
    if (encodings.size > ENCODINGS_KEPT) encodings.delete(encodings.keys().next().value as object);
  }
  return text;
}

/** The event a subscriber sees after its selector: transitions in and out become ADDED/DELETED. */
export function filtered(
  e: CachedEvent,
  matches: ((o: ApiObject) => boolean) | undefined,
): OutType | undefined {
  if (!matches) return e.type;
  const now = matches(e.object);
  if (e.type !== 'MODIFIED') return now ? e.type : undefined;
  const before = e.prev !== undefined && matches(e.prev);
  if (before && now) return 'MODIFIED';
  if (now) return 'ADDED';
  return before ? 'DELETED' : undefined;
}

export async function serveWatch(reply: FastifyReply, p: WatchParams): Promise<void> {
  const res = reply.raw;
  reply.hijack();
  res.writeHead(200, {
    'Content-Type': p.table ? TABLE_CONTENT_TYPE : 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();
  let lastRevision = p.fromRevision ?? 0;
  let headersSent = false;
  let closed = false;
  const write = (type: string, object: unknown) => {
    if (!closed) res.write(`${JSON.stringify({ type, object })}\n`);
  };
  const writeObject = (type: string, object: MutableObject) => {
    if (!closed) res.write(`{"type":"${type}","object":${encoded(object)}}\n`);
  };
  const timers: { cancel(): void }[] = [];
  let cancelSubscription = () => {};
  const finish = (err?: BorealisError) => {
    if (closed) return;
    if (err) write('ERROR', statusFromError(err));
    closed = true;
    cancelSubscription();
    for (const t of timers) t.cancel();
    res.end();
  };
  res.on('close', () => finish());

  const sink = {
    send: (e: CachedEvent) => {
      const type = filtered(e, p.matches);
      lastRevision = Math.max(lastRevision, e.revision);
      if (!type) return;
      if (p.table) {
        write(
          type,
          toTable(p.served.def, [asServedVersion(p.served.def, e.object)], {
            now: p.clock.now(),
            includeObject: p.table.includeObject,
            noHeaders: headersSent,
          }),
        );
        headersSent = true;
      } else writeObject(type, asServedVersion(p.served.def, e.object));
    },
    close: (err?: BorealisError) => finish(err),
  };
  const subscription = await p.cache.subscribe(listPrefix(p.served.def, p.namespace), p.fromRevision, sink);
  cancelSubscription = () => subscription.cancel();
  if (closed) subscription.cancel();
  if (p.timeoutSeconds !== undefined && p.timeoutSeconds > 0) {
    timers.push(p.clock.setTimeout(() => finish(), p.timeoutSeconds * 1000));
  }
  if (p.bookmarks) {
    let next: { cancel(): void } | undefined;
    const bookmark = () => {
      if (closed) return;
      // The watch has been sent everything up to the cache's revision.
      const rv = Math.max(lastRevision, p.cache.revision);
      lastRevision = rv;
      write('BOOKMARK', {
        kind: p.served.def.kind,
        apiVersion: apiVersionOf(p.served.def),
        metadata: { resourceVersion: String(rv) },
      });
      next = p.clock.setTimeout(bookmark, p.bookmarkIntervalMs);
    };
    next = p.clock.setTimeout(bookmark, p.bookmarkIntervalMs);
    timers.push({ cancel: () => next?.cancel() });
  }
}
