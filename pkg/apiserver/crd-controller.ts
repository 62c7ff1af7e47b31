/**
 * CustomResourceDefinitions become served kinds: each CRD's served versions are registered (so
 * discovery, OpenAPI, validation and printing follow at once) and its status is set to
 * NamesAccepted and Established. Deleting the CRD stops serving the kind and removes its objects.
 */

import type { CustomResourceDefinition } from '../../api/apiextensions/v1/custom-resource-definition.js';
import { kindsFromCrd } from '../../api/apiextensions/v1/kind-from-crd.js';
import type { ApiObject, KindDefinition } from '../../api/kind.js';
import { componentLogger } from '../log/index.js';
import { SYSTEM_USER } from './admission.js';
import { kindPrefix } from './keys.js';
import { isPlainObject, metaString, rfc3339 } from './objects.js';
import type { ResourceService } from './resources.js';
import { follow } from './subscribe.js';
import type { CachedEvent } from './watch-cache.js';
import type { WatchCaches } from './watch-caches.js';

export class CrdController {
  private readonly log = componentLogger('apiserver', { part: 'crds' });
  /** CRD name → kinds it registered. */
  private readonly served = new Map<string, KindDefinition[]>();
  /** CRD name → the metadata.generation last registered (status writes do not re-register). */
  private readonly generations = new Map<string, unknown>();
  private stopFollowing: (() => void) | undefined;
  private readonly ctx = {
    user: SYSTEM_USER,
    dryRun: false,
    fieldManager: 'apiextensions-controller',
    fieldValidation: 'Ignore' as const,
    warnings: [],
  };

  constructor(
    private readonly svc: ResourceService,
    private readonly caches: WatchCaches,
  ) {}

  start(): void {
    const crdKind = this.svc.registry.byKind('apiextensions.k8s.io', 'CustomResourceDefinition');
    if (!crdKind) return;
    this.stopFollowing = follow(this.caches, crdKind.def, (e) => this.onEvent(e));
  }

  private onEvent(e: CachedEvent): void {
    const name = metaString(e.object, 'name') ?? '';
    const previous = this.served.get(name) ?? [];
    if (e.type === 'DELETED') {
      this.served.delete(name);
      this.generations.delete(name);
      for (const k of previous) this.unserve(k, true);
      return;
    }
    const generation = (e.object['metadata'] as Record<string, unknown> | undefined)?.['generation'];
    if (this.generations.get(name) === generation && this.served.has(name)) {
      void this.writeStatus(e.object, true).catch((err: unknown) =>
        this.log.warn({ err, crd: name }, 'could not update CRD status'),
      );
      return;
    }
    const crd = e.object as unknown as CustomResourceDefinition;
    const kinds = kindsFromCrd(crd);
    const conflict = kinds.some((k) => {
      const other = this.svc.registry.lookup(k.group, k.version, k.plural);
      return other !== undefined && other.source !== name;
    });
    if (!conflict) {
      for (const old of previous) {
        if (!kinds.some((k) => k.version === old.version)) this.unserve(old, false);
      }
      for (const k of kinds) this.svc.registry.register(k, name);
      this.served.set(name, kinds);
      this.generations.set(name, generation);
    }
    void this.writeStatus(e.object, !conflict).catch((err: unknown) =>
      this.log.warn({ err, crd: name }, 'could not update CRD status'),
    );
  }

  private unserve(kind: KindDefinition, deleteObjects: boolean): void {
    this.svc.registry.unregister(kind.group, kind.version, kind.plural);
    if (!deleteObjects) return;
    void (async () => {
      const page = await this.svc.store.list(kindPrefix(kind));
      for (const item of page.items) await this.svc.store.delete(item.key).catch(() => undefined);
    })();
  }

  private async writeStatus(obj: ApiObject, accepted: boolean): Promise<void> {
    const crd = obj as unknown as CustomResourceDefinition;
    const status = isPlainObject(obj['status']) ? obj['status'] : {};
    const conditions = Array.isArray(status['conditions']) ? status['conditions'] : [];
    const established = (type: string) =>
      conditions.some(
        (c) => isPlainObject(c) && c['type'] === type && c['status'] === (accepted ? 'True' : 'False'),
      );
    if (established('Established') && established('NamesAccepted')) return;
    const now = rfc3339(this.svc.clock.now());
    const cond = (type: string, reason: string, message: string) => ({
      type,
      status: accepted ? 'True' : 'False',
      lastTransitionTime: now,
      reason,
      message,
    });
    const storage = crd.spec.versions.find((v) => v.storage) ?? crd.spec.versions[0];
    const nextStatus = {
      conditions: accepted
        ? [
            cond('NamesAccepted', 'NoConflicts', 'no conflicts found'),
            cond('Established', 'InitialNamesAccepted', 'the initial names have been accepted'),
          ]
        : [
            cond('NamesAccepted', 'NameConflict', 'the resource name is already served'),
            cond('Established', 'NotAccepted', 'not all names are accepted'),
          ],
      acceptedNames: accepted ? crd.spec.names : {},
      storedVersions: storage ? [storage.name] : [],
    };
    const crdKind = this.svc.registry.byKind('apiextensions.k8s.io', 'CustomResourceDefinition');
    if (!crdKind) return;
    const cur = await this.svc.getStored(crdKind, undefined, metaString(obj, 'name') ?? '');
    await this.svc.updateFrom(crdKind, undefined, cur, { ...cur.value, status: nextStatus }, this.ctx, {
      subresource: 'status',
    });
  }

  stop(): void {
    this.stopFollowing?.();
  }
}
