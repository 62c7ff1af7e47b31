/**
 * Which resource a URL names: /api/v1/... and /apis/<group>/<version>/... paths split into
 * namespace, resource, name and subresource the way kube-apiserver's RequestInfo does.
 */
import { BorealisError } from '../errors/index.js';
import type { KindRegistry, ServedKind } from './registry.js';

export interface ResourceTarget {
  readonly served: ServedKind;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  readonly subresource: string | undefined;
}

/** Subresources of a namespace itself, not resources inside it (`/namespaces/x/status`). */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

export function notFoundPath(): BorealisError {
  return new BorealisError('NotFound', 'the server could not find the requested resource');
}

export function resolveTarget(
  registry: KindRegistry,
  group: string,
  version: string,
  rest: string,
): ResourceTarget {
  let parts = rest
    .split('/')
    .filter((p) => p !== '')
    .map(decodeURIComponent);
  let namespace: string | undefined;
  if (parts[0] === 'namespaces' && parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2] ?? '')) {
    namespace = parts[1];
    parts = parts.slice(2);
  }
  const [resource, name, subresource, ...extra] = parts;
  if (resource === undefined || extra.length > 0) throw notFoundPath();
  const served = registry.lookup(group, version, resource);
  if (!served) throw notFoundPath();
  if (namespace !== undefined && !served.def.namespaced) throw notFoundPath();
  if (subresource !== undefined && !(subresource === 'status' && served.def.statusSubresource))
    throw notFoundPath();
  return { served, namespace, name, subresource };
}
