/**
 * The controllers that are part of the API server itself, started with it and stopped with it.
 */
import { CrdController } from './crd-controller.js';
import { GarbageCollector } from './garbage-collector.js';
import { NamespaceController } from './namespace-controller.js';
import type { ResourceService } from './resources.js';
import type { WatchCaches } from './watch-caches.js';

export async function startBackgroundControllers(
  svc: ResourceService,
  caches: WatchCaches,
): Promise<{ stop(): void }> {
  const crds = new CrdController(svc, caches);
  crds.start();
  const namespaces = new NamespaceController(svc, caches);
  await namespaces.start();
  const gc = new GarbageCollector(svc, caches);
  gc.start();
  return {
    stop() {
      gc.stop();
      namespaces.stop();
      crds.stop();
    },
  };
}
