/**
 * Fields of an object its schema does not declare: what Kubernetes prunes from a structural
 * schema's objects, and what `fieldValidation=Strict` (kubectl's default) rejects as
 * `unknown field "spec.task.healtCheck"`. Honours x-kubernetes-preserve-unknown-fields and
 * x-kubernetes-embedded-resource as apiextensions does.
 */
import { record } from './field.js';
import type { JsonSchema } from './kind.js';

const EMBEDDED = new Set(['apiVersion', 'kind', 'metadata']);

export function unknownFields(value: unknown, schema: JsonSchema, path = ''): string[] {
  if (Array.isArray(value)) {
    const items = schema.items;
    return items === undefined ? [] : value.flatMap((v, i) => unknownFields(v, items, `${path}[${i}]`));
  }
  const obj = record(value);
  if (obj === undefined) return [];
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const extra = schema.additionalProperties;
  const out: string[] = [];
  for (const [k, v] of Object.entries(obj)) {
    const prop = schema.properties?.[k];
    if (prop !== undefined) {
      out.push(...unknownFields(v, prop, path === '' ? k : `${path}.${k}`));
    } else if (typeof extra === 'object') {
      out.push(...unknownFields(v, extra, `${path}[${k}]`));
    } else if (
      !preserve &&
      extra !== true &&
      !(schema['x-kubernetes-embedded-resource'] && EMBEDDED.has(k))
    ) {
      out.push(path === '' ? k : `${path}.${k}`);
    }
  }
  return out;
}
