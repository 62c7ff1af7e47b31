/**
 * Small helpers over plain API objects (JSON documents). Objects read from the store are frozen,
 * so every helper here builds new objects rather than mutating.
 */
import type { ApiObject } from '../../api/kind.js';

export type { ApiObject } from '../../api/kind.js';

/** A JSON object we are allowed to build up (before it is stored and frozen). */
export type MutableObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is MutableObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object's metadata as a plain record (empty when absent). */
export function metaOf(obj: ApiObject | undefined): Readonly<Record<string, unknown>> {
  const meta = obj?.metadata;
  return isPlainObject(meta) ? meta : {};
}

export function metaString(obj: ApiObject | undefined, field: string): string | undefined {
  const value = metaOf(obj)[field];
  return typeof value === 'string' ? value : undefined;
}

export function labelsOf(obj: ApiObject | undefined): Readonly<Record<string, string>> {
  const labels = metaOf(obj)['labels'];
  return isPlainObject(labels) ? (labels as Record<string, string>) : {};
}

export function finalizersOf(obj: ApiObject | undefined): readonly string[] {
  const finalizers = metaOf(obj)['finalizers'];
  return Array.isArray(finalizers) ? finalizers.filter((f): f is string => typeof f === 'string') : [];
}

/** A deep, mutable copy (structuredClone copes with frozen input and keeps JSON shape). */
export function deepCopy<T>(value: T): T {
  return structuredClone(value) as T;
}

/** A copy of `obj` with metadata fields replaced (undefined removes a field). Shallow: cheap on hot paths. */
export function withMeta(obj: ApiObject, changes: Readonly<Record<string, unknown>>): MutableObject {
  const meta: MutableObject = { ...metaOf(obj) };
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete meta[k];
    else meta[k] = v;
  }
  return { ...obj, metadata: meta };
}

/** The object as clients see it: the store revision becomes metadata.resourceVersion. */
export function withResourceVersion(obj: ApiObject, revision: number): MutableObject {
  return withMeta(obj, { resourceVersion: String(revision) });
}

/** Structural equality of JSON values (moved to the runtime: controllers compare with it too). */
export { jsonEqual } from '../runtime/json-equal.js';

/**
 * What bumps metadata.generation when it changes: everything outside metadata, and outside
 * status too when status is a subresource (as for CRDs).
 */
export function specPart(obj: ApiObject, statusIsSubresource: boolean): MutableObject {
  const { metadata: _m, apiVersion: _a, kind: _k, ...rest } = obj;
  const out: MutableObject = { ...rest };
  if (statusIsSubresource) delete out['status'];
  return out;
}

/** RFC 3339 timestamp without fractional seconds, as Kubernetes writes metav1.Time. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
