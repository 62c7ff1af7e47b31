/**
 * Watches over etcd. The etcd3 client re-establishes a broken watch stream by itself and resumes
 * after the last revision it delivered, so an etcd restart costs latency, not events. When etcd
 * cancels a watch we find out whether it was because history was compacted (→ Expired, callers
 * re-list) by probing a read at the revision the watch needed.
 *
 * Revisions are store revisions (./revisions.ts): a watch from the middle of a group-committed
 * etcd revision starts at that etcd revision and skips the writes at or before the one asked for.
 */
import type { Etcd3, Watcher } from 'etcd3';
import { BorealisError } from '../../errors/index.js';
import type { StoredValue, WatchEvent, WatchHandle, WatchListener } from '../types.js';
import { fromEtcdError, isCompactedError } from './etcd-errors.js';
import { decodeKv, type KvLike, kvRevision, stripPrefix } from './kv-codec.js';
import type { OwnWrites } from './own-writes.js';
import { firstEtcdRevisionAfter, wholeRevision } from './revisions.js';

interface RawEvent {
  readonly type: 'Put' | 'Delete' | number;
  readonly kv: KvLike;
  readonly prev_kv?: KvLike | null;
}

export function watchEtcd(
  client: Etcd3,
  keyPrefix: string,
  prefix: string,
  fromRevision: number,
  listener: WatchListener,
  /** This store's own recent writes, already decoded (./own-writes.ts). */
  ownWrites?: OwnWrites,
): WatchHandle {
  let closed = false;
  let lastRevision = fromRevision;
  let watcher: Watcher | undefined;

  /**
   * `cancelWatcher` is false when etcd itself ended the watch: the etcd3 client has already
   * dropped it, and cancelling it again makes the client throw "Failed to find watcher" from
   * inside its stream handler when etcd answers the second cancel.
   */
  const fail = async (err: Error, cancelWatcher = true): Promise<void> => {
    if (closed) return;
    closed = true;
    if (cancelWatcher) void watcher?.cancel().catch(() => undefined);
    let final: Error = fromEtcdError(err, `watch of ${prefix}`);
    try {
      // Was the history we need compacted away? A read at that revision tells.
      await client.kv.range({
        key: Buffer.from(keyPrefix + prefix),
        revision: firstEtcdRevisionAfter(lastRevision),
        limit: 1,
      });
    } catch (probeErr) {
      if (isCompactedError(probeErr)) {
        final = new BorealisError(
          'Expired',
          `too old resource version: ${lastRevision}; history was compacted`,
        );
      }
    }
    listener.onError(final);
  };

  const onData = (res: { events?: RawEvent[]; header?: { revision?: string } }): void => {
    if (closed) return;
    const events: WatchEvent[] = [];
    for (const raw of res.events ?? []) {
      const key = stripPrefix(keyPrefix, raw.kv);
      const revision = kvRevision(raw.kv);
      if (revision <= fromRevision) continue; // earlier in the etcd revision the watch starts at
      const value = ownWrites?.find(key, revision) ?? decodeKv(keyPrefix, raw.kv);
      const prevKv = raw.prev_kv;
      if (raw.type === 'Delete' || raw.type === 1) {
        // etcd omits prev_kv only when it was compacted; the delete itself must still be seen.
        const gone: StoredValue = prevKv
          ? decodeKv(keyPrefix, prevKv)
          : { key: value.key, value: null, revision: 0, createRevision: 0 };
        events.push({ type: 'delete', key: value.key, revision: value.revision, prev: gone });
      } else {
        const put: WatchEvent = { type: 'put', key: value.key, revision: value.revision, value };
        // The previous value of a put is decoded only if someone reads it: most watchers (the
        // API server's watch caches) keep their own, and decoding is most of a watch's CPU.
        if (prevKv) {
          let prev: StoredValue | undefined;
          Object.defineProperty(put, 'prev', {
            enumerable: true,
            get: () => {
              prev ??= decodeKv(keyPrefix, prevKv);
              return prev;
            },
          });
        }
        events.push(put);
      }
    }
    if (events.length > 0) {
      lastRevision = events[events.length - 1]!.revision;
      listener.onEvents(events);
    } else if (res.header?.revision !== undefined && (res.events ?? []).length === 0) {
      // Only an empty response is a progress notification: one whose events were all skipped
      // may be part of a catch-up, with later revisions still to come.
      listener.onProgress?.(wholeRevision(Number(res.header.revision)));
    }
  };

  const ready = client
    .watch()
    .prefix(keyPrefix + prefix)
    .startRevision(String(firstEtcdRevisionAfter(fromRevision)))
    .withPreviousKV()
    .create()
    .then((w) => {
      watcher = w;
      w.on('data', onData);
      w.on('error', (err) => void fail(err, false));
      if (closed) void w.cancel().catch(() => undefined);
    })
    .catch((err: Error) => fail(err));

  return {
    ready: ready.then(() => undefined),
    close() {
      closed = true;
      void watcher?.cancel().catch(() => undefined);
    },
  };
}
