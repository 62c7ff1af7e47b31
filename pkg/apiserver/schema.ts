/**
 * Structural schema handling for one kind: defaulting from `default`s, detection and pruning of
 * unknown fields (fieldValidation Strict|Warn|Ignore), and validation with ajv. The OpenAPI
 * flavour (nullable, int-or-string, boolean exclusiveMinimum) is translated to JSON Schema once,
 * when the kind is registered, so each request pays only for the compiled validator.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FieldProblem, JsonSchema } from '../../api/kind.js';
import { isPlainObject, type MutableObject } from './objects.js';

// ajv-formats is CommonJS with a `default` export; under NodeNext the callable sits on .default.
type AddFormats = (instance: Ajv) => Ajv;
const addFormats: AddFormats =
  (addFormatsModule as unknown as { default?: AddFormats }).default ??
  (addFormatsModule as unknown as AddFormats);

/** ObjectMeta fields a client may send; anything else under metadata is an unknown field. */
const OBJECT_META_FIELDS = new Set([
  'name',
  'generateName',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'finalizers',
  'ownerReferences',
  'managedFields',
  'selfLink',
]);

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
addFormats(ajv);
for (const name of ['int32', 'int64', 'float', 'double', 'byte', 'quantity']) ajv.addFormat(name, true);

type Json = Record<string, unknown>;

/** OpenAPI v3 (structural) → JSON Schema as ajv understands it. metadata is checked by the server. */
function toJsonSchema(schema: JsonSchema, atRoot: boolean): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith('x-kubernetes-') || key === 'nullable' || key === 'default') continue;
    if (key === 'properties' && isPlainObject(value)) {
      const props: Json = {};
      for (const [name, sub] of Object.entries(value as Record<string, JsonSchema>)) {
        props[name] = atRoot && name === 'metadata' ? { type: 'object' } : toJsonSchema(sub, false);
      }
      out['properties'] = props;
    } else if (key === 'items' && isPlainObject(value)) {
      out['items'] = toJsonSchema(value as JsonSchema, false);
    } else if (key === 'additionalProperties' && isPlainObject(value)) {
      out['additionalProperties'] = toJsonSchema(value as JsonSchema, false);
    } else if (key === 'additionalProperties') {
    } else if ((key === 'anyOf' || key === 'oneOf') && Array.isArray(value)) {
      out[key] = (value as JsonSchema[]).map((s) => toJsonSchema(s, false));
    } else if (key === 'exclusiveMinimum' && typeof value === 'boolean') {
      if (value && schema.minimum !== undefined) out['exclusiveMinimum'] = schema.minimum;
    } else {
      out[key] = value;
    }
  }
  if (schema.exclusiveMinimum === true) delete out['minimum'];
  if (schema['x-kubernetes-int-or-string']) {
    delete out['type'];
    out['anyOf'] = [{ type: 'integer' }, { type: 'string' }];
  }
  if (schema.nullable && typeof out['type'] === 'string') out['type'] = [out['type'], 'null'];
  return out;
}

function describeValue(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

function fieldPath(instancePath: string): string {
  return instancePath
    .split('/')
    .filter((s) => s !== '')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc === '' ? seg : `${acc}.${seg}`), '');
}

function problemFromAjv(e: ErrorObject): FieldProblem {
  const base = fieldPath(e.instancePath);
  if (e.keyword === 'required') {
    const missing = String((e.params as { missingProperty?: string }).missingProperty ?? '');
    return {
      field: base === '' ? missing : `${base}.${missing}`,
      message: 'Required value',
      reason: 'FieldValueRequired',
    };
  }
  const field = base === '' ? '<root>' : base;
  if (e.keyword === 'type') {
    const actual = Array.isArray(e.data) ? 'array' : e.data === null ? 'null' : typeof e.data;
    const want = String((e.params as { type?: unknown }).type);
    return {
      field,
      message: `Invalid value: "${actual}": ${field} in body must be of type ${want}: "${actual}"`,
      reason: 'FieldValueTypeInvalid',
    };
  }
  if (e.keyword === 'enum') {
    const allowed = ((e.params as { allowedValues?: unknown[] }).allowedValues ?? [])
      .map(describeValue)
      .join(', ');
    return {
      field,
      message: `Unsupported value: ${describeValue(e.data)}: supported values: ${allowed}`,
      reason: 'FieldValueNotSupported',
    };
  }
  return {
    field,
    message: `Invalid value: ${describeValue(e.data)}: ${field} in body ${e.message ?? 'is invalid'}`,
    reason: 'FieldValueInvalid',
  };
}

export interface DecodeResult {
  /** Unknown field paths found (and removed), e.g. "spec.foo". */
  readonly unknownFields: readonly string[];
}

/** The compiled form of one kind's schema. */
export class KindSchema {
  private readonly validator: ValidateFunction;

  constructor(readonly schema: JsonSchema) {
    this.validator = ajv.compile(toJsonSchema(schema, true));
  }

  /** Removes unknown fields from `obj` (mutating it) and reports their paths. */
  prune(obj: MutableObject): DecodeResult {
    const unknown: string[] = [];
    const meta = obj['metadata'];
    if (isPlainObject(meta)) {
      for (const key of Object.keys(meta)) {
        if (!OBJECT_META_FIELDS.has(key)) {
          unknown.push(`metadata.${key}`);
          delete meta[key];
        }
      }
    }
    pruneNode(obj, this.schema, '', unknown, true);
    return { unknownFields: unknown };
  }

  /** Fills in schema defaults (mutating `obj`). */
  applyDefaults(obj: MutableObject): void {
    defaultNode(obj, this.schema);
  }

  validate(obj: unknown): FieldProblem[] {
    if (this.validator(obj)) return [];
    return (this.validator.errors ?? []).map(problemFromAjv);
  }
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function pruneNode(value: unknown, schema: JsonSchema, path: string, unknown: string[], root: boolean): void {
  if (Array.isArray(value)) {
    const items = schema.items;
    if (items) {
      for (const [i, item] of value.entries()) pruneNode(item, items, `${path}[${i}]`, unknown, false);
    }
    return;
  }
  if (!isPlainObject(value)) return;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = schema['x-kubernetes-embedded-resource'] === true;
  const props = schema.properties ?? {};
  for (const key of Object.keys(value)) {
    const sub = props[key];
    if (sub) {
      if (!(root && key === 'metadata')) pruneNode(value[key], sub, join(path, key), unknown, false);
      continue;
    }
    if ((root || embedded) && (key === 'apiVersion' || key === 'kind' || key === 'metadata')) continue;
    const extra = schema.additionalProperties;
    if (typeof extra === 'object') {
      pruneNode(value[key], extra, join(path, key), unknown, false);
      continue;
    }
    if (extra === true || preserve) continue;
    if (schema.properties === undefined && schema.type !== 'object') continue;
    unknown.push(join(path, key));
    delete value[key];
  }
}

/** Per schema node: whether a default lies below it (schemas do not change once compiled). */
const defaultsBelow = new WeakMap<JsonSchema, boolean>();

function hasDefaults(schema: JsonSchema): boolean {
  let found = defaultsBelow.get(schema);
  if (found === undefined) {
    const extra = schema.additionalProperties;
    found =
      Object.values(schema.properties ?? {}).some((sub) => sub.default !== undefined || hasDefaults(sub)) ||
      (schema.items !== undefined && hasDefaults(schema.items)) ||
      (typeof extra === 'object' && hasDefaults(extra));
    defaultsBelow.set(schema, found);
  }
  return found;
}

function defaultNode(value: unknown, schema: JsonSchema): void {
  // Most of an object has no defaults to fill: skip those subtrees without walking them.
  if (!hasDefaults(schema)) return;
  if (Array.isArray(value)) {
    if (schema.items) for (const item of value) defaultNode(item, schema.items);
    return;
  }
  if (!isPlainObject(value)) return;
  for (const [key, sub] of Object.entries(schema.properties ?? {})) {
    if (value[key] === undefined && sub.default !== undefined) {
      const d = sub.default;
      value[key] = typeof d === 'object' && d !== null ? structuredClone(d) : d;
    }
    if (value[key] !== undefined) defaultNode(value[key], sub);
  }
  const extra = schema.additionalProperties;
  if (typeof extra === 'object') {
    for (const key of Object.keys(value))
      if (!(key in (schema.properties ?? {}))) defaultNode(value[key], extra);
  }
}
