/** BorealisClient over HTTP to a Kubernetes-dialect API server. */
import { BorealisError } from '../../errors/index.js';
import type { Connection } from '../kubeconfig.js';
import { resourcePath } from '../refs.js';
import type {
  ApiObjectLike,
  BorealisClient,
  ListOptions,
  ListPage,
  ResourceClient,
  ResourceRef,
  WatchHandler,
  WatchStream,
  WriteOptions,
} from '../types.js';
import { errorFromStatus, Transport } from './transport.js';
import { consumeWatch } from './watch-stream.js';

function writeQuery(o: WriteOptions | undefined): Record<string, string | undefined> {
  return { fieldManager: o?.fieldManager, dryRun: o?.dryRun ? 'All' : undefined };
}

class HttpResourceClient<T extends ApiObjectLike> implements ResourceClient<T> {
  constructor(
    readonly ref: ResourceRef,
    private readonly t: Transport,
  ) {}

  async get(namespace: string | undefined, name: string): Promise<T | undefined> {
    try {
      return await this.t.json<T>({ method: 'GET', path: resourcePath(this.ref, namespace, name) });
    } catch (err) {
      if (err instanceof BorealisError && err.code === 'NotFound') return undefined;
      throw err;
    }
  }

  async list(namespace: string | undefined, options: ListOptions = {}): Promise<ListPage<T>> {
    const body = await this.t.json<{ items: T[]; metadata: { resourceVersion: string; continue?: string } }>({
      method: 'GET',
      path: resourcePath(this.ref, namespace),
      query: {
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
        limit: options.limit,
        continue: options.continue,
      },
    });
    return {
      items: body.items,
      resourceVersion: body.metadata.resourceVersion,
      ...(body.metadata.continue ? { continue: body.metadata.continue } : {}),
    };
  }

  watch(
    namespace: string | undefined,
    resourceVersion: string,
    handler: WatchHandler<T>,
    options: ListOptions = {},
  ): WatchStream {
    let closed = false;
    let destroy: (() => void) | undefined;
    this.t
      .open(
        {
          method: 'GET',
          path: resourcePath(this.ref, namespace),
          query: {
            watch: 1,
            resourceVersion,
            allowWatchBookmarks: true,
            labelSelector: options.labelSelector,
            fieldSelector: options.fieldSelector,
          },
        },
        true,
      )
      .then(async (res) => {
        destroy = () => res.destroy();
        if (closed) return res.destroy();
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) {
          const chunks: Buffer[] = [];
          for await (const c of res) chunks.push(c as Buffer);
          handler.onError(errorFromStatus(status, Buffer.concat(chunks).toString('utf8')));
          return;
        }
        consumeWatch(res, handler, () => closed);
      })
      .catch((err: Error) => {
        if (!closed) handler.onError(err);
      });
    return {
      close: () => {
        closed = true;
        destroy?.();
      },
    };
  }

  create(object: T, options?: WriteOptions): Promise<T> {
    return this.t.json<T>({
      method: 'POST',
      path: resourcePath(this.ref, object.metadata.namespace),
      body: object,
      query: writeQuery(options),
    });
  }

  update(object: T, options?: WriteOptions): Promise<T> {
    return this.t.json<T>({
      method: 'PUT',
      path: resourcePath(this.ref, object.metadata.namespace, object.metadata.name),
      body: object,
      query: writeQuery(options),
    });
  }

  updateStatus(object: T, options?: WriteOptions): Promise<T> {
    return this.t.json<T>({
      method: 'PUT',
      path: resourcePath(this.ref, object.metadata.namespace, object.metadata.name, 'status'),
      body: object,
      query: writeQuery(options),
    });
  }

  patch(
    namespace: string | undefined,
    name: string,
    patch: unknown,
    options?: WriteOptions & { status?: boolean },
  ): Promise<T> {
    return this.t.json<T>({
      method: 'PATCH',
      path: resourcePath(this.ref, namespace, name, options?.status ? 'status' : undefined),
      body: patch,
      contentType: 'application/merge-patch+json',
      query: writeQuery(options),
    });
  }

  async delete(
    namespace: string | undefined,
    name: string,
    options: { resourceVersion?: string } = {},
  ): Promise<void> {
    const body = options.resourceVersion
      ? {
          kind: 'DeleteOptions',
          apiVersion: 'v1',
          preconditions: { resourceVersion: options.resourceVersion },
        }
      : undefined;
    await this.t.json({ method: 'DELETE', path: resourcePath(this.ref, namespace, name), body });
  }
}

export class HttpClient implements BorealisClient {
  private readonly transport: Transport;

  constructor(connection: Connection) {
    this.transport = new Transport(connection);
  }

  resource<T extends ApiObjectLike>(ref: ResourceRef): ResourceClient<T> {
    return new HttpResourceClient<T>(ref, this.transport);
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
