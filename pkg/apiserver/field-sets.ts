/**
 * Field sets for server-side apply: which fields of an object a manager owns, as paths like
 * ["f:spec", "f:ports", 'k:{"port":80}', "f:name"], and their FieldsV1 encoding
 * ({"f:spec":{"f:ports":{"k:{\"port\":80}":{".":{},"f:name":{}}}}}). Lists follow the schema:
 * atomic by default, merged by key for `x-kubernetes-list-type: map`, by value for `set`.
 */
import type { JsonSchema } from '../../api/kind.js';
import { isPlainObject, type MutableObject } from './objects.js';

/** A path, JSON-encoded so it can live in a Set. */
export type PathKey = string;
export type FieldSet = Set<PathKey>;

/** metadata fields that managers own; the rest of metadata belongs to the server. */
const MANAGED_METADATA: Readonly<Record<string, JsonSchema>> = {
  labels: { type: 'object', additionalProperties: { type: 'string' } },
  annotations: { type: 'object', additionalProperties: { type: 'string' } },
  finalizers: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
};

export function childSchema(schema: JsonSchema | undefined, key: string): JsonSchema | undefined {
  if (!schema) return undefined;
  const prop = schema.properties?.[key];
  if (prop) return prop;
  return typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
}

export function itemKeySegment(item: unknown, keys: readonly string[]): string {
  const picked: Record<string, unknown> = {};
  for (const k of [...keys].sort()) picked[k] = isPlainObject(item) ? item[k] : undefined;
  return `k:${JSON.stringify(picked)}`;
}

/** Adds the fields `value` sets, under the path `prefix`, to `out`. */
export function walkFieldSet(
  value: unknown,
  schema: JsonSchema | undefined,
  prefix: string[],
  out: FieldSet,
): void {
  if (
    isPlainObject(value) &&
    schema?.['x-kubernetes-map-type'] !== 'atomic' &&
    Object.keys(value).length > 0
  ) {
    for (const [key, sub] of Object.entries(value)) {
      if (sub === undefined) continue;
      walkFieldSet(sub, childSchema(schema, key), [...prefix, `f:${key}`], out);
    }
    return;
  }
  const listType = schema?.['x-kubernetes-list-type'];
  if (Array.isArray(value) && listType === 'map') {
    const keys = schema?.['x-kubernetes-list-map-keys'] ?? [];
    for (const item of value) {
      const itemPath = [...prefix, itemKeySegment(item, keys)];
      out.add(JSON.stringify(itemPath));
      walkFieldSet(item, schema?.items, itemPath, out);
    }
    return;
  }
  if (Array.isArray(value) && listType === 'set') {
    for (const item of value) out.add(JSON.stringify([...prefix, `v:${JSON.stringify(item)}`]));
    return;
  }
  out.add(JSON.stringify(prefix));
}

/** Every field an object sets, as apply tracks them (apiVersion, kind and server metadata excluded). */
export function fieldSetOf(obj: MutableObject, schema: JsonSchema, includeStatus: boolean): FieldSet {
  const out: FieldSet = new Set();
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'apiVersion' || key === 'kind' || value === undefined) continue;
    if (key === 'status' && !includeStatus) continue;
    if (key === 'metadata') {
      if (!isPlainObject(value)) continue;
      for (const [mk, ms] of Object.entries(MANAGED_METADATA)) {
        if (value[mk] !== undefined) walkFieldSet(value[mk], ms, ['f:metadata', `f:${mk}`], out);
      }
      continue;
    }
    walkFieldSet(value, childSchema(schema, key), [`f:${key}`], out);
  }
  return out;
}

export function schemaForMetadata(key: string): JsonSchema | undefined {
  return MANAGED_METADATA[key];
}

/** FieldsV1 tree of a set. */
export function encodeFieldSet(set: FieldSet): MutableObject {
  const root: MutableObject = {};
  const paths = [...set].map((p) => JSON.parse(p) as string[]).sort((a, b) => a.length - b.length);
  // Nodes of paths in the set. A path that other paths extend is owned itself too: FieldsV1 marks
  // that with ".", first in its node — extending paths are longer, so they come later in `paths`.
  const owned = new Set<MutableObject>();
  for (const path of paths) {
    let node = root;
    for (const seg of path) {
      if (!isPlainObject(node[seg])) {
        if (owned.has(node) && !('.' in node)) node['.'] = {};
        node[seg] = {};
      }
      node = node[seg] as MutableObject;
    }
    owned.add(node);
  }
  return root;
}

export function decodeFieldSet(fields: unknown): FieldSet {
  const out: FieldSet = new Set();
  const visit = (node: unknown, prefix: string[]): void => {
    if (!isPlainObject(node)) return;
    for (const [key, child] of Object.entries(node)) {
      if (key === '.') {
        out.add(JSON.stringify(prefix));
        continue;
      }
      const path = [...prefix, key];
      if (isPlainObject(child) && Object.keys(child).length > 0) visit(child, path);
      else out.add(JSON.stringify(path));
    }
  };
  visit(fields, []);
  return out;
}

/** Whether decodeFieldSet(fields) would hold `key`, found by walking the tree to it. */
export function fieldSetHas(fields: unknown, key: PathKey): boolean {
  let node = fields;
  for (const seg of JSON.parse(key) as string[]) {
    if (!isPlainObject(node) || seg === '.' || !Object.hasOwn(node, seg)) return false;
    node = node[seg];
  }
  if (!isPlainObject(node)) return node !== fields;
  return Object.hasOwn(node, '.') || (node !== fields && Object.keys(node).length === 0);
}

/** ".spec.ports[port=80].name": how Kubernetes prints a path in conflict messages. */
export function displayPath(key: PathKey): string {
  const segs = JSON.parse(key) as string[];
  return segs
    .map((s) => {
      if (s.startsWith('f:')) return `.${s.slice(2)}`;
      if (s.startsWith('v:')) return `[${s.slice(2)}]`;
      const keys = JSON.parse(s.slice(2)) as Record<string, unknown>;
      return `[${Object.entries(keys)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(',')}]`;
    })
    .join('');
}
