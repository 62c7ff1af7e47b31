/**
 * Which owned fields a non-apply write changed and removed, for managedFields bookkeeping.
 *
 * The answer is exactly that of comparing the two whole field sets path by path (see
 * `naiveFieldDiff` in the unit tests): a path of the new object is changed when the old object
 * lacks it, or when it is a leaf (no other path extends it) whose value differs; a path of the old
 * object is removed when the new one lacks it. But the comparison descends only into subtrees
 * that differ (structural equality, which for a status write is a reference check on the shared,
 * frozen spec): building path strings for every field of both objects on every write was the
 * largest single cost of a write.
 */
import type { JsonSchema } from '../../api/kind.js';
import { childSchema, type FieldSet, type PathKey, schemaForMetadata, walkFieldSet } from './field-sets.js';
import { isPlainObject, jsonEqual, type MutableObject } from './objects.js';
import { valueAt } from './paths.js';

export interface FieldDiff {
  /** In the order of the new object's field set (the order the manager's set grows in). */
  readonly changed: PathKey[];
  readonly removed: PathKey[];
}

interface Unit {
  readonly prefix: string[];
  readonly value: unknown;
  readonly schema: JsonSchema | undefined;
}

/** The top-level subtrees fieldSetOf walks, in its order (managed metadata fields only). */
function units(obj: MutableObject, schema: JsonSchema, includeStatus: boolean): Unit[] {
  const out: Unit[] = [];
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'apiVersion' || key === 'kind' || value === undefined) continue;
    if (key === 'status' && !includeStatus) continue;
    if (key === 'metadata') {
      if (!isPlainObject(value)) continue;
      for (const mk of ['labels', 'annotations', 'finalizers']) {
        if (value[mk] !== undefined)
          out.push({ prefix: ['f:metadata', `f:${mk}`], value: value[mk], schema: schemaForMetadata(mk) });
      }
      continue;
    }
    out.push({ prefix: [`f:${key}`], value, schema: childSchema(schema, key) });
  }
  return out;
}

/** Whether walkFieldSet descends into the value's keys (rather than owning it as one field). */
function isWalkedMap(value: unknown, schema: JsonSchema | undefined): value is MutableObject {
  return (
    isPlainObject(value) && schema?.['x-kubernetes-map-type'] !== 'atomic' && Object.keys(value).length > 0
  );
}

function isExtended(set: FieldSet, key: PathKey): boolean {
  const prefix = key.slice(0, -1);
  for (const other of set) if (other.length > key.length && other.startsWith(prefix)) return true;
  return false;
}

function subtreeSet(value: unknown, schema: JsonSchema | undefined, prefix: string[]): FieldSet {
  const out: FieldSet = new Set();
  if (value !== undefined) walkFieldSet(value, schema, prefix, out);
  return out;
}

export function diffFieldSets(
  old: MutableObject | undefined,
  next: MutableObject,
  schema: JsonSchema,
  includeStatus: boolean,
): FieldDiff {
  const diff: FieldDiff = { changed: [], removed: [] };
  const visit = (before: unknown, after: unknown, sub: JsonSchema | undefined, prefix: string[]): void => {
    if (before !== undefined && jsonEqual(before, after)) return;
    if (isWalkedMap(before, sub) && isWalkedMap(after, sub)) {
      for (const [key, value] of Object.entries(after)) {
        if (value !== undefined) visit(before[key], value, childSchema(sub, key), [...prefix, `f:${key}`]);
      }
      for (const [key, value] of Object.entries(before)) {
        if (value !== undefined && after[key] === undefined)
          for (const p of subtreeSet(value, childSchema(sub, key), [...prefix, `f:${key}`]))
            diff.removed.push(p);
      }
      return;
    }
    // Lists, leaves and maps that became (or stopped being) walked: compare as the full sets do.
    const oldSet = subtreeSet(before, sub, prefix);
    const newSet = subtreeSet(after, sub, prefix);
    for (const p of newSet) {
      if (!oldSet.has(p)) diff.changed.push(p);
      else if (!isExtended(newSet, p) && !jsonEqual(valueAt(old, p), valueAt(next, p))) diff.changed.push(p);
    }
    for (const p of oldSet) if (!newSet.has(p)) diff.removed.push(p);
  };
  const oldUnits = new Map<string, Unit>();
  if (old) for (const u of units(old, schema, includeStatus)) oldUnits.set(u.prefix.join('\0'), u);
  for (const u of units(next, schema, includeStatus)) {
    const key = u.prefix.join('\0');
    visit(oldUnits.get(key)?.value, u.value, u.schema, u.prefix);
    oldUnits.delete(key);
  }
  for (const u of oldUnits.values())
    for (const p of subtreeSet(u.value, u.schema, u.prefix)) diff.removed.push(p);
  return diff;
}
