/**
 * Everything that is not a resource: /version, discovery, OpenAPI v3, health and metrics.
 * Health endpoints answer without authentication (load balancers and probes call them).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Store } from '../storage/types.js';
import type { Authorizer } from './auth.js';
import {
  AGGREGATED_CONTENT_TYPE,
  aggregatedDiscovery,
  legacyApiVersions,
  legacyGroup,
  legacyGroupList,
  legacyResourceList,
  wantsAggregated,
} from './discovery.js';
import type { ApiMetrics } from './metrics.js';
import { OpenApiDocuments } from './openapi.js';
import type { KindRegistry } from './registry.js';
import { sendAs } from './reply.js';
import { notFoundPath } from './request-info.js';

export interface MetaDeps {
  readonly registry: KindRegistry;
  readonly authorizer: Authorizer;
  readonly metrics: ApiMetrics;
  readonly store: Store;
}

export const VERSION_INFO = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-borealis',
  gitCommit: '',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'node',
  compiler: 'tsc',
  platform: `${process.platform}/${process.arch}`,
};

export function registerMetaRoutes(app: FastifyInstance, deps: MetaDeps): void {
  const { registry } = deps;
  const openapi = new OpenApiDocuments(registry);
  const authenticated = async (req: FastifyRequest) => {
    req.user = deps.authorizer.authenticate(req.headers.authorization);
  };

  for (const path of ['/healthz', '/livez'])
    app.get(path, async (_req, reply) => reply.type('text/plain').send('ok'));
  app.get('/readyz', async (_req, reply) => {
    await deps.store.currentRevision();
    return reply.type('text/plain').send('ok');
  });
  app.get('/metrics', { preHandler: authenticated }, async (_req, reply) =>
    reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()),
  );
  app.get('/version', { preHandler: authenticated }, async () => VERSION_INFO);

  app.get('/api', { preHandler: authenticated }, async (req, reply) => {
    if (wantsAggregated(req.headers.accept))
      return sendAs(reply, AGGREGATED_CONTENT_TYPE, aggregatedDiscovery(registry, true));
    return legacyApiVersions();
  });
  app.get('/apis', { preHandler: authenticated }, async (req, reply) => {
    if (wantsAggregated(req.headers.accept))
      return sendAs(reply, AGGREGATED_CONTENT_TYPE, aggregatedDiscovery(registry, false));
    return legacyGroupList(registry);
  });
  app.get(
    '/api/v1',
    { preHandler: authenticated },
    async () => legacyResourceList(registry, '', 'v1') ?? Promise.reject(notFoundPath()),
  );
  app.get('/apis/:group', { preHandler: authenticated }, async (req) => {
    const { group } = req.params as { group: string };
    return legacyGroup(registry, group) ?? Promise.reject(notFoundPath());
  });
  app.get('/apis/:group/:version', { preHandler: authenticated }, async (req) => {
    const { group, version } = req.params as { group: string; version: string };
    return legacyResourceList(registry, group, version) ?? Promise.reject(notFoundPath());
  });

  app.get('/openapi/v3', { preHandler: authenticated }, async () => openapi.index());
  app.get('/openapi/v3/*', { preHandler: authenticated }, async (req, reply) => {
    const path = (req.params as { '*': string })['*'];
    const doc = openapi.document(path);
    if (doc === undefined) throw notFoundPath();
    return reply.type('application/json').header('Cache-Control', 'public, immutable').send(doc);
  });
}
