/**
 * The gRPC resource service (api/proto/borealis/v1/resources.proto): Get, List, Watch, Apply and
 * Delete over the same ResourceService, watch caches and authorization as REST, with errors
 * mapped to gRPC status codes through the shared error registry.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { BorealisError, toBorealisError } from '../errors/index.js';
import type { UserInfo } from './admission.js';
import type { Authorizer } from './auth.js';
import { deleteResource } from './deletion.js';
import { listPrefix } from './keys.js';
import { listResources, selectorFor } from './listing.js';
import { APPLY_PATCH } from './patch.js';
import { patchResource } from './patching.js';
import type { ServedKind } from './registry.js';
import type { ResourceService } from './resources.js';
import { asServedVersion } from './strategy.js';
import type { CachedEvent } from './watch-cache.js';
import type { WatchCaches } from './watch-caches.js';
import { filtered } from './watch-http.js';
import type { WriteContext } from './write-context.js';

interface Ref {
  group: string;
  version: string;
  resource: string;
  namespace: string;
  name: string;
}
type WithRef = { ref?: Ref };

/** The .proto, found from the source tree or from dist/. */
export function protoPath(): string {
  const rel = 'api/proto/borealis/v1/resources.proto';
  for (const up of ['../../', '../../../']) {
    const candidate = fileURLToPath(new URL(`${up}${rel}`, import.meta.url));
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`cannot find ${rel}`);
}

export function loadResourcesService(): grpc.ServiceDefinition {
  const def = protoLoader.loadSync(protoPath(), { keepCase: false, longs: Number, defaults: true });
  const pkg = grpc.loadPackageDefinition(def) as unknown as {
    borealis: { v1: { Resources: { service: grpc.ServiceDefinition } } };
  };
  return pkg.borealis.v1.Resources.service;
}

function grpcError(err: unknown): grpc.ServiceError {
  const e = toBorealisError(err);
  const md = new grpc.Metadata();
  md.set('borealis-reason', e.info.reason);
  return Object.assign(new Error(e.message), {
    code: e.info.grpc,
    details: e.message,
    metadata: md,
  }) as grpc.ServiceError;
}

export interface GrpcDeps {
  readonly svc: ResourceService;
  readonly caches: WatchCaches;
  readonly authorizer: Authorizer;
}

export function resourceHandlers(deps: GrpcDeps): grpc.UntypedServiceImplementation {
  const { svc, authorizer } = deps;
  const target = (call: { request: WithRef; metadata: grpc.Metadata }, verb: string) => {
    const user = authorizer.authenticate(String(call.metadata.get('authorization')[0] ?? ''));
    const ref = call.request.ref;
    const served = ref ? svc.registry.lookup(ref.group, ref.version, ref.resource) : undefined;
    if (!ref || !served)
      throw new BorealisError('NotFound', 'the server could not find the requested resource');
    const ns = served.def.namespaced && ref.namespace !== '' ? ref.namespace : undefined;
    const name = ref.name === '' ? undefined : ref.name;
    authorizer.authorize(user, {
      verb,
      group: served.def.group,
      resource: served.def.plural,
      namespace: ns,
      name,
    });
    return { user, served, ns, name: name ?? '' };
  };
  const ctxFor = (user: UserInfo, dryRun: boolean, manager: string): WriteContext => ({
    user,
    dryRun,
    fieldManager: manager,
    fieldValidation: 'Strict',
    warnings: [],
  });
  const unary =
    <Req extends WithRef>(verb: string, fn: (req: Req, t: ReturnType<typeof target>) => Promise<unknown>) =>
    (call: grpc.ServerUnaryCall<Req, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      Promise.resolve()
        .then(() => fn(call.request, target(call, verb)))
        .then((res) => callback(null, res))
        .catch((err: unknown) => callback(grpcError(err)));
    };
  return {
    Get: unary('get', async (_req, t) => ({ json: JSON.stringify(await svc.get(t.served, t.ns, t.name)) })),
    List: unary<WithRef & { labelSelector: string; fieldSelector: string; limit: number; continue: string }>(
      'list',
      async (req, t) => {
        const list = await listResources(svc, t.served, t.ns, {
          labelSelector: req.labelSelector,
          fieldSelector: req.fieldSelector,
          limit: req.limit,
          continue: req.continue,
        });
        return {
          items: list.items.map((i) => ({ json: JSON.stringify(i) })),
          resourceVersion: list.metadata.resourceVersion,
          continue: list.metadata.continue ?? '',
        };
      },
    ),
    Apply: unary<WithRef & { manifest: string; fieldManager: string; force: boolean; dryRun: boolean }>(
      'patch',
      async (req, t) => {
        const ctx = ctxFor(t.user, req.dryRun, req.fieldManager === '' ? 'borealis-grpc' : req.fieldManager);
        const result = await patchResource(svc, t.served, t.ns, t.name, req.manifest, ctx, {
          patchType: APPLY_PATCH,
          force: req.force,
          beforeCreate: () =>
            authorizer.authorize(t.user, {
              verb: 'create',
              group: t.served.def.group,
              resource: t.served.def.plural,
              namespace: t.ns,
              name: t.name,
            }),
        });
        return { json: JSON.stringify(result.object) };
      },
    ),
    Delete: unary<WithRef & { dryRun: boolean }>('delete', async (req, t) => {
      const deleted = await deleteResource(
        svc,
        t.served,
        t.ns,
        t.name,
        {},
        ctxFor(t.user, req.dryRun, 'borealis-grpc'),
      );
      return { json: JSON.stringify(deleted) };
    }),
    Watch: (
      call: grpc.ServerWritableStream<
        WithRef & { resourceVersion: string; labelSelector: string; fieldSelector: string },
        unknown
      >,
    ) => {
      void watch(deps, call, target).catch((err: unknown) => call.destroy(grpcError(err)));
    },
  };
}

async function watch(
  deps: GrpcDeps,
  call: grpc.ServerWritableStream<
    WithRef & { resourceVersion: string; labelSelector: string; fieldSelector: string },
    unknown
  >,
  target: (
    call: { request: WithRef; metadata: grpc.Metadata },
    verb: string,
  ) => { served: ServedKind; ns: string | undefined },
): Promise<void> {
  const t = target(call, 'watch');
  const req = call.request;
  const matches = selectorFor(t.served, {
    labelSelector: req.labelSelector,
    fieldSelector: req.fieldSelector,
  });
  const from =
    req.resourceVersion === '' || req.resourceVersion === '0' ? undefined : Number(req.resourceVersion);
  const subscription = await deps.caches
    .ensure(t.served.def)
    .subscribe(listPrefix(t.served.def, t.ns), from, {
      send: (e: CachedEvent) => {
        const type = filtered(e, matches);
        if (type)
          call.write({ type, object: { json: JSON.stringify(asServedVersion(t.served.def, e.object)) } });
      },
      close: (err) => (err ? call.destroy(grpcError(err)) : call.end()),
    });
  call.on('cancelled', () => subscription.cancel());
  call.on('close', () => subscription.cancel());
}

/**
 * Starts the gRPC server on host:port (0: any free port); resolves to the bound port. With `tls`
 * (the REST server's certificate) tokens never cross the wire in the clear.
 */
export async function startGrpcServer(
  deps: GrpcDeps,
  host: string,
  port: number,
  tls?: { readonly cert: string; readonly key: string },
): Promise<{ port: number; close(): Promise<void> }> {
  const server = new grpc.Server();
  server.addService(loadResourcesService(), resourceHandlers(deps));
  const credentials = tls
    ? grpc.ServerCredentials.createSsl(null, [
        { private_key: Buffer.from(tls.key), cert_chain: Buffer.from(tls.cert) },
      ])
    : grpc.ServerCredentials.createInsecure();
  const bound = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${port}`, credentials, (err, p) => (err ? reject(err) : resolve(p))),
  );
  return {
    port: bound,
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}
