/**
 * Translate JSON-schema validation errors (ajv's shape) into FieldProblems worded as Kubernetes
 * words CRD schema failures, e.g.
 *   spec.tier: Unsupported value: "gold": supported values: "preferred", "preemptible", "revocable"
 *   spec.instances: Invalid value: -1: spec.instances in body should be greater than or equal to 0
 * The server validates with ajv; this keeps the wording next to the schemas it is about. Typed
 * structurally so api/ does not depend on ajv's types.
 */
import { invalid, notSupported, record, required, showValue } from './field.js';
import type { FieldProblem, JsonSchema } from './kind.js';

/** The fields of ajv's ErrorObject this needs. */
export interface SchemaError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly message?: string;
}

/** Map a JSON pointer to a Kubernetes field path, using the schema to tell map keys from fields. */
export function fieldPathOf(
  pointer: string,
  schema: JsonSchema,
): { path: string; value: (root: unknown) => unknown } {
  const segments =
    pointer === ''
      ? []
      : pointer
          .slice(1)
          .split('/')
          .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let path = '';
  let node: JsonSchema | undefined = schema;
  for (const seg of segments) {
    if (node?.type === 'array' || (/^\d+$/.test(seg) && node?.items !== undefined)) {
      path += `[${seg}]`;
      node = node?.items;
    } else if (node?.properties?.[seg] !== undefined) {
      path += path === '' ? seg : `.${seg}`;
      node = node.properties[seg];
    } else {
      path += `[${seg}]`;
      const ap: JsonSchema | boolean | undefined = node?.additionalProperties;
      node = typeof ap === 'object' ? ap : undefined;
    }
  }
  const value = (root: unknown): unknown =>
    segments.reduce<unknown>((v, seg) => (Array.isArray(v) ? v[Number(seg)] : record(v)?.[seg]), root);
  return { path, value };
}

const join = (path: string, child: string): string => (path === '' ? child : `${path}.${child}`);

const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

export function problemsFromSchemaErrors(
  errors: readonly SchemaError[],
  root: unknown,
  schema: JsonSchema,
): FieldProblem[] {
  const out: FieldProblem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const { path, value } = fieldPathOf(e.instancePath, schema);
    const v = value(root);
    const p = e.params;
    let problem: FieldProblem;
    switch (e.keyword) {
      case 'required':
        problem = required(join(path, String(p['missingProperty'])));
        break;
      case 'enum':
        problem = notSupported(path, v, ((p['allowedValues'] as unknown[]) ?? []).map(String));
        break;
      case 'type':
        problem = invalid(
          path,
          typeName(v),
          `${path} in body must be of type ${String(p['type'])}: "${typeName(v)}"`,
        );
        break;
      case 'minimum':
        problem = invalid(
          path,
          v,
          `${path} in body should be greater than or equal to ${String(p['limit'])}`,
        );
        break;
      case 'maximum':
        problem = invalid(path, v, `${path} in body should be less than or equal to ${String(p['limit'])}`);
        break;
      case 'pattern':
        problem = invalid(path, v, `${path} in body should match '${String(p['pattern'])}'`);
        break;
      case 'minLength':
        problem = invalid(path, v, `${path} in body should be at least ${String(p['limit'])} chars long`);
        break;
      case 'maxLength':
        problem = {
          field: path,
          reason: 'FieldValueTooLong',
          message: `Too long: may not be more than ${String(p['limit'])} bytes`,
        };
        break;
      case 'minItems':
        problem = invalid(
          path,
          Array.isArray(v) ? v.length : v,
          `${path} in body should have at least ${String(p['limit'])} items`,
        );
        break;
      case 'maxItems':
        problem = {
          field: path,
          reason: 'FieldValueTooMany',
          message: `Too many: ${Array.isArray(v) ? v.length : showValue(v)}: must have at most ${String(p['limit'])} items`,
        };
        break;
      case 'format':
        problem = invalid(path, v, `${path} in body must be of type ${String(p['format'])}: ${showValue(v)}`);
        break;
      default:
        problem = invalid(path, v, e.message ?? e.keyword);
    }
    const key = `${problem.field}\u0000${problem.message}`;
    if (!seen.has(key)) out.push(problem);
    seen.add(key);
  }
  return out;
}
