/**
 * JSON merge patch (RFC 7386) and JSON patch (RFC 6902). Strategic merge patch is refused with
 * 415 so kubectl falls back to merge patch, as it does for custom resources.
 */
import fastJsonPatch from 'fast-json-patch';
import { BorealisError } from '../errors/index.js';
import { deepCopy, isPlainObject, type MutableObject } from './objects.js';
import { badRequest } from './status.js';

export const MERGE_PATCH = 'application/merge-patch+json';
export const JSON_PATCH = 'application/json-patch+json';
export const APPLY_PATCH = 'application/apply-patch+yaml';
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return deepCopy(patch);
  const out: MutableObject = isPlainObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export function jsonPatch(target: MutableObject, patch: unknown): MutableObject {
  if (!Array.isArray(patch)) throw badRequest('json patch must be an array of operations');
  const doc = deepCopy(target);
  try {
    const result = fastJsonPatch.applyPatch(doc, patch as fastJsonPatch.Operation[], true, true);
    return result.newDocument as MutableObject;
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    // Kubernetes answers a failed test op or a missing path with 422 (Invalid) naming the op.
    throw new BorealisError(
      'Invalid',
      `the server rejected our request due to an error in our request: ${message}`,
    );
  }
}

export type PatchType =
  | typeof MERGE_PATCH
  | typeof JSON_PATCH
  | typeof APPLY_PATCH
  | typeof STRATEGIC_MERGE_PATCH;

/**
 * The patch type for a Content-Type, or a 415 naming the supported ones. Strategic merge patch
 * only where kubectl insists on it (`strategic`: the core kinds, whose Go types it knows).
 */
export function patchTypeOf(contentType: string | undefined, strategic: boolean): PatchType {
  const base = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (base === MERGE_PATCH || base === JSON_PATCH || base === APPLY_PATCH) return base;
  if (strategic && base === STRATEGIC_MERGE_PATCH) return base;
  throw new BorealisError(
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${JSON_PATCH}, ${MERGE_PATCH}, ${APPLY_PATCH}`,
  );
}
