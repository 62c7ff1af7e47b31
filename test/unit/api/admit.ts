/**
 * What the API server does with a written object, reduced to the part this folder owns: refuse
 * undeclared fields (strict field validation), apply the schema's defaults and check it (ajv, as
 * the server uses it), then run the kind's own validate.
 * Tests go through this so they see what a `kubectl apply` user would see.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';
import { formatProblem } from '../../../api/field.js';
import type { ApiObject, KindDefinition } from '../../../api/kind.js';
import { problemsFromSchemaErrors } from '../../../api/schema-errors.js';
import { unknownFields } from '../../../api/unknown-fields.js';

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsImport as unknown as typeof addFormatsImport.default;

export function newAjv(): Ajv {
  // strict off: the schemas carry x-kubernetes-* markers ajv does not know.
  const ajv = new Ajv({ strict: false, useDefaults: true, allErrors: true });
  addFormats(ajv);
  return ajv;
}

const ajv = newAjv();
const compiled = new Map<KindDefinition, ValidateFunction>();

export function validatorFor(kind: KindDefinition): ValidateFunction {
  let v = compiled.get(kind);
  if (v === undefined) {
    v = ajv.compile(kind.schema);
    compiled.set(kind, v);
  }
  return v;
}

export interface Admitted {
  /** The object after defaulting. */
  readonly object: ApiObject;
  /** Every problem, as Kubernetes prints them: "spec.tier: Unsupported value: ...". */
  readonly errors: readonly string[];
}

export function admit(kind: KindDefinition, input: unknown, old?: ApiObject): Admitted {
  const object = structuredClone(input) as ApiObject;
  // kubectl's default --validate=strict: undeclared fields are refused before anything else.
  const unknown = unknownFields(object, kind.schema);
  if (unknown.length > 0) return { object, errors: unknown.map((f) => `unknown field "${f}"`) };
  const validate = validatorFor(kind);
  if (!validate(object)) {
    const problems = problemsFromSchemaErrors(validate.errors ?? [], object, kind.schema);
    return { object, errors: problems.map(formatProblem) };
  }
  return { object, errors: (kind.validate?.(object, old) ?? []).map(formatProblem) };
}

/** A deep copy of `base` with `mutate` applied, for one-change-at-a-time negative tests. */
export function variant<T>(base: T, mutate: (copy: T) => void): T {
  const copy = structuredClone(base);
  mutate(copy);
  return copy;
}
