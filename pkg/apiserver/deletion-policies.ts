/**
 * propagationPolicy Orphan and Foreground, as Kubernetes does them: the owner's deletion adds the
 * "orphan" or "foregroundDeletion" finalizer (./deletion.ts); the garbage collector then strips
 * the owner reference from every dependent (Orphan) or deletes every dependent and waits until
 * they are gone (Foreground), and finally removes the finalizer so the owner goes too.
 */
import type { ApiObject } from '../../api/kind.js';
import { componentLogger } from '../log/index.js';
import { SYSTEM_USER } from './admission.js';
import { deleteResource, isGone } from './deletion.js';
import { finalizersOf, isPlainObject, metaOf, metaString, withMeta } from './objects.js';
import type { ServedKind } from './registry.js';
import type { ResourceService } from './resources.js';

export const ORPHAN_FINALIZER = 'orphan';
export const FOREGROUND_FINALIZER = 'foregroundDeletion';

export interface Dependent {
  readonly served: ServedKind;
  readonly namespace: string | undefined;
  readonly name: string;
}

interface Owner {
  readonly served: ServedKind;
  readonly namespace: string | undefined;
  readonly name: string;
}

export class DeletionPolicies {
  private readonly log = componentLogger('apiserver', { part: 'gc' });
  /** Owners (by uid) deleting in the foreground, waiting for their dependents to go. */
  private readonly waiting = new Map<string, Owner>();
  private readonly busy = new Set<string>();
  private readonly ctx = {
    user: SYSTEM_USER,
    dryRun: false,
    fieldManager: 'garbage-collector',
    fieldValidation: 'Ignore' as const,
    warnings: [],
  };

  constructor(
    private readonly svc: ResourceService,
    private readonly dependentsOf: (uid: string) => readonly Dependent[],
  ) {}

  /** An owner marked for deletion: act on its policy finalizer, if it has one. */
  onOwnerDeleting(served: ServedKind, owner: ApiObject): void {
    const uid = metaString(owner, 'uid');
    if (uid === undefined || this.busy.has(uid)) return;
    const finalizers = finalizersOf(owner);
    const who = { served, namespace: metaString(owner, 'namespace'), name: metaString(owner, 'name') ?? '' };
    if (finalizers.includes(ORPHAN_FINALIZER)) void this.run(uid, () => this.orphan(uid, who));
    else if (finalizers.includes(FOREGROUND_FINALIZER)) void this.run(uid, () => this.foreground(uid, who));
  }

  /** A dependent of these owners is gone: foreground owners may now go too. */
  onDependentGone(ownerUids: readonly string[]): void {
    for (const uid of ownerUids) {
      const owner = this.waiting.get(uid);
      if (owner && this.dependentsOf(uid).length === 0) {
        this.waiting.delete(uid);
        void this.run(uid, () => this.removeFinalizer(owner, FOREGROUND_FINALIZER));
      }
    }
  }

  private async run(uid: string, fn: () => Promise<void>): Promise<void> {
    this.busy.add(uid);
    try {
      await fn();
    } catch (err) {
      if (!isGone(err)) this.log.warn({ err, uid }, 'deletion policy failed');
    } finally {
      this.busy.delete(uid);
    }
  }

  private async orphan(uid: string, owner: Owner): Promise<void> {
    for (const d of this.dependentsOf(uid)) {
      const cur = await this.svc.getStored(d.served, d.namespace, d.name).catch(() => undefined);
      if (!cur) continue;
      const refs = metaOf(cur.value)['ownerReferences'];
      const kept = Array.isArray(refs) ? refs.filter((r) => !(isPlainObject(r) && r['uid'] === uid)) : [];
      const next = withMeta(cur.value, { ownerReferences: kept.length > 0 ? kept : undefined });
      await this.svc.updateFrom(d.served, d.namespace, cur, next, this.ctx);
    }
    await this.removeFinalizer(owner, ORPHAN_FINALIZER);
  }

  private async foreground(uid: string, owner: Owner): Promise<void> {
    const dependents = this.dependentsOf(uid);
    if (dependents.length === 0) {
      await this.removeFinalizer(owner, FOREGROUND_FINALIZER);
      return;
    }
    this.waiting.set(uid, owner);
    for (const d of dependents) {
      await deleteResource(this.svc, d.served, d.namespace, d.name, {}, this.ctx).catch((err: unknown) => {
        if (!isGone(err)) throw err;
      });
    }
  }

  private async removeFinalizer(owner: Owner, finalizer: string): Promise<void> {
    const cur = await this.svc.getStored(owner.served, owner.namespace, owner.name);
    const rest = finalizersOf(cur.value).filter((f) => f !== finalizer);
    const next = withMeta(cur.value, { finalizers: rest.length > 0 ? rest : undefined });
    await this.svc.updateFrom(owner.served, owner.namespace, cur, next, this.ctx);
  }
}
