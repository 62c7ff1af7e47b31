/**
 * Store keys: `/registry/<group>/<plural>/<namespace>/<name>`, cluster-scoped kinds without the
 * namespace segment. The core group is spelled "core" so every key has the same depth.
 */
import type { KindDefinition } from '../../api/kind.js';

function groupSegment(kind: KindDefinition): string {
  return kind.group === '' ? 'core' : kind.group;
}

/** Prefix of every object of a kind (all namespaces). Ends with '/'. */
export function kindPrefix(kind: KindDefinition): string {
  return `/registry/${groupSegment(kind)}/${kind.plural}/`;
}

/** Prefix of a kind's objects in one namespace, or all of them when namespace is undefined. */
export function listPrefix(kind: KindDefinition, namespace: string | undefined): string {
  if (!kind.namespaced || namespace === undefined) return kindPrefix(kind);
  return `${kindPrefix(kind)}${namespace}/`;
}

export function objectKey(kind: KindDefinition, namespace: string | undefined, name: string): string {
  if (!kind.namespaced) return `${kindPrefix(kind)}${name}`;
  return `${kindPrefix(kind)}${namespace ?? ''}/${name}`;
}
