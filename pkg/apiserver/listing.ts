/**
 * LIST: one page from the store (limit/continue), filtered by label and field selectors. Like
 * Kubernetes, a filtered page may hold fewer than `limit` items and still carry a continue token.
 */
import type { ApiObject } from '../../api/kind.js';
import { listPrefix } from './keys.js';
import { type MutableObject, withResourceVersion } from './objects.js';
import type { ServedKind } from './registry.js';
import type { ResourceService } from './resources.js';
import { combine, parseFieldSelector, parseLabelSelector } from './selectors.js';
import { apiVersionOf, asServedVersion } from './strategy.js';

export interface ListQuery {
  readonly labelSelector?: string | undefined;
  readonly fieldSelector?: string | undefined;
  readonly limit?: number | undefined;
  readonly continue?: string | undefined;
}

export interface ListResponse {
  readonly kind: string;
  readonly apiVersion: string;
  readonly metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  readonly items: MutableObject[];
}

export function selectorFor(served: ServedKind, q: ListQuery): ((o: ApiObject) => boolean) | undefined {
  return combine(parseLabelSelector(q.labelSelector), parseFieldSelector(served.def, q.fieldSelector));
}

export async function listResources(
  svc: ResourceService,
  served: ServedKind,
  namespace: string | undefined,
  q: ListQuery,
): Promise<ListResponse> {
  const matches = selectorFor(served, q);
  const page = await svc.store.list<ApiObject>(listPrefix(served.def, namespace), {
    ...(q.limit !== undefined && q.limit > 0 ? { limit: q.limit } : {}),
    ...(q.continue !== undefined && q.continue !== '' ? { continue: q.continue } : {}),
  });
  const items: MutableObject[] = [];
  for (const item of page.items) {
    if (!matches || matches(item.value))
      items.push(asServedVersion(served.def, withResourceVersion(item.value, item.revision)));
  }
  const metadata: ListResponse['metadata'] = { resourceVersion: String(page.revision) };
  if (page.continue !== undefined) metadata.continue = page.continue;
  if (page.remainingCount !== undefined && page.continue !== undefined && !matches) {
    metadata.remainingItemCount = page.remainingCount;
  }
  return { kind: served.def.listKind, apiVersion: apiVersionOf(served.def), metadata, items };
}
