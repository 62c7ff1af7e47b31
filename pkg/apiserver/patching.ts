/**
 * PATCH: merge patch, JSON patch and server-side apply, each applied to the current object and
 * written with compare-and-swap, retried when someone else wrote in between (unless the patch
 * itself names a resourceVersion, which then is a precondition).
 */
import { parse as parseYaml } from 'yaml';
import type { ApiObject } from '../../api/kind.js';
import { BorealisError, isBorealisError } from '../errors/index.js';
import type { StoredValue } from '../storage/types.js';
import { schemaWithManagedMetadata, serverSideApply } from './apply.js';
import { duplicateFields } from './duplicate-fields.js';
import { objectKey } from './keys.js';
import {
  isPlainObject,
  type MutableObject,
  metaOf,
  metaString,
  rfc3339,
  withResourceVersion,
} from './objects.js';
import { APPLY_PATCH, JSON_PATCH, jsonPatch, mergePatch, STRATEGIC_MERGE_PATCH } from './patch.js';
import type { ServedKind } from './registry.js';
import type { ResourceService } from './resources.js';
import { badRequest, conflict } from './status.js';
import { strategicMergePatch } from './strategic-merge-patch.js';
import { apiVersionOf, checkTypeMeta } from './strategy.js';
import type { WriteContext } from './write-context.js';

const MAX_ATTEMPTS = 5;

export interface PatchOptions {
  readonly patchType: string;
  readonly subresource?: string;
  readonly force: boolean;
  /** Called before an apply creates the object (creating needs the create permission too). */
  readonly beforeCreate?: () => void;
}

export interface PatchResult {
  readonly object: MutableObject;
  readonly created: boolean;
}

/**
 * An apply configuration in JSON (what clients other than kubectl send) parsed as JSON: the YAML
 * parser builds a document tree first and costs many times more. Same value, since YAML 1.2 reads
 * JSON as JSON — except duplicate keys, which YAML refuses: those bodies still go to the YAML
 * parser, for its error.
 */
export function parseApplyJson(raw: string): unknown {
  if (raw.trimStart()[0] !== '{') return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    return duplicateFields(raw).length === 0 ? value : undefined;
  } catch {
    return undefined;
  }
}

function parseBody(patchType: string, raw: string): unknown {
  try {
    return patchType === APPLY_PATCH ? (parseApplyJson(raw) ?? parseYaml(raw)) : JSON.parse(raw);
  } catch (err) {
    throw badRequest(`error decoding patch: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export async function patchResource(
  svc: ResourceService,
  served: ServedKind,
  namespace: string | undefined,
  name: string,
  raw: string,
  ctx: WriteContext,
  opts: PatchOptions,
): Promise<PatchResult> {
  const body = parseBody(opts.patchType, raw);
  if (opts.patchType === APPLY_PATCH) return apply(svc, served, namespace, name, body, ctx, opts);
  const precondition =
    opts.patchType !== JSON_PATCH && isPlainObject(body)
      ? metaString(body as ApiObject, 'resourceVersion')
      : undefined;
  for (let attempt = 1; ; attempt++) {
    const old = await svc.getStored(served, namespace, name);
    const current = withResourceVersion(old.value, old.revision);
    const patched =
      opts.patchType === JSON_PATCH
        ? jsonPatch(current, body)
        : opts.patchType === STRATEGIC_MERGE_PATCH
          ? (strategicMergePatch(
              current,
              body,
              schemaWithManagedMetadata(served.def.schema),
            ) as MutableObject)
          : (mergePatch(current, body) as MutableObject);
    if (!isPlainObject(patched)) throw badRequest('the patch did not produce an object');
    const rv = metaString(patched, 'resourceVersion');
    if (rv !== undefined && rv !== String(old.revision)) throw conflict(served.def, name);
    svc.decodeUnknownFields(served, patched, ctx);
    try {
      const object = await svc.updateFrom(served, namespace, old, patched, ctx, writeOpts(opts));
      return { object, created: false };
    } catch (err) {
      if (isBorealisError(err, 'Conflict') && precondition === undefined && attempt < MAX_ATTEMPTS) continue;
      throw err;
    }
  }
}

function writeOpts(opts: PatchOptions) {
  return opts.subresource !== undefined ? { subresource: opts.subresource } : {};
}

async function apply(
  svc: ResourceService,
  served: ServedKind,
  namespace: string | undefined,
  name: string,
  body: unknown,
  ctx: WriteContext,
  opts: PatchOptions,
): Promise<PatchResult> {
  if (!isPlainObject(body)) throw badRequest('the apply configuration must be an object');
  if (metaOf(body)['managedFields'] !== undefined) {
    throw badRequest('metadata.managedFields must be nil');
  }
  checkTypeMeta(served.def, body);
  const bodyName = metaString(body, 'name');
  if (bodyName !== undefined && bodyName !== name) {
    throw badRequest(`the name of the object (${bodyName}) does not match the name on the URL (${name})`);
  }
  const meta = isPlainObject(body['metadata']) ? { ...body['metadata'] } : {};
  meta['name'] = name;
  if (served.def.namespaced && namespace !== undefined) meta['namespace'] = namespace;
  delete meta['resourceVersion'];
  body['metadata'] = meta;
  svc.decodeUnknownFields(served, body, ctx);
  const request = (live: ApiObject | undefined) => ({
    live,
    applied: body,
    manager: ctx.fieldManager,
    force: opts.force,
    schema: served.def.schema,
    includeStatus: !served.def.statusSubresource || opts.subresource === 'status',
    apiVersion: apiVersionOf(served.def),
    now: rfc3339(svc.clock.now()),
    ...(opts.subresource !== undefined ? { subresource: opts.subresource } : {}),
  });
  for (let attempt = 1; ; attempt++) {
    const old: StoredValue<ApiObject> | undefined = await svc.store.get<ApiObject>(
      objectKey(served.def, namespace, name),
    );
    try {
      if (!old) {
        if (opts.subresource !== undefined)
          throw new BorealisError('NotFound', `${served.def.plural} "${name}" not found`);
        opts.beforeCreate?.();
        const object = await svc.create(served, namespace, serverSideApply(request(undefined)), ctx, {
          managedFieldsSet: true,
        });
        return { object, created: true };
      }
      const merged = serverSideApply(request(old.value));
      const object = await svc.updateFrom(served, namespace, old, merged, ctx, {
        ...writeOpts(opts),
        managedFieldsSet: true,
      });
      return { object, created: false };
    } catch (err) {
      // A compare-and-swap race (not an ownership conflict, which has causes): read again.
      const race =
        (isBorealisError(err, 'Conflict') && err.causes.length === 0) ||
        isBorealisError(err, 'AlreadyExists');
      if (race && attempt < MAX_ATTEMPTS) continue;
      throw err;
    }
  }
}
