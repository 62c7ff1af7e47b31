/**
 * One kind through the API server's own pipeline, with no HTTP in between: each method makes the
 * calls the REST handler (apiserver/rest.ts) makes for the request the HTTP client would send, so
 * validation, defaulting, admission, status separation, managed fields, finalizers and
 * compare-and-swap are the server's, not a copy of them.
 */
import type { UserInfo } from '../../apiserver/admission.js';
import type { Authorizer } from '../../apiserver/auth.js';
import { deleteResource } from '../../apiserver/deletion.js';
import { listResources, selectorFor } from '../../apiserver/listing.js';
import type { MutableObject } from '../../apiserver/objects.js';
import { MERGE_PATCH } from '../../apiserver/patch.js';
import { patchResource } from '../../apiserver/patching.js';
import type { ResourceService } from '../../apiserver/resources.js';
import { badRequest } from '../../apiserver/status.js';
import type { WatchCaches } from '../../apiserver/watch-caches.js';
import type { WriteContext } from '../../apiserver/write-context.js';
import { BorealisError, toBorealisError } from '../../errors/index.js';
import type {
  ApiObjectLike,
  ListOptions,
  ListPage,
  ResourceClient,
  ResourceRef,
  WatchHandler,
  WatchStream,
  WriteOptions,
} from '../types.js';
import { jsonCopy } from './copy.js';
import { resolve, type Target, type Verb } from './target.js';
import { startWatch } from './watch.js';

export interface ResourceDeps {
  readonly svc: ResourceService;
  readonly caches: WatchCaches;
  readonly user: UserInfo;
  readonly authorizer: Authorizer | undefined;
  readonly fieldManager: string;
  readonly bookmarkIntervalMs: number;
  /** Open watches, closed with the client (as closing the HTTP client drops its connections). */
  readonly watches: Set<WatchStream>;
}

/** Errors as the HTTP client would see them: anything that is not a BorealisError is a 500. */
async function guarded<R>(fn: () => Promise<R>): Promise<R> {
  try {
    return await fn();
  } catch (err) {
    throw toBorealisError(err);
  }
}

export class InProcessResourceClient<T extends ApiObjectLike> implements ResourceClient<T> {
  constructor(
    readonly ref: ResourceRef,
    private readonly d: ResourceDeps,
  ) {}

  private target(namespace: string | undefined, verb: Verb, name?: string, sub?: 'status'): Target {
    const c = { registry: this.d.svc.registry, user: this.d.user, authorizer: this.d.authorizer };
    return resolve(c, this.ref, namespace, verb, name, sub);
  }

  private ctx(o: WriteOptions | undefined): WriteContext {
    return {
      user: this.d.user,
      dryRun: o?.dryRun ?? false,
      fieldManager: o?.fieldManager ?? this.d.fieldManager,
      // What REST does for a request that names no fieldValidation (the HTTP client names none).
      fieldValidation: 'Warn',
      warnings: [],
    };
  }

  get(namespace: string | undefined, name: string): Promise<T | undefined> {
    return guarded(async () => {
      try {
        const t = this.target(namespace, 'get', name);
        return jsonCopy(await this.d.svc.get(t.served, t.namespace, name)) as unknown as T;
      } catch (err) {
        if (err instanceof BorealisError && err.code === 'NotFound') return undefined;
        throw err;
      }
    });
  }

  list(namespace: string | undefined, options: ListOptions = {}): Promise<ListPage<T>> {
    return guarded(async () => {
      const t = this.target(namespace, 'list', undefined);
      const list = await listResources(this.d.svc, t.served, t.namespace, options);
      return {
        // Fresh objects per call already (withResourceVersion); copy still, their parts are frozen.
        items: list.items.map((i) => jsonCopy(i) as unknown as T),
        resourceVersion: list.metadata.resourceVersion,
        ...(list.metadata.continue ? { continue: list.metadata.continue } : {}),
      };
    });
  }

  watch(
    namespace: string | undefined,
    resourceVersion: string,
    handler: WatchHandler<T>,
    options: ListOptions = {},
  ): WatchStream {
    try {
      const t = this.target(namespace, 'watch', undefined);
      const fromRevision =
        resourceVersion === '' || resourceVersion === '0' ? undefined : Number(resourceVersion);
      if (fromRevision !== undefined && !Number.isInteger(fromRevision))
        throw badRequest(`invalid resourceVersion: ${resourceVersion}`);
      const stream = startWatch<T>(
        {
          svc: this.d.svc,
          served: t.served,
          cache: this.d.caches.ensure(t.served.def),
          namespace: t.namespace,
          matches: selectorFor(t.served, options),
          fromRevision,
          bookmarkIntervalMs: this.d.bookmarkIntervalMs,
        },
        {
          onEvent: (type, object) => handler.onEvent(type, object),
          ...(handler.readOnly ? { readOnly: true } : {}),
          onError: (err) => {
            this.d.watches.delete(tracked);
            handler.onError(err);
          },
        },
      );
      const tracked: WatchStream = {
        close: () => {
          this.d.watches.delete(tracked);
          stream.close();
        },
      };
      this.d.watches.add(tracked);
      return tracked;
    } catch (err) {
      // As over HTTP, a refused watch is reported through the handler, never thrown.
      let closed = false;
      queueMicrotask(() => {
        if (!closed) handler.onError(toBorealisError(err));
      });
      return { close: () => (closed = true) };
    }
  }

  create(object: T, options?: WriteOptions): Promise<T> {
    return guarded(async () => {
      const t = this.target(object.metadata.namespace, 'create', undefined);
      const ctx = this.ctx(options);
      const body = jsonCopy(object) as unknown as MutableObject;
      this.d.svc.decodeUnknownFields(t.served, body, ctx);
      return jsonCopy(await this.d.svc.create(t.served, t.namespace, body, ctx)) as unknown as T;
    });
  }

  update(object: T, options?: WriteOptions): Promise<T> {
    return this.put(object, options, undefined);
  }

  updateStatus(object: T, options?: WriteOptions): Promise<T> {
    return this.put(object, options, 'status');
  }

  private put(object: T, options: WriteOptions | undefined, sub: 'status' | undefined): Promise<T> {
    return guarded(async () => {
      const name = object.metadata.name ?? '';
      const t = this.target(object.metadata.namespace, 'update', name, sub);
      const ctx = this.ctx(options);
      const body = jsonCopy(object) as unknown as MutableObject;
      this.d.svc.decodeUnknownFields(t.served, body, ctx);
      const opts = sub ? { subresource: sub } : {};
      return jsonCopy(await this.d.svc.update(t.served, t.namespace, name, body, ctx, opts)) as unknown as T;
    });
  }

  patch(
    namespace: string | undefined,
    name: string,
    patch: unknown,
    options?: WriteOptions & { status?: boolean },
  ): Promise<T> {
    return guarded(async () => {
      const sub = options?.status ? 'status' : undefined;
      const t = this.target(namespace, 'patch', name, sub);
      // patchResource takes the request body as text; a patch is small, so this costs little.
      const raw = JSON.stringify(patch) ?? '';
      const result = await patchResource(this.d.svc, t.served, t.namespace, name, raw, this.ctx(options), {
        patchType: MERGE_PATCH,
        force: false,
        ...(sub ? { subresource: sub } : {}),
      });
      return jsonCopy(result.object) as unknown as T;
    });
  }

  delete(
    namespace: string | undefined,
    name: string,
    options: { resourceVersion?: string } = {},
  ): Promise<void> {
    return guarded(async () => {
      const t = this.target(namespace, 'delete', name);
      const preconditions = options.resourceVersion
        ? { resourceVersion: options.resourceVersion }
        : undefined;
      await deleteResource(
        this.d.svc,
        t.served,
        t.namespace,
        name,
        preconditions ? { preconditions } : {},
        this.ctx(undefined),
      );
    });
  }
}
