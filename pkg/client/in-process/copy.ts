/**
 * Copies of API objects crossing the in-process boundary. Going in, the server mutates what it is
 * given (defaulting, server-owned metadata) and must not see later changes by the caller; coming
 * out, server objects are frozen or shared with the watch cache and store, so callers get their
 * own. The copy has JSON's shape, so an object means the same here as over HTTP: undefined
 * properties vanish, undefined array entries become null, toJSON (e.g. Date) is honoured.
 */

export function jsonCopy<T>(value: T): T {
  return copy(value) as T;
}

function copy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const json = (value as { toJSON?: unknown }).toJSON;
  if (typeof json === 'function') return copy((json as () => unknown).call(value));
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : copy(v)));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v !== undefined && typeof v !== 'function' && typeof v !== 'symbol') out[k] = copy(v);
  }
  return out;
}
