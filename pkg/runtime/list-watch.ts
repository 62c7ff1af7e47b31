/**
 * What an informer consumes, independent of transport: a paged list that says which
 * resourceVersion it is consistent at, and a watch that resumes from a resourceVersion. The
 * Store adapter below is one implementation; the typed client (in-process and over HTTP) is
 * another. Contract, as in Kubernetes: a watch from resourceVersion R delivers every change after
 * R, in order; when R is older than the retained history, the watch fails with an Expired error
 * (BorealisError code "Expired", or anything carrying HTTP status 410) and the caller must list
 * again.
 */
import { freeze } from 'immer';
import { BorealisError, isBorealisError } from '../errors/index.js';
import type { Store, WatchEvent } from '../storage/types.js';
import type { RuntimeObject } from './cache.js';

export interface ListPage<T> {
  readonly items: readonly T[];
  /** The revision the whole list (every page) is consistent at; watch from here. */
  readonly resourceVersion: string;
  /** Present when more pages remain. */
  readonly continue?: string;
}

export interface ListOptions {
  readonly limit?: number;
  readonly continue?: string;
}

export type ListWatchEvent<T> =
  | { readonly type: 'ADDED' | 'MODIFIED' | 'DELETED'; readonly object: T }
  /** Progress only: every change up to resourceVersion has been delivered. */
  | {
      readonly type: 'BOOKMARK';
      readonly object: { readonly metadata: { readonly resourceVersion: string } };
    };

export interface WatchHandler<T> {
  onEvent(event: ListWatchEvent<T>): void;
  /** The watch ended; nothing more will be delivered. Expired means "list again". */
  onError(err: unknown): void;
}

export interface ListWatchSource<T> {
  list(options: ListOptions): Promise<ListPage<T>>;
  watch(resourceVersion: string, handler: WatchHandler<T>): { close(): void };
}

/** True when `err` says the requested resourceVersion is gone from history (re-list needed). */
export function isExpired(err: unknown): boolean {
  if (isBorealisError(err, 'Expired') || isBorealisError(err, 'Gone')) return true;
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; status?: unknown; statusCode?: unknown };
  return e.code === 'Expired' || e.code === 410 || e.status === 410 || e.statusCode === 410;
}

/**
 * The object as the store holds it, with metadata.resourceVersion set to the store revision of
 * this version of it (the store keeps the revision beside the value, not inside it).
 */
function withResourceVersion<T extends RuntimeObject>(value: T, revision: number): T {
  const rv = String(revision);
  if (value.metadata.resourceVersion === rv) return value;
  return freeze({ ...value, metadata: { ...value.metadata, resourceVersion: rv } }, true);
}

function parseRevision(resourceVersion: string): number {
  const n = Number(resourceVersion);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new BorealisError('BadRequest', `resourceVersion "${resourceVersion}" is not a store revision`);
  }
  return n;
}

/** A ListWatchSource over every key under `prefix` of a Store; objects are the stored values. */
export function storeListWatch<T extends RuntimeObject>(store: Store, prefix: string): ListWatchSource<T> {
  return {
    async list(options) {
      const res = await store.list<T>(prefix, {
        ...(options.limit === undefined ? {} : { limit: options.limit }),
        ...(options.continue === undefined ? {} : { continue: options.continue }),
      });
      return {
        items: res.items.map((sv) => withResourceVersion(sv.value, sv.revision)),
        resourceVersion: String(res.revision),
        ...(res.continue === undefined ? {} : { continue: res.continue }),
      };
    },
    watch(resourceVersion, handler) {
      const fromRevision = parseRevision(resourceVersion);
      const toEvent = (e: WatchEvent<T>): ListWatchEvent<T> =>
        e.type === 'put'
          ? {
              type: e.prev ? 'MODIFIED' : 'ADDED',
              object: withResourceVersion(e.value.value, e.value.revision),
            }
          : // A deleted object's resourceVersion is the deletion's revision, as in Kubernetes, so
            // a watcher resuming after it does not see the delete again.
            { type: 'DELETED', object: withResourceVersion(e.prev.value, e.revision) };
      let open = true;
      const handle = store.watch<T>(
        prefix,
        { fromRevision },
        {
          onEvents(events) {
            for (const e of events) if (open) handler.onEvent(toEvent(e));
          },
          onProgress(revision) {
            if (open)
              handler.onEvent({
                type: 'BOOKMARK',
                object: { metadata: { resourceVersion: String(revision) } },
              });
          },
          onError(err) {
            if (!open) return;
            open = false;
            handler.onError(err);
          },
        },
      );
      return {
        close() {
          open = false;
          handle.close();
        },
      };
    },
  };
}
