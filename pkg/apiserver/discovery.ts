/**
 * Discovery documents: legacy (/api, /apis, /api/v1, /apis/<g>/<v>) and aggregated
 * (apidiscovery.k8s.io/v2, one request for everything), all derived from the kind registry.
 */
import type { KindDefinition } from '../../api/kind.js';
import type { KindRegistry, ServedKind } from './registry.js';

export const AGGREGATED_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const STATUS_VERBS = ['get', 'patch', 'update'];

export function wantsAggregated(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const p = part.split(';').map((s) => s.trim());
    return (
      p.includes('g=apidiscovery.k8s.io') && p.includes('as=APIGroupDiscoveryList') && p.includes('v=v2')
    );
  });
}

/** Kubernetes' version priority: v2 > v1 > v1beta2 > v1beta1 > v1alpha1 > anything else. */
export function versionPriority(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0];
    const stability = m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1;
    return [stability === 3 ? 3 : stability, Number(m[1]), Number(m[3] ?? 0)];
  };
  const [sa = 0, ma = 0, na = 0] = parse(a);
  const [sb = 0, mb = 0, nb = 0] = parse(b);
  if (sa !== sb) return sb - sa;
  if (ma !== mb) return mb - ma;
  if (na !== nb) return nb - na;
  return a.localeCompare(b);
}

/** Group → version (preferred first) → kinds, core group ("") included, in a stable order. */
function byGroupVersion(registry: KindRegistry): Map<string, Map<string, ServedKind[]>> {
  const out = new Map<string, Map<string, ServedKind[]>>();
  const sorted = [...registry.all()].sort(
    (a, b) => versionPriority(a.def.version, b.def.version) || a.def.plural.localeCompare(b.def.plural),
  );
  for (const served of sorted) {
    const versions = out.get(served.def.group) ?? new Map<string, ServedKind[]>();
    out.set(served.def.group, versions);
    const list = versions.get(served.def.version) ?? [];
    list.push(served);
    versions.set(served.def.version, list);
  }
  return out;
}

export function legacyResourceList(registry: KindRegistry, group: string, version: string) {
  const kinds = byGroupVersion(registry).get(group)?.get(version);
  if (!kinds) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const { def } of kinds) {
    resources.push({
      name: def.plural,
      singularName: def.singular,
      namespaced: def.namespaced,
      kind: def.kind,
      verbs: VERBS,
      shortNames: def.shortNames,
      categories: def.categories,
    });
    if (def.statusSubresource) {
      resources.push({
        name: `${def.plural}/status`,
        singularName: '',
        namespaced: def.namespaced,
        kind: def.kind,
        verbs: STATUS_VERBS,
      });
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group === '' ? version : `${group}/${version}`,
    resources,
  };
}

export function legacyApiVersions() {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] };
}

function apiGroup(group: string, versions: Iterable<string>) {
  const vs = [...versions].map((v) => ({ groupVersion: `${group}/${v}`, version: v }));
  return { name: group, versions: vs, preferredVersion: vs[0] };
}

export function legacyGroupList(registry: KindRegistry) {
  const groups = [];
  for (const [group, versions] of byGroupVersion(registry)) {
    if (group !== '') groups.push(apiGroup(group, versions.keys()));
  }
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

export function legacyGroup(registry: KindRegistry, group: string) {
  const versions = byGroupVersion(registry).get(group);
  return versions ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group, versions.keys()) } : undefined;
}

function aggregatedResource(def: KindDefinition) {
  const responseKind = { group: def.group, version: def.version, kind: def.kind };
  return {
    resource: def.plural,
    responseKind,
    scope: def.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: def.singular,
    verbs: VERBS,
    shortNames: def.shortNames,
    categories: def.categories,
    ...(def.statusSubresource
      ? { subresources: [{ subresource: 'status', responseKind, verbs: STATUS_VERBS }] }
      : {}),
  };
}

/** `core`: the document for /api (only the core group) or /apis (every other group). */
export function aggregatedDiscovery(registry: KindRegistry, core: boolean) {
  const items = [];
  for (const [group, versions] of byGroupVersion(registry)) {
    if ((group === '') !== core) continue;
    items.push({
      metadata: group === '' ? {} : { name: group },
      versions: [...versions].map(([version, kinds]) => ({
        version,
        freshness: 'Current',
        resources: kinds.map((k) => aggregatedResource(k.def)),
      })),
    });
  }
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items };
}
