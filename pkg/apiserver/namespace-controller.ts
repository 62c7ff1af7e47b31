/**
 * Namespace lifecycle: a namespace being deleted (it carries the "kubernetes" finalizer) has every
 * object in it deleted; once none is left the finalizer is removed and the namespace goes. Also
 * makes sure "default" exists, as kube-apiserver does.
 */
import type { ApiObject } from '../../api/kind.js';
import { isBorealisError } from '../errors/index.js';
import { componentLogger } from '../log/index.js';
import { SYSTEM_USER } from './admission.js';
import { deleteResource, isGone, NAMESPACE_FINALIZER } from './deletion.js';
import { listPrefix } from './keys.js';
import { finalizersOf, metaString, withMeta } from './objects.js';
import type { ResourceService } from './resources.js';
import { follow } from './subscribe.js';
import type { WatchCaches } from './watch-caches.js';

const RETRY_MS = 500;

export class NamespaceController {
  private readonly log = componentLogger('apiserver', { part: 'namespaces' });
  private readonly busy = new Set<string>();
  private stopFollowing: (() => void) | undefined;
  private stopped = false;
  private readonly ctx = {
    user: SYSTEM_USER,
    dryRun: false,
    fieldManager: 'namespace-controller',
    fieldValidation: 'Ignore' as const,
    warnings: [],
  };

  constructor(
    private readonly svc: ResourceService,
    private readonly caches: WatchCaches,
  ) {}

  async start(): Promise<void> {
    const nsKind = this.svc.registry.byKind('', 'Namespace');
    if (!nsKind) return;
    try {
      await this.svc.create(nsKind, undefined, { metadata: { name: 'default' } }, this.ctx);
    } catch (err) {
      if (!isBorealisError(err, 'AlreadyExists')) throw err;
    }
    this.stopFollowing = follow(this.caches, nsKind.def, (e) => {
      if (e.type !== 'DELETED' && metaString(e.object, 'deletionTimestamp') !== undefined) {
        void this.finalize(metaString(e.object, 'name') ?? '');
      }
    });
  }

  private async finalize(namespace: string): Promise<void> {
    if (this.busy.has(namespace) || this.stopped) return;
    this.busy.add(namespace);
    try {
      let remaining = 0;
      for (const served of this.svc.registry.all()) {
        if (!served.def.namespaced) continue;
        const page = await this.svc.store.list<ApiObject>(listPrefix(served.def, namespace));
        for (const item of page.items) {
          remaining++;
          try {
            await deleteResource(
              this.svc,
              served,
              namespace,
              metaString(item.value, 'name') ?? '',
              {},
              this.ctx,
            );
          } catch (err) {
            if (!isGone(err)) throw err;
          }
        }
      }
      if (remaining === 0) await this.removeFinalizer(namespace);
      else setTimeout(() => void this.finalize(namespace), RETRY_MS).unref();
    } catch (err) {
      this.log.warn({ err, namespace }, 'namespace cleanup failed; retrying');
      setTimeout(() => void this.finalize(namespace), RETRY_MS).unref();
    } finally {
      this.busy.delete(namespace);
    }
  }

  private async removeFinalizer(namespace: string): Promise<void> {
    const nsKind = this.svc.registry.byKind('', 'Namespace');
    if (!nsKind) return;
    const cur = await this.svc.getStored(nsKind, undefined, namespace).catch((err: unknown) => {
      if (isGone(err)) return undefined;
      throw err;
    });
    if (!cur) return;
    const finalizers = finalizersOf(cur.value).filter((f) => f !== NAMESPACE_FINALIZER);
    const next = withMeta(cur.value, { finalizers: finalizers.length > 0 ? finalizers : undefined });
    await this.svc.updateFrom(nsKind, undefined, cur, next, this.ctx);
  }

  stop(): void {
    this.stopped = true;
    this.stopFollowing?.();
  }
}
