/**
 * LIST: one page from the store (limit/continue), filtered by label and field selectors. Like
 * Kubernetes, a filtered page may hold fewer than `limit` items and still carry a continue token.
 */
import type { ApiObject } from '../../api/kind.js';
import type { StoredValue } from '../storage/types.js';
import { itemJson } from './item-json.js';
import { listPrefix, objectKey } from './keys.js';
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

/**
 * Where to scan. `fieldSelector=metadata.name=x` (kubectl wait, get NAME -w) narrows the range to
 * keys starting with that object's key: one consistent read of a handful of keys instead of the
 * whole namespace; the selector still filters out longer names sharing the prefix.
 */
function scanPrefix(served: ServedKind, namespace: string | undefined, q: ListQuery): string {
  const pinned = /(?:^|,)\s*metadata\.name\s*==?\s*([^,!=\s]+)\s*(?:,|$)/.exec(q.fieldSelector ?? '')?.[1];
  if (pinned !== undefined && (namespace !== undefined || !served.def.namespaced)) {
    return objectKey(served.def, namespace, pinned);
  }
  return listPrefix(served.def, namespace);
}

export async function listResources(
  svc: ResourceService,
  served: ServedKind,
  namespace: string | undefined,
  q: ListQuery,
): Promise<ListResponse> {
  const matches = selectorFor(served, q);
  const page = await svc.store.list<ApiObject>(scanPrefix(served, namespace, q), {
    ...(q.limit !== undefined && q.limit > 0 ? { limit: q.limit } : {}),
    ...(q.continue !== undefined && q.continue !== '' ? { continue: q.continue } : {}),
  });
  const stored = matches ? page.items.filter((item) => matches(item.value)) : page.items;
  const serve = (item: StoredValue<ApiObject>): MutableObject =>
    asServedVersion(served.def, withResourceVersion(item.value, item.revision));
  const metadata: ListResponse['metadata'] = { resourceVersion: String(page.revision) };
  if (page.continue !== undefined) metadata.continue = page.continue;
  if (page.remainingCount !== undefined && page.continue !== undefined && !matches) {
    metadata.remainingItemCount = page.remainingCount;
  }
  // Items are built when first read: a list sent over HTTP (listJson) mostly needs none of them.
  let items: MutableObject[] | undefined;
  const list: ListResponse = {
    kind: served.def.listKind,
    apiVersion: apiVersionOf(served.def),
    metadata,
    get items() {
      items ??= stored.map(serve);
      return items;
    },
  };
  lazyLists.set(list, { stored, serve, built: () => items !== undefined });
  return list;
}

interface LazyItems {
  readonly stored: readonly StoredValue<ApiObject>[];
  readonly serve: (item: StoredValue<ApiObject>) => MutableObject;
  /** Whether `items` was read (then the caller may have changed them). */
  readonly built: () => boolean;
}

/** How each list listResources made builds its items (for listJson). */
const lazyLists = new WeakMap<ListResponse, LazyItems>();

/** A list's JSON as UTF-8 pieces in order (see ./list-body.ts for how they are sent). */
export interface ListBody {
  readonly pieces: readonly Buffer[];
  readonly byteLength: number;
}

const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']}');

/**
 * JSON.stringify(list), the same bytes, as pieces: each item's text reused from earlier lists
 * when its stored version has not changed (see ./item-json.ts), never joined into one string.
 */
export function listBody(list: ListResponse): ListBody {
  const lazy = lazyLists.get(list);
  if (!lazy || lazy.built()) {
    const whole = Buffer.from(JSON.stringify(list));
    return { pieces: [whole], byteLength: whole.length };
  }
  const head = Buffer.from(
    `{"kind":${JSON.stringify(list.kind)},"apiVersion":${JSON.stringify(list.apiVersion)},"metadata":${JSON.stringify(list.metadata)},"items":[`,
  );
  const pieces: Buffer[] = [head];
  let byteLength = head.length + CLOSE.length;
  for (const s of lazy.stored) {
    if (pieces.length > 1) {
      pieces.push(COMMA);
      byteLength += COMMA.length;
    }
    const item = itemJson(s, list.apiVersion, () => lazy.serve(s));
    pieces.push(item);
    byteLength += item.length;
  }
  pieces.push(CLOSE);
  return { pieces, byteLength };
}
