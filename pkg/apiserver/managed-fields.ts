/**
 * metadata.managedFields bookkeeping: who owns which fields. Server-side apply (./apply.ts) reads
 * and rewrites it; every other write goes through trackUpdate, where the writer takes ownership of
 * the fields it changed (operation "Update") and nobody keeps fields that no longer exist.
 */
import type { JsonSchema } from '../../api/kind.js';
import { diffFieldSets } from './field-diff.js';
import { decodeFieldSet, encodeFieldSet, type FieldSet, fieldSetHas, type PathKey } from './field-sets.js';
import { type ApiObject, isPlainObject, jsonEqual, type MutableObject, metaOf } from './objects.js';

export interface ManagerEntry {
  readonly manager: string;
  readonly operation: 'Apply' | 'Update';
  readonly subresource?: string | undefined;
  apiVersion: string;
  time: string;
  set: FieldSet;
  /** Whether the set changed in this write (then `time` is refreshed). */
  touched: boolean;
}

/**
 * An entry read from an object. Its field set is decoded only when someone needs all of it, and
 * until then the entry is written back as the FieldsV1 it was read from, when that came from the
 * store (frozen): the server wrote it with encodeFieldSet, so re-encoding would give the same tree.
 */
class StoredEntry implements ManagerEntry {
  private decoded: FieldSet | undefined;
  touched = false;

  constructor(
    readonly manager: string,
    readonly operation: 'Apply' | 'Update',
    readonly subresource: string | undefined,
    public apiVersion: string,
    public time: string,
    readonly fieldsV1: unknown,
  ) {}

  get set(): FieldSet {
    this.decoded ??= decodeFieldSet(this.fieldsV1);
    return this.decoded;
  }

  set set(value: FieldSet) {
    this.decoded = value;
  }

  /** Whether the set holds `path`, answered from FieldsV1 while the set is not decoded. */
  has(path: PathKey): boolean {
    return this.decoded ? this.decoded.has(path) : fieldSetHas(this.fieldsV1, path);
  }

  /** The stored FieldsV1, when writing it back unchanged is exact. */
  reusable(): MutableObject | undefined {
    return this.decoded === undefined && Object.isFrozen(this.fieldsV1) && isPlainObject(this.fieldsV1)
      ? this.fieldsV1
      : undefined;
  }
}

/** Whether an entry's field set holds `path`, without decoding a stored one. */
export function owns(entry: ManagerEntry, path: PathKey): boolean {
  return entry instanceof StoredEntry ? entry.has(path) : entry.set.has(path);
}

export function readEntries(obj: ApiObject | undefined): ManagerEntry[] {
  const raw = metaOf(obj)['managedFields'];
  if (!Array.isArray(raw)) return [];
  const entries: ManagerEntry[] = [];
  for (const e of raw) {
    if (!isPlainObject(e) || typeof e['manager'] !== 'string') continue;
    entries.push(
      new StoredEntry(
        e['manager'],
        e['operation'] === 'Apply' ? 'Apply' : 'Update',
        typeof e['subresource'] === 'string' && e['subresource'] !== '' ? e['subresource'] : undefined,
        typeof e['apiVersion'] === 'string' ? e['apiVersion'] : '',
        typeof e['time'] === 'string' ? e['time'] : '',
        e['fieldsV1'],
      ),
    );
  }
  return entries;
}

export function writeEntries(entries: readonly ManagerEntry[], now: string): MutableObject[] {
  const out: MutableObject[] = [];
  for (const e of entries) {
    // A non-empty stored FieldsV1 decodes to a non-empty set: no need to decode it to know.
    const kept = e instanceof StoredEntry ? e.reusable() : undefined;
    if (kept ? Object.keys(kept).length === 0 : e.set.size === 0) continue;
    out.push({
      manager: e.manager,
      operation: e.operation,
      apiVersion: e.apiVersion,
      time: e.touched ? now : e.time,
      fieldsType: 'FieldsV1',
      fieldsV1: kept ?? encodeFieldSet(e.set),
      ...(e.subresource !== undefined ? { subresource: e.subresource } : {}),
    });
  }
  return out;
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
  const { changed, removed } = diffFieldSets(
    old as MutableObject | undefined,
    next,
    t.schema,
    t.includeStatus,
  );
  const mine =
    changed.length > 0
      ? findOrAddEntry(entries, t.manager, 'Update', t.apiVersion, t.subresource)
      : undefined;
  for (const e of entries) {
    // Sets that hold none of the paths to take away stay as they are (and undecoded).
    const lose = e === mine ? removed : [...removed, ...changed];
    if (!lose.some((p) => owns(e, p))) continue;
    const before = e.set.size;
    for (const p of lose) e.set.delete(p);
    if (e.set.size !== before) e.touched = true;
  }
  if (mine) {
    for (const p of changed) if (!owns(mine, p)) mine.set.add(p);
    mine.touched = true;
  }
  const meta = isPlainObject(next['metadata']) ? next['metadata'] : {};
  const written = writeEntries(entries, t.now);
  if (written.length > 0) meta['managedFields'] = written;
  else delete meta['managedFields'];
  next['metadata'] = meta;
}
