/**
 * Deep freezing of decoded JSON that also shares what many objects repeat verbatim.
 *
 * At 100,000 Tasks, every Task of a job carries the same `spec.template`, the same
 * `ownerReferences`, and managedFields entries whose `fieldsV1` sets are identical from task to
 * task; decoded, those copies were more than half of each Task's ≈ 4.4 KB on the heap, in the API
 * server's store and again in every controller process's informers. Frozen values cannot be told
 * apart from equal copies except by identity, so one copy serves them all: ≈ 2 KB per Task, for
 * ≈ 1 µs more per decode (micro-benchmark, 100,000 bench Tasks).
 *
 * Only values under a few property names are shared (found by their JSON text, kept through weak
 * references so a subtree nobody holds any more is dropped), and short strings under names whose
 * values come from a small set (kinds, phases, managers, hosts). The price: the JSON text of each
 * distinct shared subtree is kept as its key while the subtree lives — small next to the copies it
 * saves when values repeat, a few hundred bytes per object when every value is unique.
 */

/** Property names whose object values tend to repeat across many objects of a kind. */
const SHARED_SUBTREES = new Set(['fieldsV1', 'template', 'ownerReferences', 'partitionPolicy']);

/** Property names whose string values come from a small set. */
const SHARED_STRINGS = new Set([
  'apiVersion',
  'kind',
  'manager',
  'operation',
  'fieldsType',
  'subresource',
  'phase',
  'mesosState',
  'environment',
  'tier',
  'namespace',
  'host',
  'agentId',
  'jobName',
]);

/** Bound on the string table: it is cleared when full (strings of deleted hosts or jobs go). */
const MAX_SHARED_STRINGS = 50_000;

const subtrees = new Map<string, WeakRef<object>>();
const forget = new FinalizationRegistry<string>((text) => {
  if (subtrees.get(text)?.deref() === undefined) subtrees.delete(text);
});
const strings = new Map<string, string>();

function sharedSubtree(value: object): object {
  const text = JSON.stringify(value);
  const known = subtrees.get(text)?.deref();
  if (known !== undefined) return known;
  freezeSharing(value);
  subtrees.set(text, new WeakRef(value));
  forget.register(value, text);
  return value;
}

function sharedString(value: string): string {
  const known = strings.get(value);
  if (known !== undefined) return known;
  if (strings.size >= MAX_SHARED_STRINGS) strings.clear();
  strings.set(value, value);
  return value;
}

/**
 * Freeze `value` and everything reachable from it, replacing shared subtrees and strings by their
 * one copy where the holding object is not frozen yet (what JSON.parse returns never is). Walks
 * into already-frozen objects too: a source may hand over a frozen envelope around mutable parts.
 */
export function freezeSharing<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (const item of value) freezeSharing(item);
    return Object.freeze(value);
  }
  const record = value as Record<string, unknown>;
  const mutable = !Object.isFrozen(record);
  for (const key of Object.keys(record)) {
    const child = record[key];
    if (typeof child === 'string') {
      if (mutable && SHARED_STRINGS.has(key)) record[key] = sharedString(child);
    } else if (typeof child === 'object' && child !== null) {
      if (mutable && SHARED_SUBTREES.has(key)) record[key] = sharedSubtree(child);
      else freezeSharing(child);
    }
  }
  return Object.freeze(value);
}
