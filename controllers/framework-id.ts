/**
 * Where the Mesos framework id lives between runs: an annotation on the `borealis-system`
 * Namespace. A restarted (or newly elected) controller re-subscribes with it and so adopts the
 * tasks Mesos kept running, instead of registering as a new framework and orphaning them.
 */
import { NAMESPACES } from '../pkg/client/refs.js';
import type { BorealisClient } from '../pkg/client/types.js';
import { isBorealisError } from '../pkg/errors/index.js';

export const SYSTEM_NAMESPACE = 'borealis-system';
export const FRAMEWORK_ID_ANNOTATION = 'borealis.dev/framework-id';

interface NamespaceObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; resourceVersion?: string; annotations?: Record<string, string> };
}

export async function loadFrameworkId(client: BorealisClient): Promise<string | undefined> {
  const ns = await client.resource<NamespaceObject>(NAMESPACES).get(undefined, SYSTEM_NAMESPACE);
  return ns?.metadata.annotations?.[FRAMEWORK_ID_ANNOTATION];
}

export async function saveFrameworkId(client: BorealisClient, frameworkId: string): Promise<void> {
  const namespaces = client.resource<NamespaceObject>(NAMESPACES);
  const patch = { metadata: { annotations: { [FRAMEWORK_ID_ANNOTATION]: frameworkId } } };
  try {
    await namespaces.patch(undefined, SYSTEM_NAMESPACE, patch);
  } catch (err) {
    if (!isBorealisError(err, 'NotFound')) throw err;
    await namespaces.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: SYSTEM_NAMESPACE, annotations: patch.metadata.annotations },
    });
  }
}
