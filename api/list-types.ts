/**
 * Uniqueness of x-kubernetes-list-type set and map lists, which JSON schema cannot express
 * (structural schemas forbid uniqueItems) but Kubernetes enforces, because server-side apply
 * merges these lists by value or by key and duplicates would make the merge ambiguous.
 * Every kind's validate runs this over its own schema (see withListTypes).
 */
import { duplicate, record } from './field.js';
import type { ApiObject, FieldProblem, JsonSchema, KindDefinition } from './kind.js';

/** Per schema node: whether a set or map list lies at or below it (schemas do not change). */
const listTypesBelow = new WeakMap<JsonSchema, boolean>();

function hasListTypes(schema: JsonSchema): boolean {
  let found = listTypesBelow.get(schema);
  if (found === undefined) {
    const listType = schema['x-kubernetes-list-type'];
    const extra = schema.additionalProperties;
    found =
      listType === 'set' ||
      listType === 'map' ||
      (schema.items !== undefined && hasListTypes(schema.items)) ||
      Object.values(schema.properties ?? {}).some(hasListTypes) ||
      (typeof extra === 'object' && hasListTypes(extra));
    listTypesBelow.set(schema, found);
  }
  return found;
}

export function validateListTypes(value: unknown, schema: JsonSchema, path = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  // Only set and map lists can have duplicates: most of an object is skipped without a look.
  if (!hasListTypes(schema)) return problems;
  if (Array.isArray(value)) {
    const listType = schema['x-kubernetes-list-type'];
    const keys = schema['x-kubernetes-list-map-keys'] ?? [];
    const seen = new Set<string>();
    value.forEach((item, i) => {
      const at = `${path}[${i}]`;
      if (listType === 'set' || listType === 'map') {
        const identity =
          listType === 'set' ? item : Object.fromEntries(keys.map((k) => [k, record(item)?.[k]]));
        const id = JSON.stringify(identity);
        if (seen.has(id)) problems.push(duplicate(at, identity));
        seen.add(id);
      }
      if (schema.items !== undefined) problems.push(...validateListTypes(item, schema.items, at));
    });
    return problems;
  }
  const obj = record(value);
  if (obj === undefined) return problems;
  for (const [k, v] of Object.entries(obj)) {
    const prop = schema.properties?.[k];
    const extra = schema.additionalProperties;
    if (prop !== undefined) {
      problems.push(...validateListTypes(v, prop, path === '' ? k : `${path}.${k}`));
    } else if (typeof extra === 'object') {
      problems.push(...validateListTypes(v, extra, `${path}[${k}]`));
    }
  }
  return problems;
}

/** A kind's validate, preceded by the list-type checks over the kind's schema. */
export function withListTypes(
  schema: JsonSchema,
  validate?: KindDefinition['validate'],
): (obj: ApiObject, old: ApiObject | undefined) => readonly FieldProblem[] {
  return (obj, old) => [...validateListTypes(obj, schema), ...(validate?.(obj, old) ?? [])];
}
