/**
 * Strategic merge patch, for the core kinds only (Namespace, Event): kubectl knows their Go types
 * and sends strategic merge patches for them (apply, patch) without falling back to merge patch.
 * Borealis and CRD kinds never get one (their OpenAPI offers only the three other patch types).
 *
 * Like a JSON merge patch, except that lists the schema marks as maps merge item by item on
 * their keys (an item with `"$patch": "delete"` is removed), sets merge by value, and the
 * directives kubectl may add ($patch, $retainKeys, $setElementOrder/..., $deleteFromPrimaryKeyList/...)
 * are honoured or, for ordering hints, dropped.
 */
import type { JsonSchema } from '../../api/kind.js';
import { childSchema, itemKeySegment } from './field-sets.js';
import { deepCopy, isPlainObject, jsonEqual, type MutableObject } from './objects.js';

function stripDirectives(patch: MutableObject): MutableObject {
  const out: MutableObject = {};
  for (const [k, v] of Object.entries(patch)) if (!k.startsWith('$')) out[k] = v;
  return out;
}

function mergeList(target: unknown[], patch: unknown[], schema: JsonSchema | undefined): unknown[] {
  const listType = schema?.['x-kubernetes-list-type'];
  if (listType === 'set') {
    const out = [...target];
    for (const item of patch) if (!out.some((x) => jsonEqual(x, item))) out.push(item);
    return out;
  }
  if (listType !== 'map') return deepCopy(patch);
  const keys = schema?.['x-kubernetes-list-map-keys'] ?? [];
  const out = [...target];
  for (const item of patch) {
    const seg = itemKeySegment(item, keys);
    const idx = out.findIndex((x) => itemKeySegment(x, keys) === seg);
    if (isPlainObject(item) && item['$patch'] === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
    } else if (idx >= 0) out[idx] = strategicMergePatch(out[idx], item, schema?.items);
    else out.push(isPlainObject(item) ? stripDirectives(item) : item);
  }
  return out;
}

export function strategicMergePatch(
  target: unknown,
  patch: unknown,
  schema: JsonSchema | undefined,
): unknown {
  if (!isPlainObject(patch)) return deepCopy(patch);
  if (patch['$patch'] === 'replace') return stripDirectives(patch);
  if (patch['$patch'] === 'delete') return undefined;
  let out: MutableObject = isPlainObject(target) ? { ...target } : {};
  const retain = patch['$retainKeys'];
  if (Array.isArray(retain)) {
    out = Object.fromEntries(Object.entries(out).filter(([k]) => retain.includes(k)));
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) continue;
    const sub = childSchema(schema, key);
    if (value === null) delete out[key];
    else if (Array.isArray(value) && Array.isArray(out[key]))
      out[key] = mergeList(out[key] as unknown[], value, sub);
    else {
      const merged = strategicMergePatch(out[key], value, sub);
      if (merged === undefined) delete out[key];
      else out[key] = merged;
    }
  }
  return out;
}
