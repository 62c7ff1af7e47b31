/**
 * JSON text of stored objects as a list serves them, kept across requests. A list of 500 objects
 * was serialized afresh on every request (a third of the server's CPU in the `api` benchmark, and
 * event-loop stalls of several ms that every other request waited behind), though the objects
 * rarely change between two lists. A stored version is immutable (frozen, one object per
 * revision), so its text is valid for as long as the version exists.
 *
 * Bounded by characters, least recently used first out: the store already holds every object;
 * this must not hold a second copy of all of them.
 */
import type { ApiObject } from '../../api/kind.js';
import type { StoredValue } from '../storage/types.js';
import type { MutableObject } from './objects.js';

const MAX_CHARS = 16 * 1024 * 1024;

interface Entry {
  readonly apiVersion: string;
  readonly text: string;
}

const cache = new Map<StoredValue<ApiObject>, Entry>();
let chars = 0;

/**
 * JSON.stringify(serve()), where serve() gives `stored` as a list presents it, in `apiVersion` (the
 * served version: the only part of the text that does not come from the stored version).
 */
export function itemJson(
  stored: StoredValue<ApiObject>,
  apiVersion: string,
  serve: () => MutableObject,
): string {
  const hit = cache.get(stored);
  if (hit !== undefined && hit.apiVersion === apiVersion) {
    // Refresh: Map iteration order is insertion order, so re-inserting makes it the newest.
    cache.delete(stored);
    cache.set(stored, hit);
    return hit.text;
  }
  const text = JSON.stringify(serve());
  if (hit !== undefined) {
    cache.delete(stored);
    chars -= hit.text.length;
  }
  if (text.length <= MAX_CHARS / 8) {
    cache.set(stored, { apiVersion, text });
    chars += text.length;
    for (const [key, entry] of cache) {
      if (chars <= MAX_CHARS) break;
      cache.delete(key);
      chars -= entry.text.length;
    }
  }
  return text;
}
