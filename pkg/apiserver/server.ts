/**
 * startApiServer: the Kubernetes-dialect API server over a Store. Wires the registry, watch
 * caches, REST routes, discovery, OpenAPI, health, metrics, authentication, and the background
 * controllers that belong to the API itself (CRD registration, garbage collection, namespaces).
 */
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { ApiObject, KindDefinition } from '../../api/kind.js';
import { BorealisError } from '../errors/index.js';
import { componentLogger } from '../log/index.js';
import { type Clock, systemClock } from '../runtime/clock.js';
import type { Store } from '../storage/types.js';
import { registerAccessReviewRoutes } from './access-review.js';
import { AdmissionChain, type AdmissionPlugin } from './admission.js';
import { Authorizer } from './auth.js';
import { startBackgroundControllers } from './controllers.js';
import { startGrpcServer } from './grpc.js';
import { registerMetaRoutes } from './meta-routes.js';
import { ApiMetrics } from './metrics.js';
import { PROTOBUF_CONTENT_TYPE } from './protobuf.js';
import { KindRegistry } from './registry.js';
import { ResourceService } from './resources.js';
import { registerRestRoutes } from './rest.js';
import { seedObjects } from './seed.js';
import { statusFromError } from './status.js';
import { WatchCaches } from './watch-caches.js';

/** etcd's request limit; larger bodies are refused before they are parsed. */
export const MAX_BODY_BYTES = 1.5 * 1024 * 1024;

export interface ApiServerOptions {
  readonly store: Store;
  /** Kinds served from the start (CRDs add more at run time). */
  readonly kinds: readonly KindDefinition[];
  readonly host?: string;
  /** 0 or absent: any free port. */
  readonly port?: number;
  readonly clock?: Clock;
  /** Also serve the gRPC resource service on this port (0: any free port); absent: no gRPC. */
  readonly grpcPort?: number;
  /** Serve HTTPS with this certificate and key (PEM); kubectl sends tokens only over TLS. */
  readonly tls?: { readonly cert: string; readonly key: string };
  /** Bearer tokens (CSV); without it every request is treated as the admin. */
  readonly tokenFile?: string;
  /** Authorization rules (YAML; see ./auth.ts). */
  readonly policyFile?: string;
  readonly admission?: readonly AdmissionPlugin[];
  /** Objects created at start-up when missing (e.g. the built-in tiers). */
  readonly seed?: readonly ApiObject[];
  readonly bookmarkIntervalMs?: number;
  /**
   * How long a watch that names no timeoutSeconds lasts before the server ends it and the client
   * resumes (kube-apiserver: --min-request-timeout, 1800 s, randomized up to twice that).
   */
  readonly watchTimeoutSeconds?: number;
  /** Recent events kept per kind to resume watches (default 1000). */
  readonly watchCacheSize?: number;
  /** Whether to export process metrics (off in tests that start many servers). */
  readonly processMetrics?: boolean;
}

export interface ApiServer {
  readonly url: string;
  readonly port: number;
  /** The gRPC port, when grpcPort was given. */
  readonly grpcPort: number | undefined;
  readonly registry: KindRegistry;
  /** The resource service, for in-process clients (same rules as REST). */
  readonly resources: ResourceService;
  /** Per-kind watch caches, for in-process watches. */
  readonly watchCaches: WatchCaches;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const log = componentLogger('apiserver');
  const clock = options.clock ?? systemClock;
  const registry = new KindRegistry();
  for (const kind of options.kinds) registry.register(kind);
  const admission = new AdmissionChain();
  for (const plugin of options.admission ?? []) admission.add(plugin);
  const svc = new ResourceService(options.store, registry, clock, admission);
  const caches = new WatchCaches(options.store, registry, options.watchCacheSize);
  svc.useRecentObjects((kind, key) => caches.peek(kind, key));
  const authorizer = Authorizer.fromFiles(options.tokenFile, options.policyFile);
  const metrics = new ApiMetrics(options.processMetrics ?? false, () => options.store.stats());

  const app = Fastify({
    bodyLimit: MAX_BODY_BYTES,
    logger: false,
    return503OnClosing: false,
    ...(options.tls ? { https: { cert: options.tls.cert, key: options.tls.key } } : {}),
  }) as unknown as FastifyInstance;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  // kubectl's typed clients send core objects as protobuf; those bodies stay bytes.
  app.addContentTypeParser(PROTOBUF_CONTENT_TYPE, { parseAs: 'buffer' }, (_req, body, done) =>
    done(null, body),
  );
  app.setErrorHandler((err: FastifyError | BorealisError, req, reply) => {
    let status = statusFromError(err);
    if ('code' in err && err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      status = statusFromError(
        new BorealisError('RequestEntityTooLarge', `Request entity too large: limit is ${MAX_BODY_BYTES}`),
      );
    } else if (
      !(err instanceof BorealisError) &&
      typeof err.statusCode === 'number' &&
      err.statusCode < 500
    ) {
      status = statusFromError(new BorealisError('BadRequest', err.message));
    }
    if (status.code >= 500) log.error({ err, url: req.url }, 'request failed');
    void reply.code(status.code).header('Content-Type', 'application/json').send(status);
  });
  app.addHook('onRequest', async (req) => {
    (req as { startedAt?: bigint }).startedAt = process.hrtime.bigint();
  });
  app.addHook('onResponse', async (req, reply) => {
    // Watches are counted when they start (a client that hangs up never "finishes" the response).
    if (req.verb === 'watch') return;
    const started = (req as { startedAt?: bigint }).startedAt ?? process.hrtime.bigint();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    metrics.observe(req.verb ?? req.method.toLowerCase(), req.resourceLabel ?? '', reply.statusCode, seconds);
  });

  registerMetaRoutes(app, { registry, authorizer, metrics, store: options.store });
  registerAccessReviewRoutes(app, authorizer);
  registerRestRoutes(app, {
    svc,
    caches,
    authorizer,
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 5000,
    defaultWatchTimeoutSeconds: () => options.watchTimeoutSeconds ?? Math.round(1800 * (1 + Math.random())),
    metrics,
  });
  await caches.ready();
  const controllers = await startBackgroundControllers(svc, caches);
  await seedObjects(svc, options.seed ?? []);

  const address = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const port = Number(new URL(address).port);
  const grpcServer =
    options.grpcPort !== undefined
      ? await startGrpcServer(
          { svc, caches, authorizer },
          options.host ?? '127.0.0.1',
          options.grpcPort,
          options.tls,
        )
      : undefined;
  const url = `${options.tls ? 'https' : 'http'}://${options.host ?? '127.0.0.1'}:${port}`;
  log.debug({ url }, 'API server listening');
  return {
    url,
    port,
    grpcPort: grpcServer?.port,
    registry,
    resources: svc,
    watchCaches: caches,
    app,
    async close() {
      await grpcServer?.close();
      controllers.stop();
      caches.stop();
      await app.close();
    },
  };
}
