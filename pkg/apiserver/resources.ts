/**
 * The generic resource service: get, list, create, update and the shared write pipeline (strategy,
 * defaulting, validation, admission, managed fields, compare-and-swap) for any served kind.
 * REST and gRPC both call this, so both enforce exactly the same rules.
 */
import type { ApiObject, KindDefinition } from '../../api/kind.js';
import { BorealisError, isBorealisError } from '../errors/index.js';
import type { Clock } from '../runtime/clock.js';
import type { Store, StoredValue } from '../storage/types.js';
import type { AdmissionChain } from './admission.js';
import { objectKey } from './keys.js';
import { trackUpdate } from './managed-fields.js';
import {
  isPlainObject,
  jsonEqual,
  type MutableObject,
  metaString,
  rfc3339,
  withResourceVersion,
} from './objects.js';
import type { KindRegistry, ServedKind } from './registry.js';
import { alreadyExists, conflict, forbidden, invalidObject, notFound, qualifiedResource } from './status.js';
import {
  apiVersionOf,
  asServedVersion,
  checkTypeMeta,
  prepareForCreate,
  prepareForUpdate,
  validateObject,
} from './strategy.js';
import type { WriteContext } from './write-context.js';

/** Events expire like kube-apiserver's (--event-ttl 1h) instead of piling up forever. */
const EVENT_TTL_SECONDS = 3600;

export interface WriteOptions {
  readonly subresource?: string;
  /** Server-side apply already computed managedFields for this write. */
  readonly managedFieldsSet?: boolean;
}

/** A possibly stale copy of a stored object (the watch cache's), or undefined. */
export type RecentObjects = (kind: KindDefinition, key: string) => StoredValue<ApiObject> | undefined;

export class ResourceService {
  private recent: RecentObjects = () => undefined;
  /**
   * Namespaces this server marked for deletion → the revision of that write, kept until the watch
   * cache shows it. A client that saw its DELETE answered must then be refused new content there,
   * even while the cache still shows the namespace live (the cache lags the store by an echo).
   */
  private readonly namespacesMarked = new Map<string, number>();

  constructor(
    readonly store: Store,
    readonly registry: KindRegistry,
    readonly clock: Clock,
    readonly admission: AdmissionChain,
  ) {}

  /**
   * Where writes may find the object they replace without a store read (as kube-apiserver's
   * GuaranteedUpdate starts from the watch cache's copy): the compare-and-swap at its revision
   * still decides, so a stale copy costs a Conflict the client would have got anyway.
   */
  useRecentObjects(recent: RecentObjects): void {
    this.recent = recent;
  }

  /** This server wrote the namespace at `key` as deleting, at `revision`. */
  namespaceMarked(key: string, revision: number): void {
    this.namespacesMarked.set(key, revision);
  }

  async getStored(
    served: ServedKind,
    namespace: string | undefined,
    name: string,
  ): Promise<StoredValue<ApiObject>> {
    const found = await this.store.get<ApiObject>(objectKey(served.def, namespace, name));
    if (!found) throw notFound(served.def, name);
    return found;
  }

  async get(served: ServedKind, namespace: string | undefined, name: string): Promise<MutableObject> {
    const found = await this.getStored(served, namespace, name);
    return asServedVersion(served.def, withResourceVersion(found.value, found.revision));
  }

  /** Removes unknown fields per fieldValidation: Strict rejects them, Warn reports them. */
  decodeUnknownFields(served: ServedKind, obj: MutableObject, ctx: WriteContext): void {
    const { unknownFields } = served.schema.prune(obj);
    if (unknownFields.length === 0 || ctx.fieldValidation === 'Ignore') return;
    const described = unknownFields.map((f) => `unknown field "${f}"`);
    if (ctx.fieldValidation === 'Strict') {
      throw new BorealisError('BadRequest', `strict decoding error: ${described.join(', ')}`);
    }
    ctx.warnings.push(...described);
  }

  private async checkNamespace(
    served: ServedKind,
    namespace: string | undefined,
    name: string,
  ): Promise<void> {
    if (!served.def.namespaced || namespace === undefined) return;
    const nsKind = this.registry.byKind('', 'Namespace');
    if (!nsKind) return;
    const key = objectKey(nsKind.def, undefined, namespace);
    // A namespace never stops terminating, so a cached copy can only be too optimistic about a
    // namespace deleted a moment ago. Another server's delete races this create as a store read
    // would; this server's own (already answered) delete must win: read the store until the
    // cache shows it.
    const cached = this.recent(nsKind.def, key);
    const marked = this.namespacesMarked.get(key);
    const cacheBehind = marked !== undefined && (cached === undefined || cached.revision < marked);
    if (marked !== undefined && !cacheBehind) this.namespacesMarked.delete(key);
    const ns = cached !== undefined && !cacheBehind ? cached : await this.store.get<ApiObject>(key);
    if (!ns) {
      this.namespacesMarked.delete(key); // gone for good
      throw notFound(nsKind.def, namespace);
    }
    if (metaString(ns.value, 'deletionTimestamp') !== undefined) {
      throw forbidden(
        `${qualifiedResource(served.def)} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
      );
    }
  }

  /** Defaulting, schema and kind validation, then admission. */
  private async admit(
    served: ServedKind,
    obj: MutableObject,
    old: ApiObject | undefined,
    namespace: string | undefined,
    ctx: WriteContext,
    subresource: string | undefined,
  ): Promise<void> {
    served.schema.applyDefaults(obj);
    validateObject(served.def, served.schema.validate(obj), obj, old);
    await this.admission.run({
      operation: old ? 'UPDATE' : 'CREATE',
      kind: served.def,
      namespace,
      name: metaString(obj, 'name') ?? '',
      subresource,
      object: obj,
      oldObject: old,
      user: ctx.user,
      dryRun: ctx.dryRun,
    });
    // A mutating plugin could have broken the object; the stored object must stay valid. With no
    // plugin nothing changed since the check above, so a second check would only cost CPU.
    if (!this.admission.empty) validateObject(served.def, served.schema.validate(obj), obj, old);
  }

  /** POST: `body` has been parsed and had unknown fields handled. */
  async create(
    served: ServedKind,
    namespace: string | undefined,
    body: MutableObject,
    ctx: WriteContext,
    opts: WriteOptions = {},
  ): Promise<MutableObject> {
    const def = served.def;
    checkTypeMeta(def, body);
    prepareForCreate(def, body, namespace, this.clock.now());
    const name = metaString(body, 'name') ?? '';
    await this.checkNamespace(served, namespace, name);
    await this.admit(served, body, undefined, namespace, ctx, undefined);
    if (!opts.managedFieldsSet) trackUpdate(undefined, body, this.tracking(served, ctx, undefined));
    const key = objectKey(def, namespace, name);
    if (ctx.dryRun) {
      if (await this.store.get(key)) throw alreadyExists(def, name);
      return body;
    }
    try {
      const ttl = def.group === '' && def.kind === 'Event' ? { ttlSeconds: EVENT_TTL_SECONDS } : {};
      const stored = await this.store.create(key, body, ttl);
      return withResourceVersion(stored.value as ApiObject, stored.revision);
    } catch (err) {
      if (isBorealisError(err, 'AlreadyExists')) throw alreadyExists(def, name);
      throw err;
    }
  }

  private tracking(served: ServedKind, ctx: WriteContext, subresource: string | undefined) {
    return {
      manager: ctx.fieldManager,
      apiVersion: apiVersionOf(served.def),
      schema: served.def.schema,
      includeStatus: !served.def.statusSubresource || subresource === 'status',
      now: rfc3339(this.clock.now()),
      ...(subresource !== undefined ? { subresource } : {}),
    };
  }

  /**
   * Writes `body` over the stored `old` with compare-and-swap at old's revision. An update that
   * changes nothing is not written (no new resourceVersion), as GitOps tools expect.
   */
  async updateFrom(
    served: ServedKind,
    namespace: string | undefined,
    old: StoredValue<ApiObject>,
    body: MutableObject,
    ctx: WriteContext,
    opts: WriteOptions = {},
  ): Promise<MutableObject> {
    const def = served.def;
    const name = metaString(old.value, 'name') ?? '';
    checkTypeMeta(def, body);
    const bodyName = metaString(body, 'name');
    if (bodyName !== undefined && bodyName !== name) {
      throw new BorealisError(
        'BadRequest',
        `the name of the object (${bodyName}) does not match the name on the URL (${name})`,
      );
    }
    const next = prepareForUpdate(def, body, old.value, opts.subresource);
    await this.admit(served, next, old.value, namespace, ctx, opts.subresource);
    if (!opts.managedFieldsSet) trackUpdate(old.value, next, this.tracking(served, ctx, opts.subresource));
    if (jsonEqual(next, old.value)) return withResourceVersion(old.value, old.revision);
    const key = objectKey(def, namespace, name);
    const finalizers = (next['metadata'] as MutableObject)['finalizers'];
    const deleting = metaString(old.value, 'deletionTimestamp') !== undefined;
    const noFinalizers = !Array.isArray(finalizers) || finalizers.length === 0;
    if (ctx.dryRun) return withResourceVersion(next, old.revision);
    try {
      if (deleting && noFinalizers) {
        // The last finalizer is gone: the deletion that was waiting for it happens now.
        await this.store.delete(key, old.revision);
        return next;
      }
      const stored = await this.store.update(key, next, old.revision);
      return withResourceVersion(stored.value as ApiObject, stored.revision);
    } catch (err) {
      if (isBorealisError(err, 'Conflict')) throw conflict(def, name);
      if (isBorealisError(err, 'NotFound')) throw notFound(def, name);
      throw err;
    }
  }

  /** PUT: requires metadata.resourceVersion, which must match the stored one. */
  async update(
    served: ServedKind,
    namespace: string | undefined,
    name: string,
    body: MutableObject,
    ctx: WriteContext,
    opts: WriteOptions = {},
  ): Promise<MutableObject> {
    const meta = isPlainObject(body['metadata']) ? body['metadata'] : {};
    const rv = meta['resourceVersion'];
    if (typeof rv !== 'string' || rv === '') {
      throw invalidObject(served.def, name, [
        {
          field: 'metadata.resourceVersion',
          message: 'Invalid value: 0x0: must be specified for an update',
          reason: 'FieldValueInvalid',
        },
      ]);
    }
    // The cached copy is used only at exactly the revision the client read; the CAS in
    // updateFrom fails if the store has moved on since. When the watch cache lags behind the
    // client (it read this server's own answer), the store may remember that write itself.
    const key = objectKey(served.def, namespace, name);
    const cached = this.recent(served.def, key);
    const old =
      cached !== undefined && String(cached.revision) === rv
        ? cached
        : (this.store.written?.<ApiObject>(key, Number(rv)) ??
          (await this.getStored(served, namespace, name)));
    if (String(old.revision) !== rv) throw conflict(served.def, name);
    return this.updateFrom(served, namespace, old, body, ctx, opts);
  }
}
