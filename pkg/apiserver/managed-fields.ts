/**
 * metadata.managedFields bookkeeping: who owns which fields. Server-side apply (./apply.ts) reads
 * and rewrites it; every other write goes through trackUpdate, where the writer takes ownership of
 * the fields it changed (operation "Update") and nobody keeps fields that no longer exist.
 */
import type { JsonSchema } from '../../api/kind.js';
import { decodeFieldSet, encodeFieldSet, type FieldSet, fieldSetOf, type PathKey } from './field-sets.js';
import { type ApiObject, isPlainObject, jsonEqual, type MutableObject, metaOf } from './objects.js';
import { valueAt } from './paths.js';

export interface ManagerEntry {
  readonly manager: string;
  readonly operation: 'Apply' | 'Update';
  readonly subresource?: string;
  apiVersion: string;
  time: string;
  set: FieldSet;
  /** Whether the set changed in this write (then `time` is refreshed). */
  touched: boolean;
}

export function readEntries(obj: ApiObject | undefined): ManagerEntry[] {
  const raw = metaOf(obj)['managedFields'];
  if (!Array.isArray(raw)) return [];
  const entries: ManagerEntry[] = [];
  for (const e of raw) {
    if (!isPlainObject(e) || typeof e['manager'] !== 'string') continue;
    const operation = e['operation'] === 'Apply' ? 'Apply' : 'Update';
    entries.push({
      manager: e['manager'],
      operation,
      ...(typeof e['subresource'] === 'string' && e['subresource'] !== ''
        ? { subresource: e['subresource'] }
        : {}),
      apiVersion: typeof e['apiVersion'] === 'string' ? e['apiVersion'] : '',
      time: typeof e['time'] === 'string' ? e['time'] : '',
      set: decodeFieldSet(e['fieldsV1']),
      touched: false,
    });
  }
  return entries;
}

export function writeEntries(entries: readonly ManagerEntry[], now: string): MutableObject[] {
  return entries
    .filter((e) => e.set.size > 0)
    .map((e) => ({
      manager: e.manager,
      operation: e.operation,
      apiVersion: e.apiVersion,
      time: e.touched ? now : e.time,
      fieldsType: 'FieldsV1',
      fieldsV1: encodeFieldSet(e.set),
      ...(e.subresource !== undefined ? { subresource: e.subresource } : {}),
    }));
}

export function findOrAddEntry(
  entries: ManagerEntry[],
  manager: string,
  operation: 'Apply' | 'Update',
  apiVersion: string,
  subresource: string | undefined,
): ManagerEntry {
  const found = entries.find(
    (e) => e.manager === manager && e.operation === operation && e.subresource === subresource,
  );
  if (found) {
    found.apiVersion = apiVersion;
    return found;
  }
  const entry: ManagerEntry = {
    manager,
    operation,
    ...(subresource !== undefined ? { subresource } : {}),
    apiVersion,
    time: '',
    set: new Set(),
    touched: true,
  };
  entries.push(entry);
  return entry;
}

function isExtended(set: FieldSet, key: PathKey): boolean {
  const prefix = key.slice(0, -1);
  for (const other of set) if (other.length > key.length && other.startsWith(prefix)) return true;
  return false;
}

export interface UpdateTracking {
  readonly manager: string;
  readonly apiVersion: string;
  readonly schema: JsonSchema;
  readonly includeStatus: boolean;
  readonly subresource?: string;
  readonly now: string;
}

/** Sets next.metadata.managedFields after a non-apply write from `old` (undefined: create) to `next`. */
export function trackUpdate(old: ApiObject | undefined, next: MutableObject, t: UpdateTracking): void {
  // A write that changes managedFields itself is taken at its word (kubectl rewrites them to hand
  // client-side-apply ownership over to server-side apply); otherwise the stored ones count.
  const sent = metaOf(next)['managedFields'];
  const rewritten = old !== undefined && sent !== undefined && !jsonEqual(sent, metaOf(old)['managedFields']);
  const entries = readEntries(rewritten ? next : old);
  const oldSet = old ? fieldSetOf(old as MutableObject, t.schema, t.includeStatus) : new Set<PathKey>();
  const newSet = fieldSetOf(next, t.schema, t.includeStatus);
  const changed = new Set<PathKey>();
  for (const p of newSet) {
    if (!oldSet.has(p)) changed.add(p);
    else if (!isExtended(newSet, p) && !jsonEqual(valueAt(old, p), valueAt(next, p))) changed.add(p);
  }
  const removed = [...oldSet].filter((p) => !newSet.has(p));
  const mine =
    changed.size > 0 ? findOrAddEntry(entries, t.manager, 'Update', t.apiVersion, t.subresource) : undefined;
  for (const e of entries) {
    const before = e.set.size;
    for (const p of removed) e.set.delete(p);
    if (e !== mine) for (const p of changed) e.set.delete(p);
    if (e.set.size !== before) e.touched = true;
  }
  if (mine) {
    for (const p of changed) mine.set.add(p);
    mine.touched = true;
  }
  const meta = isPlainObject(next['metadata']) ? next['metadata'] : {};
  const written = writeEntries(entries, t.now);
  if (written.length > 0) meta['managedFields'] = written;
  else delete meta['managedFields'];
  next['metadata'] = meta;
}
