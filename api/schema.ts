/**
 * Small builders for OpenAPI v3 structural schemas. Every kind file describes dozens of fields and
 * each must carry a description (kubectl explain reads them), so the builders take the description
 * first and keep the schema files readable.
 */
import type { JsonSchema } from './kind.js';

type Extra = Omit<JsonSchema, 'type' | 'description' | 'properties' | 'items'>;

export const str = (description: string, extra: Extra = {}): JsonSchema => ({
  type: 'string',
  description,
  ...extra,
});

/** An enumerated string; the values also appear in the description so kubectl explain lists them. */
export const oneOfStr = (description: string, values: readonly string[], extra: Extra = {}): JsonSchema => ({
  type: 'string',
  description: `${description} One of: ${values.join(', ')}.`,
  enum: values,
  ...extra,
});

export const int = (description: string, extra: Extra = {}): JsonSchema => ({
  type: 'integer',
  format: 'int64',
  description,
  ...extra,
});

export const int32 = (description: string, extra: Extra = {}): JsonSchema => ({
  type: 'integer',
  format: 'int32',
  description,
  ...extra,
});

export const num = (description: string, extra: Extra = {}): JsonSchema => ({
  type: 'number',
  format: 'double',
  description,
  ...extra,
});

export const bool = (description: string, extra: Extra = {}): JsonSchema => ({
  type: 'boolean',
  description,
  ...extra,
});

/** RFC 3339 timestamp, as metav1.Time serialises. */
export const time = (description: string): JsonSchema => ({
  type: 'string',
  format: 'date-time',
  description,
});

export const obj = (
  description: string,
  properties: Readonly<Record<string, JsonSchema>>,
  extra: Extra = {},
): JsonSchema => ({ type: 'object', description, properties, ...extra });

export const arr = (description: string, items: JsonSchema, extra: Extra = {}): JsonSchema => ({
  type: 'array',
  description,
  items,
  ...extra,
});

/** A list merged as a set by server-side apply (scalar items, compared by value). */
export const set = (description: string, items: JsonSchema, extra: Extra = {}): JsonSchema =>
  arr(description, items, { 'x-kubernetes-list-type': 'set', ...extra });

/** A list merged by key by server-side apply (object items keyed by `keys`). */
export const listMap = (
  description: string,
  items: JsonSchema,
  keys: readonly string[],
  extra: Extra = {},
): JsonSchema =>
  arr(description, items, { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': keys, ...extra });

/** A map with string keys (`additionalProperties`), like labels. */
export const map = (description: string, values: JsonSchema, extra: Extra = {}): JsonSchema => ({
  type: 'object',
  description,
  additionalProperties: values,
  ...extra,
});
