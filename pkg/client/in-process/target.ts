/**
 * Which served kind and namespace a call is about, decided as the REST router decides it for the
 * URL the HTTP client would build (refs.ts resourcePath), so both clients answer NotFound and
 * Forbidden in the same situations.
 */
import type { UserInfo } from '../../apiserver/admission.js';
import type { Authorizer } from '../../apiserver/auth.js';
import type { KindRegistry, ServedKind } from '../../apiserver/registry.js';
import { notFoundPath } from '../../apiserver/request-info.js';
import type { ResourceRef } from '../types.js';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete';

export interface Target {
  readonly served: ServedKind;
  /** The namespace the server acts in (undefined for cluster-scoped kinds and all-namespace lists). */
  readonly namespace: string | undefined;
}

export interface TargetContext {
  readonly registry: KindRegistry;
  readonly user: UserInfo;
  /** Absent: the caller is trusted (in the server's own process) and not authorized per call. */
  readonly authorizer: Authorizer | undefined;
}

export function resolve(
  c: TargetContext,
  ref: ResourceRef,
  namespace: string | undefined,
  verb: Verb,
  name: string | undefined,
  subresource?: 'status',
): Target {
  // The namespace segment the HTTP client would put in the URL.
  const pathNamespace = ref.namespaced && namespace ? namespace : undefined;
  // Looked up per call: CRDs come and go while the client lives.
  const served = c.registry.lookup(ref.group, ref.version, ref.plural);
  if (!served) throw notFoundPath();
  const def = served.def;
  if (pathNamespace !== undefined && !def.namespaced) throw notFoundPath();
  if (subresource !== undefined && !def.statusSubresource) throw notFoundPath();
  c.authorizer?.authorize(c.user, {
    verb,
    group: def.group,
    resource: subresource ? `${def.plural}/${subresource}` : def.plural,
    namespace: def.namespaced ? pathNamespace : undefined,
    name,
  });
  // A namespaced object outside a namespace has no URL: 404, as REST answers.
  if (def.namespaced && pathNamespace === undefined && verb !== 'list' && verb !== 'watch')
    throw notFoundPath();
  return { served, namespace: def.namespaced ? pathNamespace : undefined };
}
