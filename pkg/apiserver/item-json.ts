/**
 * JSON text of stored objects as a list serves them, kept across requests. A list of 500 objects
 * was serialized afresh on every request (a third of the server's CPU in the `api` benchmark, and
 * event-loop stalls of several ms that every other request waited behind), though the objects
 * rarely change between two lists. A stored version is immutable (frozen, one object per
 * revision), so its text is valid for as long as the version exists.
 *
 * Kept as UTF-8 bytes, not strings: a list body is then written as these pieces (list-body.ts)
 * without joining a 750 KB string and encoding it again for every list.
 *
 * Bounded by bytes, least recently used first out: the store already holds every object;
 * this must not hold a second copy of all of them.
 */
import type { ApiObject } from '../../api/kind.js';
import type { StoredValue } from '../storage/types.js';
import type { MutableObject } from './objects.js';

const MAX_BYTES = 16 * 1024 * 1024;

interface Entry {
  readonly apiVersion: string;
  readonly bytes: Buffer;
}

const cache = new Map<StoredValue<ApiObject>, Entry>();
let bytes = 0;

/**
 * JSON.stringify(serve()) as UTF-8, where serve() gives `stored` as a list presents it, in
 * `apiVersion` (the served version: the only part of the text that does not come from the stored
 * version). The bytes are shared: never write into them.
 */
export function itemJson(
  stored: StoredValue<ApiObject>,
  apiVersion: string,
  serve: () => MutableObject,
): Buffer {
  const hit = cache.get(stored);
  if (hit !== undefined && hit.apiVersion === apiVersion) {
    // Refresh: Map iteration order is insertion order, so re-inserting makes it the newest.
    cache.delete(stored);
    cache.set(stored, hit);
    return hit.bytes;
  }
  const text = JSON.stringify(serve());
  // Unpooled: a pooled slice would keep its whole 8 KB pool slab alive after eviction.
  const encoded = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
  encoded.write(text);
  if (hit !== undefined) {
    cache.delete(stored);
    bytes -= hit.bytes.length;
  }
  if (encoded.length <= MAX_BYTES / 8) {
    cache.set(stored, { apiVersion, bytes: encoded });
    bytes += encoded.length;
    for (const [key, entry] of cache) {
      if (bytes <= MAX_BYTES) break;
      cache.delete(key);
      bytes -= entry.bytes.length;
    }
  }
  return encoded;
}
