/**
 * Shared fixtures for informer tests: a small Task-like kind stored the way the API server stores
 * objects (one key per object under a per-kind prefix), a recorder of handler events, and a
 * source wrapper that can drop its watch as a broken connection would.
 */
import type { Informer } from '../../../pkg/runtime/informer.js';
import type { ListWatchSource, WatchHandler } from '../../../pkg/runtime/list-watch.js';
import type { Store } from '../../../pkg/storage/types.js';

export interface Task {
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly uid: string;
    readonly resourceVersion?: string;
    readonly ownerReferences?: readonly {
      readonly uid: string;
      readonly kind: string;
      readonly name: string;
    }[];
  };
  readonly spec: { readonly host: string; readonly owner?: string };
  readonly status: { readonly phase: 'Pending' | 'Running' | 'Failed' };
}

export const PREFIX = '/registry/tasks/';

export function task(
  namespace: string,
  name: string,
  host: string,
  phase: Task['status']['phase'] = 'Pending',
  owner?: string,
): Task {
  return {
    metadata: {
      name,
      namespace,
      uid: `uid-${namespace}-${name}`,
      ...(owner ? { ownerReferences: [{ uid: owner, kind: 'Job', name: owner }] } : {}),
    },
    spec: { host },
    status: { phase },
  };
}

export const storeKey = (t: Task): string => `${PREFIX}${t.metadata.namespace}/${t.metadata.name}`;

/** Create or overwrite (whatever revision it is at). */
export async function put(store: Store, t: Task): Promise<void> {
  const cur = await store.get(storeKey(t));
  if (cur) await store.update(storeKey(t), t, cur.revision);
  else await store.create(storeKey(t), t);
}

export async function remove(store: Store, namespace: string, name: string): Promise<void> {
  await store.delete(`${PREFIX}${namespace}/${name}`);
}

export type Recorded =
  | { type: 'add'; key: string; phase: string }
  | { type: 'update'; key: string; from: string; to: string }
  | { type: 'delete'; key: string; finalStateUnknown: boolean };

const k = (t: Task): string => `${t.metadata.namespace}/${t.metadata.name}`;

export function record(informer: Informer<Task>): Recorded[] {
  const events: Recorded[] = [];
  informer.addEventHandler({
    onAdd: (t) => events.push({ type: 'add', key: k(t), phase: t.status.phase }),
    onUpdate: (a, b) => events.push({ type: 'update', key: k(b), from: a.status.phase, to: b.status.phase }),
    onDelete: (t, info) =>
      events.push({ type: 'delete', key: k(t), finalStateUnknown: info.finalStateUnknown }),
  });
  return events;
}

/** A source whose current watch can be broken (as a dropped connection would), counting full lists. */
export function breakable<T>(inner: ListWatchSource<T>): {
  source: ListWatchSource<T>;
  breakWatch(): void;
  lists(): number;
  watchesFrom(): readonly string[];
  /** A watch is open (not broken, not failed). */
  watching(): boolean;
} {
  let current: { handler: WatchHandler<T>; close(): void } | undefined;
  let lists = 0;
  const from: string[] = [];
  return {
    source: {
      list(options) {
        if (options.continue === undefined) lists++; // count whole lists, not pages
        return inner.list(options);
      },
      watch(rv, handler) {
        from.push(rv);
        const entry = { handler, close: () => handle.close() };
        const handle = inner.watch(rv, {
          onEvent: (e) => handler.onEvent(e),
          onError: (err) => {
            if (current === entry) current = undefined;
            handler.onError(err);
          },
        });
        current = entry;
        return handle;
      },
    },
    breakWatch() {
      const c = current;
      current = undefined;
      c?.close();
      c?.handler.onError(new Error('connection reset by peer'));
    },
    lists: () => lists,
    watchesFrom: () => from,
    watching: () => current !== undefined,
  };
}
