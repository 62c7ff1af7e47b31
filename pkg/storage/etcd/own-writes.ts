/**
 * The values this store wrote lately, so its watches hand out the object the write already
 * decoded instead of parsing the same JSON again when etcd echoes the change back (on a write-heavy
 * launch, decoding watch events was the biggest single cost of the etcd store after gRPC).
 *
 * Bounded by count, oldest first: an echo arrives within milliseconds, and a watch that lags
 * further simply decodes. Entries are not removed when read, because every watch of the key's
 * prefix reads the same echo.
 */
import type { StoredValue } from '../types.js';

export const OWN_WRITES_KEPT = 4096;

export class OwnWrites {
  private readonly values = new Map<string, StoredValue>();

  constructor(private readonly capacity = OWN_WRITES_KEPT) {}

  remember(written: StoredValue): void {
    this.values.delete(written.key); // re-inserted last: the newest write of a key is kept longest
    this.values.set(written.key, written);
    if (this.values.size > this.capacity) {
      const oldest = this.values.keys().next().value;
      if (oldest !== undefined) this.values.delete(oldest);
    }
  }

  /** The value written to `key` at exactly `revision`, if it is still remembered. */
  find(key: string, revision: number): StoredValue | undefined {
    const written = this.values.get(key);
    return written?.revision === revision ? written : undefined;
  }
}
