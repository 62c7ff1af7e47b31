/**
 * Garbage collection by owner references. Background: when an object is deleted, each dependent
 * whose owners are all gone is deleted too (and so on down the chain, since that deletion is an
 * event here as well); a dependent that shows up with no live owner (its owner went while the
 * server was down, or never existed) is collected when first seen. Orphan and Foreground
 * deletions are handled by ./deletion-policies.ts over the same owner → dependents index.
 */
import type { ApiObject } from '../../api/kind.js';
import { componentLogger } from '../log/index.js';
import { SYSTEM_USER } from './admission.js';
import { deleteResource, isGone } from './deletion.js';
import { DeletionPolicies, type Dependent } from './deletion-policies.js';
import { kindPrefix, objectKey } from './keys.js';
import { isPlainObject, metaOf, metaString } from './objects.js';
import type { ServedKind } from './registry.js';
import type { ResourceService } from './resources.js';
import { follow } from './subscribe.js';
import type { CachedEvent } from './watch-cache.js';
import type { WatchCaches } from './watch-caches.js';

interface OwnerRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
}

function ownersOf(obj: ApiObject | undefined): OwnerRef[] {
  const refs = metaOf(obj)['ownerReferences'];
  if (!Array.isArray(refs)) return [];
  return refs.filter(isPlainObject).map((r) => ({
    apiVersion: String(r['apiVersion'] ?? ''),
    kind: String(r['kind'] ?? ''),
    name: String(r['name'] ?? ''),
    uid: String(r['uid'] ?? ''),
  }));
}

export class GarbageCollector {
  private readonly log = componentLogger('apiserver', { part: 'gc' });
  /** owner uid → dependents (by store key). */
  private readonly dependents = new Map<string, Map<string, Dependent>>();
  private readonly stops: (() => void)[] = [];
  /** Key prefixes already followed (re-registering a kind must not follow it twice). */
  private readonly followed = new Set<string>();
  private readonly policies: DeletionPolicies;
  private readonly ctx = {
    user: SYSTEM_USER,
    dryRun: false,
    fieldManager: 'garbage-collector',
    fieldValidation: 'Ignore' as const,
    warnings: [],
  };

  constructor(
    private readonly svc: ResourceService,
    private readonly caches: WatchCaches,
  ) {
    this.policies = new DeletionPolicies(svc, (uid) => [...(this.dependents.get(uid)?.values() ?? [])]);
  }

  start(): void {
    for (const served of this.svc.registry.all()) this.watchKind(served);
    this.stops.push(
      this.svc.registry.onChange((change, served) => change === 'added' && this.watchKind(served)),
    );
  }

  private watchKind(served: ServedKind): void {
    const prefix = kindPrefix(served.def);
    if (this.followed.has(prefix)) return;
    this.followed.add(prefix);
    this.stops.push(follow(this.caches, served.def, (e) => this.onEvent(this.current(served), e)));
  }

  /** The kind as served now (a CRD update may have replaced its definition). */
  private current(served: ServedKind): ServedKind {
    const d = served.def;
    return this.svc.registry.lookup(d.group, d.version, d.plural) ?? served;
  }

  private onEvent(served: ServedKind, e: CachedEvent): void {
    const owners = ownersOf(e.object);
    const ownerUids = new Set(owners.map((o) => o.uid));
    // Owners this object no longer names stop counting it as a dependent.
    for (const o of ownersOf(e.prev)) if (!ownerUids.has(o.uid)) this.dependents.get(o.uid)?.delete(e.key);
    if (e.type === 'DELETED') {
      for (const o of owners) this.dependents.get(o.uid)?.delete(e.key);
      this.policies.onDependentGone([...ownerUids]);
      const uid = metaString(e.object, 'uid');
      const deps = uid !== undefined ? this.dependents.get(uid) : undefined;
      if (uid !== undefined) this.dependents.delete(uid);
      for (const d of deps?.values() ?? []) void this.collectIfOrphaned(d);
      return;
    }
    const dependent: Dependent = {
      served,
      namespace: metaString(e.object, 'namespace'),
      name: metaString(e.object, 'name') ?? '',
    };
    for (const o of owners) {
      const byKey = this.dependents.get(o.uid) ?? new Map<string, Dependent>();
      const isNew = !byKey.has(e.key);
      byKey.set(e.key, dependent);
      this.dependents.set(o.uid, byKey);
      if (isNew && e.type === 'ADDED' && !this.someOwnerCached(dependent.namespace, owners))
        void this.collectIfOrphaned(dependent);
    }
    if (metaString(e.object, 'deletionTimestamp') !== undefined)
      this.policies.onOwnerDeleting(served, e.object);
  }

  /** Where `owner` is stored, or undefined when its kind is not served. */
  private ownerLocation(namespace: string | undefined, owner: OwnerRef) {
    const group = owner.apiVersion.includes('/') ? (owner.apiVersion.split('/')[0] ?? '') : '';
    const ownerKind = this.svc.registry.byKind(group, owner.kind);
    if (!ownerKind) return undefined;
    const ns = ownerKind.def.namespaced ? namespace : undefined;
    return { def: ownerKind.def, key: objectKey(ownerKind.def, ns, owner.name) };
  }

  /**
   * Whether the watch cache shows a live owner: then a new dependent is not an orphan, and the two
   * store reads of the check are not needed (on etcd, two round trips per created Task). Should
   * that owner be gone already, its DELETED event is still to come and collects the dependent.
   */
  private someOwnerCached(namespace: string | undefined, owners: readonly OwnerRef[]): boolean {
    return owners.some((owner) => {
      const at = this.ownerLocation(namespace, owner);
      const cached = at && this.caches.peek(at.def, at.key);
      return cached !== undefined && metaString(cached.value, 'uid') === owner.uid;
    });
  }

  private async ownerExists(namespace: string | undefined, owner: OwnerRef): Promise<boolean> {
    const at = this.ownerLocation(namespace, owner);
    if (!at) return false;
    const found = await this.svc.store.get<ApiObject>(at.key);
    return found !== undefined && metaString(found.value, 'uid') === owner.uid;
  }

  /** Deletes the dependent if every owner it names now (read again: it may have changed) is gone. */
  private async collectIfOrphaned(d: Dependent): Promise<void> {
    try {
      const cur = await this.svc.getStored(d.served, d.namespace, d.name);
      const owners = ownersOf(cur.value);
      if (owners.length === 0) return;
      for (const owner of owners) if (await this.ownerExists(d.namespace, owner)) return;
      this.log.debug(
        { kind: d.served.def.kind, name: d.name, namespace: d.namespace },
        'collecting orphaned dependent',
      );
      await deleteResource(this.svc, d.served, d.namespace, d.name, {}, this.ctx);
    } catch (err) {
      if (!isGone(err)) this.log.warn({ err, name: d.name }, 'garbage collection failed');
    }
  }

  stop(): void {
    for (const s of this.stops) s();
  }
}
