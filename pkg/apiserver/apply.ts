/**
 * Server-side apply: merge an applied configuration into the live object, owning the applied
 * fields for the field manager, removing fields the manager applied before and dropped (unless
 * someone else owns them), and refusing to change fields other managers own (409 listing them)
 * unless forced, in which case ownership moves to the applier.
 */
import type { JsonSchema } from '../../api/kind.js';
import { BorealisError, type ErrorCause } from '../errors/index.js';
import { childSchema, displayPath, fieldSetOf, itemKeySegment, schemaForMetadata } from './field-sets.js';
import { findOrAddEntry, owns, readEntries, writeEntries } from './managed-fields.js';
import { type ApiObject, deepCopy, isPlainObject, jsonEqual, type MutableObject } from './objects.js';
import { removeAt, valueAt } from './paths.js';

export interface ApplyRequest {
  /** The live object, or undefined when apply creates it. */
  readonly live: ApiObject | undefined;
  readonly applied: MutableObject;
  readonly manager: string;
  readonly force: boolean;
  readonly schema: JsonSchema;
  readonly includeStatus: boolean;
  readonly apiVersion: string;
  readonly subresource?: string;
  readonly now: string;
}

/** The kind's schema with the list and map types of the metadata fields managers own. */
export function schemaWithManagedMetadata(schema: JsonSchema): JsonSchema {
  const meta: JsonSchema = {
    type: 'object',
    properties: {
      labels: schemaForMetadata('labels')!,
      annotations: schemaForMetadata('annotations')!,
      finalizers: schemaForMetadata('finalizers')!,
    },
  };
  return { ...schema, properties: { ...(schema.properties ?? {}), metadata: meta } };
}

/** Deep merge of the applied value into the live value, following the schema's list and map types. */
function merge(live: unknown, applied: unknown, schema: JsonSchema | undefined): unknown {
  if (isPlainObject(live) && isPlainObject(applied) && schema?.['x-kubernetes-map-type'] !== 'atomic') {
    const out: MutableObject = { ...live };
    for (const [k, v] of Object.entries(applied)) out[k] = merge(live[k], v, childSchema(schema, k));
    return out;
  }
  const listType = schema?.['x-kubernetes-list-type'];
  if (Array.isArray(live) && Array.isArray(applied) && listType === 'map') {
    const keys = schema?.['x-kubernetes-list-map-keys'] ?? [];
    const out = [...live];
    for (const item of applied) {
      const seg = itemKeySegment(item, keys);
      const idx = out.findIndex((x) => itemKeySegment(x, keys) === seg);
      if (idx >= 0) out[idx] = merge(out[idx], item, schema?.items);
      else out.push(deepCopy(item));
    }
    return out;
  }
  if (Array.isArray(live) && Array.isArray(applied) && listType === 'set') {
    const out = [...live];
    for (const item of applied) if (!out.some((x) => jsonEqual(x, item))) out.push(item);
    return out;
  }
  return deepCopy(applied);
}

/** The object after applying; managedFields included. Throws Conflict (409) on ownership conflicts. */
export function serverSideApply(req: ApplyRequest): MutableObject {
  const entries = readEntries(req.live);
  const appliedSet = fieldSetOf(req.applied, req.schema, req.includeStatus);
  const conflicts: ErrorCause[] = [];
  for (const entry of entries) {
    if (entry.manager === req.manager && entry.operation === 'Apply') continue;
    for (const p of appliedSet) {
      if (!owns(entry, p)) continue;
      if (jsonEqual(valueAt(req.live, p), valueAt(req.applied, p))) continue;
      if (req.force) {
        entry.set.delete(p);
        entry.touched = true;
      } else {
        conflicts.push({
          reason: 'FieldManagerConflict',
          message: `conflict with "${entry.manager}"${entry.operation === 'Update' ? ` using ${entry.apiVersion}` : ''}`,
          field: displayPath(p),
        });
      }
    }
  }
  if (conflicts.length > 0) {
    // Worded as kube-apiserver words it, since kubectl prints it as is.
    const message =
      conflicts.length === 1
        ? `Apply failed with 1 conflict: ${conflicts[0]?.message}: ${conflicts[0]?.field}`
        : `Apply failed with ${conflicts.length} conflicts: ${conflicts.map((c) => `${c.message}: ${c.field}`).join('\n')}`;
    throw new BorealisError('Conflict', message, { causes: conflicts });
  }

  const mine = findOrAddEntry(entries, req.manager, 'Apply', req.apiVersion, req.subresource);
  const result: MutableObject = req.live ? deepCopy(req.live as MutableObject) : {};
  for (const p of mine.set) {
    if (appliedSet.has(p)) continue;
    if (entries.some((e) => e !== mine && owns(e, p))) continue;
    removeAt(result, p);
  }
  const merged = merge(result, req.applied, schemaWithManagedMetadata(req.schema)) as MutableObject;
  const sameSet = mine.set.size === appliedSet.size && [...appliedSet].every((p) => mine.set.has(p));
  if (!sameSet) {
    mine.set = appliedSet;
    mine.touched = true;
  }
  const meta = isPlainObject(merged['metadata']) ? { ...merged['metadata'] } : {};
  meta['managedFields'] = writeEntries(entries, req.now);
  merged['metadata'] = meta;
  return merged;
}
