/**
 * Reading and removing values at field-set paths (see ./field-sets.ts): "f:name" steps into a
 * map, 'k:{"port":80}' picks the list item with those keys, 'v:"x"' a set member.
 */
import { isPlainObject, jsonEqual, type MutableObject } from './objects.js';

function findItem(list: readonly unknown[], seg: string): number {
  if (seg.startsWith('k:')) {
    const keys = JSON.parse(seg.slice(2)) as Record<string, unknown>;
    return list.findIndex(
      (item) => isPlainObject(item) && Object.entries(keys).every(([k, v]) => jsonEqual(item[k], v)),
    );
  }
  const value: unknown = JSON.parse(seg.slice(2));
  return list.findIndex((item) => jsonEqual(item, value));
}

function step(cur: unknown, seg: string): unknown {
  if (seg.startsWith('f:')) return isPlainObject(cur) ? cur[seg.slice(2)] : undefined;
  if (!Array.isArray(cur)) return undefined;
  const idx = findItem(cur, seg);
  return idx < 0 ? undefined : cur[idx];
}

export function valueAt(obj: unknown, key: string): unknown {
  let cur = obj;
  for (const seg of JSON.parse(key) as string[]) {
    cur = step(cur, seg);
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Removes the value at the path from a mutable object tree (no-op when absent). */
export function removeAt(obj: MutableObject, key: string): void {
  const segs = JSON.parse(key) as string[];
  const last = segs.pop();
  if (last === undefined) return;
  let cur: unknown = obj;
  for (const seg of segs) {
    cur = step(cur, seg);
    if (cur === undefined) return;
  }
  if (last.startsWith('f:')) {
    if (isPlainObject(cur)) delete cur[last.slice(2)];
  } else if (Array.isArray(cur)) {
    const idx = findItem(cur, last);
    if (idx >= 0) cur.splice(idx, 1);
  }
}
