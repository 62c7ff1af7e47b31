/**
 * Field problems worded the way Kubernetes words them (apimachinery's field.Error), so that a
 * rejected `kubectl apply` reads like one from a real cluster:
 *   spec.tier: Unsupported value: "gold": supported values: "preferred", "preemptible", "revocable"
 * `message` is the part after "<field>: "; the server puts field and message into Status causes.
 */
import type { FieldProblem } from './kind.js';

/** How Kubernetes prints a bad value: strings quoted, everything else as JSON. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'null';
  return JSON.stringify(value) ?? String(value);
}

export const invalid = (field: string, value: unknown, detail: string): FieldProblem => ({
  field,
  reason: 'FieldValueInvalid',
  message: `Invalid value: ${showValue(value)}: ${detail}`,
});

export const required = (field: string, detail?: string): FieldProblem => ({
  field,
  reason: 'FieldValueRequired',
  message: detail === undefined ? 'Required value' : `Required value: ${detail}`,
});

export const notSupported = (field: string, value: unknown, supported: readonly string[]): FieldProblem => ({
  field,
  reason: 'FieldValueNotSupported',
  message: `Unsupported value: ${showValue(value)}: supported values: ${supported.map((s) => `"${s}"`).join(', ')}`,
});

export const duplicate = (field: string, value: unknown): FieldProblem => ({
  field,
  reason: 'FieldValueDuplicate',
  message: `Duplicate value: ${showValue(value)}`,
});

export const forbidden = (field: string, detail: string): FieldProblem => ({
  field,
  reason: 'FieldValueForbidden',
  message: `Forbidden: ${detail}`,
});

export const notFound = (field: string, value: unknown): FieldProblem => ({
  field,
  reason: 'FieldValueNotFound',
  message: `Not found: ${showValue(value)}`,
});

/** The one-line form Kubernetes prints in an Invalid error: "<field>: <message>". */
export const formatProblem = (p: FieldProblem): string => `${p.field}: ${p.message}`;

/** Kubernetes' immutability wording (apimachinery ValidateImmutableField). */
export const immutable = (field: string, value: unknown): FieldProblem =>
  invalid(field, value, 'field is immutable');

/** Narrow an unknown to a plain object, for validators reading objects that passed the schema. */
export function record(v: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

/** Deep equality for JSON values (immutability checks compare stored and new spec fields). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  const ra = record(a);
  const rb = record(b);
  if (ra === undefined || rb === undefined) return false;
  const ka = Object.keys(ra);
  return ka.length === Object.keys(rb).length && ka.every((k) => k in rb && jsonEqual(ra[k], rb[k]));
}
