/** The etcd store's memory of its own recent writes, which its watches reuse instead of decoding. */
import { describe, expect, it } from 'vitest';
import { OwnWrites } from '../../../pkg/storage/etcd/own-writes.js';
import type { StoredValue } from '../../../pkg/storage/types.js';

const sv = (key: string, revision: number): StoredValue => ({
  key,
  value: { revision },
  revision,
  createRevision: 1,
});

describe('OwnWrites', () => {
  it('finds a write only at its exact revision', () => {
    const own = new OwnWrites(10);
    const written = sv('/a', 2048);
    own.remember(written);
    expect(own.find('/a', 2048)).toBe(written);
    expect(own.find('/a', 2049)).toBeUndefined();
    own.remember(sv('/a', 3072));
    expect(own.find('/a', 2048)).toBeUndefined(); // only the newest write of a key is kept
  });

  it('forgets the oldest writes beyond its capacity, keeping a key rewritten lately', () => {
    const own = new OwnWrites(2);
    own.remember(sv('/a', 1));
    own.remember(sv('/b', 2));
    own.remember(sv('/a', 3)); // /a is now the newest
    own.remember(sv('/c', 4)); // evicts /b
    expect(own.find('/b', 2)).toBeUndefined();
    expect(own.find('/a', 3)?.revision).toBe(3);
    expect(own.find('/c', 4)?.revision).toBe(4);
  });
});
