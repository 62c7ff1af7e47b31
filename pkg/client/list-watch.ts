/** A ResourceClient as the ListWatchSource an informer consumes. */
import type { RuntimeObject } from '../runtime/cache.js';
import type { ListWatchEvent, ListWatchSource } from '../runtime/list-watch.js';
import type { ApiObjectLike, ListOptions, ResourceClient } from './types.js';

export function clientListWatch<T extends ApiObjectLike & RuntimeObject>(
  client: ResourceClient<T>,
  namespace?: string,
  selectors: Pick<ListOptions, 'labelSelector' | 'fieldSelector'> = {},
): ListWatchSource<T> {
  return {
    list: (options) =>
      client.list(namespace, {
        ...selectors,
        ...(options.limit === undefined ? {} : { limit: options.limit }),
        ...(options.continue === undefined ? {} : { continue: options.continue }),
      }),
    watch: (resourceVersion, handler) =>
      client.watch(
        namespace,
        resourceVersion,
        {
          onEvent: (type, object) => handler.onEvent({ type, object } as ListWatchEvent<T>),
          onError: (err) => handler.onError(err),
          // Informers deep-freeze what they cache and never change it: no copy per event needed.
          readOnly: true,
        },
        selectors,
      ),
  };
}
