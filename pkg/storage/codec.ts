/**
 * Encoding of stored values: JSON text on the wire and on disk, deep-frozen objects in memory.
 * Size limits are checked on the encoded bytes, before anything is written.
 */
import { BorealisError } from '../errors/index.js';
import { freezeSharing } from '../runtime/shared-json.js';
import { MAX_VALUE_BYTES } from './types.js';

/** Encode a value for storage; RequestEntityTooLarge when over the limit, BadRequest when not JSON. */
export function encodeValue(key: string, value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (err) {
    throw new BorealisError(
      'BadRequest',
      `value for ${key} cannot be encoded as JSON: ${(err as Error).message}`,
    );
  }
  if (json === undefined) {
    throw new BorealisError('BadRequest', `value for ${key} cannot be encoded as JSON (got ${typeof value})`);
  }
  // Byte length only matters near the limit; a string of n UTF-16 units never exceeds 3n bytes.
  if (json.length * 3 > MAX_VALUE_BYTES) {
    const bytes = Buffer.byteLength(json, 'utf8');
    if (bytes > MAX_VALUE_BYTES) {
      throw new BorealisError(
        'RequestEntityTooLarge',
        `value for ${key} is ${bytes} bytes; the limit is ${MAX_VALUE_BYTES} bytes (1.5 MiB)`,
      );
    }
  }
  return json;
}

/**
 * Decode stored JSON into a deep-frozen value nobody can mutate, sharing the subtrees and strings
 * many stored objects repeat (../runtime/shared-json.ts).
 */
export function decodeValue<T>(json: string): T {
  return freezeSharing(JSON.parse(json) as T);
}

/** Reject keys that cannot be stored: empty, or not a string. */
export function checkKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0) {
    throw new BorealisError('BadRequest', 'store keys must be non-empty strings');
  }
}
