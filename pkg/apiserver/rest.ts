/**
 * REST handlers for every served kind: /api/v1/... and /apis/<group>/<version>/..., verbs get,
 * list, watch, create, update, patch, delete and deletecollection, plus the status subresource.
 * Handlers translate HTTP into ResourceService calls; the rules live there.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parse as parseYaml } from 'yaml';
import { BorealisError } from '../errors/index.js';
import type { UserInfo } from './admission.js';
import type { Authorizer } from './auth.js';
import { deleteCollection, deleteResource, parseDeleteOptions } from './deletion.js';
import { checkDuplicateFields } from './duplicate-fields.js';
import { sendListBody } from './list-body.js';
import { listBody, listResources, selectorFor } from './listing.js';
import type { ApiMetrics } from './metrics.js';
import { isPlainObject, type MutableObject, metaString } from './objects.js';
import { APPLY_PATCH, patchTypeOf } from './patch.js';
import { patchResource } from './patching.js';
import { decodeProtobufObject, PROTOBUF_CONTENT_TYPE } from './protobuf.js';
import { sendAs, TABLE_CONTENT_TYPE } from './reply.js';
import { notFoundPath, type ResourceTarget, resolveTarget } from './request-info.js';
import type { ResourceService } from './resources.js';
import { badRequest } from './status.js';
import { type IncludeObject, toTable, wantsTable } from './table.js';
import type { WatchCaches } from './watch-caches.js';
import { serveWatch } from './watch-http.js';
import { parseFieldValidation, type WriteContext } from './write-context.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by authentication; used by handlers and metrics. */
    user?: UserInfo;
    verb?: string;
    resourceLabel?: string;
  }
}

type Query = Record<string, string | string[] | undefined>;

export interface RestDeps {
  readonly svc: ResourceService;
  readonly caches: WatchCaches;
  readonly authorizer: Authorizer;
  readonly bookmarkIntervalMs: number;
  readonly defaultWatchTimeoutSeconds: () => number;
  readonly metrics: ApiMetrics;
}

function q(query: Query, name: string): string | undefined {
  const v = query[name];
  return Array.isArray(v) ? v[0] : v;
}

function verbOf(method: string, t: ResourceTarget, query: Query): string {
  const watch = q(query, 'watch') === 'true' || q(query, 'watch') === '1';
  switch (method) {
    case 'GET':
      return t.name === undefined ? (watch ? 'watch' : 'list') : watch ? 'watch' : 'get';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return t.name === undefined ? 'deletecollection' : 'delete';
    default:
      return method.toLowerCase();
  }
}

function parseObjectBody(req: FastifyRequest): MutableObject {
  const raw = typeof req.body === 'string' ? req.body : '';
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
  if (contentType === PROTOBUF_CONTENT_TYPE && Buffer.isBuffer(req.body))
    return decodeProtobufObject(req.body);
  if (contentType !== '' && !contentType.includes('json') && !contentType.includes('yaml')) {
    throw new BorealisError(
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`,
    );
  }
  let parsed: unknown;
  try {
    parsed = (req.headers['content-type'] ?? '').includes('yaml') ? parseYaml(raw) : JSON.parse(raw);
  } catch (err) {
    throw badRequest(`error decoding request body: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!isPlainObject(parsed)) throw badRequest('the request body must be an object');
  return parsed;
}

/** Duplicate keys in a JSON body (YAML bodies: the YAML parser already refuses them). */
function checkJsonBody(req: FastifyRequest, ctx: WriteContext): void {
  if (typeof req.body === 'string' && !(req.headers['content-type'] ?? '').includes('yaml')) {
    checkDuplicateFields(req.body, ctx);
  }
}

function writeContext(req: FastifyRequest, query: Query): WriteContext {
  const dryRun = query['dryRun'];
  const agent = (req.headers['user-agent'] ?? 'unknown').split('/')[0] ?? 'unknown';
  return {
    user: req.user ?? { name: 'system:anonymous', uid: '', groups: [] },
    dryRun: Array.isArray(dryRun) ? dryRun.includes('All') : dryRun === 'All',
    fieldManager: q(query, 'fieldManager') ?? agent,
    fieldValidation: parseFieldValidation(q(query, 'fieldValidation')),
    warnings: [],
  };
}

function sendWarnings(reply: FastifyReply, ctx: WriteContext): void {
  if (ctx.warnings.length > 0)
    reply.header(
      'Warning',
      ctx.warnings.map((w) => `299 - ${JSON.stringify(w)}`),
    );
}

function selectors(query: Query) {
  return { labelSelector: q(query, 'labelSelector'), fieldSelector: q(query, 'fieldSelector') };
}

function includeObjectOf(query: Query): IncludeObject {
  const v = q(query, 'includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

export function registerRestRoutes(app: FastifyInstance, deps: RestDeps): void {
  const { svc } = deps;
  const handler = (group: string | undefined) => async (req: FastifyRequest, reply: FastifyReply) => {
    const params = req.params as Record<string, string>;
    const t = resolveTarget(
      svc.registry,
      group ?? params['group'] ?? '',
      params['version'] ?? 'v1',
      params['*'] ?? '',
    );
    const query = req.query as Query;
    const verb = verbOf(req.method, t, query);
    const def = t.served.def;
    req.verb = verb;
    req.resourceLabel = def.plural;
    const user = req.user ?? deps.authorizer.authenticate(req.headers.authorization);
    req.user = user;
    const access = {
      verb,
      group: def.group,
      resource: t.subresource ? `${def.plural}/${t.subresource}` : def.plural,
      namespace: def.namespaced ? t.namespace : undefined,
      name: t.name,
    };
    deps.authorizer.authorize(user, access);
    if (t.subresource !== undefined && !['get', 'update', 'patch'].includes(verb)) {
      throw new BorealisError(
        'MethodNotAllowed',
        `${verb} is not supported on ${def.plural}/${t.subresource}`,
      );
    }
    const ns = def.namespaced ? t.namespace : undefined;
    if (def.namespaced && t.namespace === undefined && verb !== 'list' && verb !== 'watch') {
      // A namespaced object outside /namespaces/<ns>/ does not exist as a URL: 404, like Kubernetes.
      throw notFoundPath();
    }
    const table = wantsTable(req.headers.accept);
    if (verb === 'watch') {
      const rv = q(query, 'resourceVersion');
      const fromRevision = rv === undefined || rv === '' || rv === '0' ? undefined : Number(rv);
      if (fromRevision !== undefined && !Number.isInteger(fromRevision))
        throw badRequest(`invalid resourceVersion: ${rv}`);
      const fieldSelector = t.name !== undefined ? `metadata.name=${t.name}` : q(query, 'fieldSelector');
      const timeout = q(query, 'timeoutSeconds');
      // Watches are hijacked streams (no onResponse hook): count them when they start.
      deps.metrics.observe('watch', def.plural, 200, 0);
      return serveWatch(reply, {
        served: t.served,
        cache: deps.caches.ensure(def),
        namespace: ns,
        matches: selectorFor(t.served, { labelSelector: q(query, 'labelSelector'), fieldSelector }),
        fromRevision,
        bookmarks: q(query, 'allowWatchBookmarks') === 'true',
        bookmarkIntervalMs: deps.bookmarkIntervalMs,
        timeoutSeconds: timeout !== undefined ? Number(timeout) : deps.defaultWatchTimeoutSeconds(),
        table: table ? { includeObject: includeObjectOf(query) } : undefined,
        clock: svc.clock,
      });
    }
    if (verb === 'list') {
      const limit = q(query, 'limit');
      const list = await listResources(svc, t.served, ns, {
        ...selectors(query),
        limit: limit !== undefined ? Number(limit) : undefined,
        continue: q(query, 'continue'),
      });
      // Sent as bytes: fastify would serialize every item again (see listBody).
      if (!table) return sendListBody(reply, 'application/json; charset=utf-8', listBody(list));
      const listTable = toTable(def, list.items, {
        now: svc.clock.now(),
        includeObject: includeObjectOf(query),
        listMeta: list.metadata,
      });
      return sendAs(reply, TABLE_CONTENT_TYPE, listTable);
    }
    const name = t.name ?? '';
    const ctx = writeContext(req, query);
    switch (verb) {
      case 'get': {
        const obj = await svc.get(t.served, ns, name);
        if (!table) return obj;
        return sendAs(
          reply,
          TABLE_CONTENT_TYPE,
          toTable(def, [obj], {
            now: svc.clock.now(),
            includeObject: includeObjectOf(query),
            listMeta: { resourceVersion: metaString(obj, 'resourceVersion') },
          }),
        );
      }
      case 'create': {
        if (t.name !== undefined) throw badRequest('a create request must target a collection');
        const body = parseObjectBody(req);
        checkJsonBody(req, ctx);
        svc.decodeUnknownFields(t.served, body, ctx);
        const created = await svc.create(t.served, ns, body, ctx);
        sendWarnings(reply, ctx);
        return reply.code(201).send(created);
      }
      case 'update': {
        const body = parseObjectBody(req);
        checkJsonBody(req, ctx);
        svc.decodeUnknownFields(t.served, body, ctx);
        const updated = await svc.update(
          t.served,
          ns,
          name,
          body,
          ctx,
          t.subresource ? { subresource: t.subresource } : {},
        );
        sendWarnings(reply, ctx);
        return updated;
      }
      case 'patch': {
        const patchType = patchTypeOf(req.headers['content-type'], def.group === '');
        if (patchType === APPLY_PATCH && q(query, 'fieldManager') === undefined) {
          throw badRequest('PATCH, application/apply-patch+yaml requires fieldManager to be set');
        }
        const raw = typeof req.body === 'string' ? req.body : '';
        if (patchType !== APPLY_PATCH) checkDuplicateFields(raw, ctx);
        const result = await patchResource(svc, t.served, ns, name, raw, ctx, {
          patchType,
          force: q(query, 'force') === 'true',
          beforeCreate: () => deps.authorizer.authorize(user, { ...access, verb: 'create' }),
          ...(t.subresource ? { subresource: t.subresource } : {}),
        });
        sendWarnings(reply, ctx);
        return reply.code(result.created ? 201 : 200).send(result.object);
      }
      case 'delete': {
        const options = parseDeleteOptions(bodyOrEmpty(req));
        const deleted = await deleteResource(svc, t.served, ns, name, options, {
          ...ctx,
          dryRun: ctx.dryRun || options.dryRun,
        });
        return reply.code(metaString(deleted, 'deletionTimestamp') ? 202 : 200).send(deleted);
      }
      case 'deletecollection': {
        const options = parseDeleteOptions(bodyOrEmpty(req));
        const all = await listResources(svc, t.served, ns, selectors(query));
        const items = await deleteCollection(svc, t.served, ns, all.items, options, {
          ...ctx,
          dryRun: ctx.dryRun || options.dryRun,
        });
        return { kind: def.listKind, apiVersion: all.apiVersion, metadata: {}, items };
      }
      default:
        throw badRequest(`unsupported verb ${verb}`);
    }
  };
  const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
  app.route({ method: [...methods], url: '/api/v1/*', handler: handler('') });
  app.route({ method: [...methods], url: '/apis/:group/:version/*', handler: handler(undefined) });
}

function bodyOrEmpty(req: FastifyRequest): unknown {
  if (typeof req.body !== 'string' || req.body.trim() === '') return {};
  try {
    return JSON.parse(req.body);
  } catch {
    throw badRequest('error decoding DeleteOptions');
  }
}
