/**
 * DELETE and deletecollection. An object with finalizers is only marked (deletionTimestamp) and
 * goes when its last finalizer is removed; a Namespace gets the "kubernetes" finalizer so the
 * namespace controller can empty it first. propagationPolicy Background (the default) leaves
 * dependents to the garbage collector; Orphan and Foreground add the finalizer it acts on.
 */
import type { ApiObject } from '../../api/kind.js';
import { type BorealisError, isBorealisError } from '../errors/index.js';
import { objectKey } from './keys.js';
import {
  finalizersOf,
  isPlainObject,
  type MutableObject,
  metaString,
  rfc3339,
  withMeta,
  withResourceVersion,
} from './objects.js';
import type { ServedKind } from './registry.js';
import type { ResourceService } from './resources.js';
import { conflict, notFound } from './status.js';
import type { WriteContext } from './write-context.js';

/** The finalizer the namespace controller removes once a namespace is empty. */
export const NAMESPACE_FINALIZER = 'kubernetes';

/** What ./deletion-policies.ts acts on ("orphan", "foregroundDeletion" as in Kubernetes). */
const POLICY_FINALIZERS: Readonly<Record<string, string>> = {
  Orphan: 'orphan',
  Foreground: 'foregroundDeletion',
};

export interface DeleteOptions {
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
  readonly propagationPolicy?: string;
}

export function parseDeleteOptions(body: unknown): DeleteOptions & { dryRun: boolean } {
  if (!isPlainObject(body)) return { dryRun: false };
  const pre = isPlainObject(body['preconditions']) ? body['preconditions'] : undefined;
  const dryRun = Array.isArray(body['dryRun']) && body['dryRun'].includes('All');
  return {
    dryRun,
    ...(pre
      ? {
          preconditions: {
            ...(typeof pre['uid'] === 'string' ? { uid: pre['uid'] } : {}),
            ...(typeof pre['resourceVersion'] === 'string'
              ? { resourceVersion: pre['resourceVersion'] }
              : {}),
          },
        }
      : {}),
    ...(typeof body['propagationPolicy'] === 'string'
      ? { propagationPolicy: body['propagationPolicy'] }
      : {}),
  };
}

function isNamespaceKind(served: ServedKind): boolean {
  return served.def.group === '' && served.def.kind === 'Namespace';
}

export async function deleteResource(
  svc: ResourceService,
  served: ServedKind,
  namespace: string | undefined,
  name: string,
  options: DeleteOptions,
  ctx: WriteContext,
): Promise<MutableObject> {
  const def = served.def;
  const key = objectKey(def, namespace, name);
  for (let attempt = 1; ; attempt++) {
    const cur = await svc.getStored(served, namespace, name);
    const uid = metaString(cur.value, 'uid');
    if (options.preconditions?.uid !== undefined && options.preconditions.uid !== uid) {
      throw conflict(
        def,
        name,
        `Precondition failed: UID in precondition: ${options.preconditions.uid}, UID in object meta: ${uid ?? ''}`,
      );
    }
    const wantRv = options.preconditions?.resourceVersion;
    if (wantRv !== undefined && wantRv !== String(cur.revision)) {
      throw conflict(
        def,
        name,
        `Precondition failed: ResourceVersion in precondition: ${wantRv}, ResourceVersion in meta: ${cur.revision}`,
      );
    }
    await svc.admission.run({
      operation: 'DELETE',
      kind: def,
      namespace,
      name,
      subresource: undefined,
      object: undefined,
      oldObject: cur.value,
      user: ctx.user,
      dryRun: ctx.dryRun,
    });
    const finalizers = [...finalizersOf(cur.value)];
    if (isNamespaceKind(served) && !finalizers.includes(NAMESPACE_FINALIZER))
      finalizers.push(NAMESPACE_FINALIZER);
    // Orphan / Foreground: the garbage collector finishes the job, then removes the finalizer.
    const policy = POLICY_FINALIZERS[options.propagationPolicy ?? ''];
    if (policy !== undefined && !finalizers.includes(policy)) finalizers.push(policy);
    try {
      if (finalizers.length > 0) {
        if (metaString(cur.value, 'deletionTimestamp') !== undefined)
          return withResourceVersion(cur.value, cur.revision);
        const marked = markDeleting(served, cur.value, finalizers, rfc3339(svc.clock.now()));
        if (ctx.dryRun) return withResourceVersion(marked, cur.revision);
        const stored = await svc.store.update(key, marked, cur.revision);
        if (isNamespaceKind(served)) svc.namespaceMarked(key, stored.revision);
        return withResourceVersion(stored.value as ApiObject, stored.revision);
      }
      if (ctx.dryRun) return withResourceVersion(cur.value, cur.revision);
      await svc.store.delete(key, cur.revision);
      return withResourceVersion(cur.value, cur.revision);
    } catch (err) {
      if (isBorealisError(err, 'Conflict') && wantRv === undefined && attempt < 5) continue;
      if (isBorealisError(err, 'Conflict')) throw conflict(def, name);
      if (isBorealisError(err, 'NotFound')) throw notFound(def, name);
      throw err;
    }
  }
}

function markDeleting(served: ServedKind, obj: ApiObject, finalizers: string[], now: string): MutableObject {
  const marked = withMeta(obj, { deletionTimestamp: now, deletionGracePeriodSeconds: 0, finalizers });
  if (isNamespaceKind(served)) {
    const status = isPlainObject(obj['status']) ? obj['status'] : {};
    marked['status'] = { ...status, phase: 'Terminating' };
  }
  return marked;
}

/** Deletes every object `matches` accepts; returns what was deleted (or marked for deletion). */
export async function deleteCollection(
  svc: ResourceService,
  served: ServedKind,
  namespace: string | undefined,
  items: readonly ApiObject[],
  options: DeleteOptions,
  ctx: WriteContext,
): Promise<MutableObject[]> {
  const deleted: MutableObject[] = [];
  for (const item of items) {
    const name = metaString(item, 'name') ?? '';
    const ns = served.def.namespaced ? (metaString(item, 'namespace') ?? namespace) : undefined;
    try {
      deleted.push(await deleteResource(svc, served, ns, name, options, ctx));
    } catch (err) {
      if (!isBorealisError(err, 'NotFound')) throw err;
    }
  }
  return deleted;
}

export function isGone(err: unknown): err is BorealisError {
  return isBorealisError(err, 'NotFound');
}
