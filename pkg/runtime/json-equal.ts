/**
 * Structural equality of JSON values (key order ignored, keys holding undefined treated as
 * absent), without allocating: it runs on every API update (is the write a no-op?) and for every
 * host on every hosts poll, where node's isDeepStrictEqual and an Object.keys-based version were a
 * measurable share of the time.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  // Keys of `a` with a value, each equal in `b`; then `b` must have no other keys with a value.
  let unmatched = 0;
  for (const key in ao) {
    const value = ao[key];
    if (value === undefined) continue;
    if (!Object.hasOwn(bo, key) || !jsonEqual(value, bo[key])) return false;
    unmatched++;
  }
  for (const key in bo) if (bo[key] !== undefined) unmatched--;
  return unmatched === 0;
}
