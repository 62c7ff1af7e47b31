/**
 * serve: what `borealis server` (and `borealis up`) run. Opens the store (memory, kept in the
 * data dir, or etcd), makes sure there is a serving certificate and an admin token, starts the
 * API server over TLS and writes `<data-dir>/kubeconfig` so kubectl works at once.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { builtinKinds, builtinTiers } from '../../api/index.js';
import type { ApiObject } from '../../api/kind.js';
import { componentLogger } from '../log/index.js';
import { openStore } from '../storage/open-store.js';
import type { Store } from '../storage/types.js';
import { ensureAdminToken, ensureServingCert, writeKubeconfig } from './credentials.js';
import { type ApiServer, startApiServer } from './server.js';

export interface ServeOptions {
  readonly dataDir: string;
  readonly port?: number;
  readonly host?: string;
  readonly store?: 'memory' | 'etcd';
  readonly etcdEndpoints?: readonly string[];
  /** Prepended to every etcd key (several clusters, or tests, sharing one etcd). */
  readonly etcdPrefix?: string;
  /** Tokens CSV; absent: `<data-dir>/tokens.csv`, created with an admin token if missing. */
  readonly tokenFile?: string;
  readonly policyFile?: string;
  readonly grpcPort?: number;
}

export interface Serving {
  readonly server: ApiServer;
  readonly store: Store;
  readonly kubeconfig: string;
  close(): Promise<void>;
}

export async function serve(o: ServeOptions): Promise<Serving> {
  await mkdir(o.dataDir, { recursive: true });
  const tokenFile = o.tokenFile ?? join(o.dataDir, 'tokens.csv');
  const token = await ensureAdminToken(tokenFile, o.tokenFile === undefined);
  const tls = await ensureServingCert(o.dataDir);
  const store = await openStore({
    store: o.store ?? 'memory',
    dataDir: join(o.dataDir, 'store'),
    ...(o.etcdEndpoints ? { etcdEndpoints: o.etcdEndpoints } : {}),
    ...(o.etcdPrefix !== undefined ? { etcdPrefix: o.etcdPrefix } : {}),
  });
  let server: ApiServer;
  try {
    server = await startApiServer({
      store,
      kinds: builtinKinds,
      seed: builtinTiers as unknown as readonly ApiObject[],
      tls,
      tokenFile,
      processMetrics: true,
      ...(o.port !== undefined ? { port: o.port } : {}),
      ...(o.host !== undefined ? { host: o.host } : {}),
      ...(o.policyFile !== undefined ? { policyFile: o.policyFile } : {}),
      ...(o.grpcPort !== undefined ? { grpcPort: o.grpcPort } : {}),
    });
  } catch (err) {
    await store.close();
    throw err;
  }
  const kubeconfig = join(o.dataDir, 'kubeconfig');
  await writeKubeconfig(kubeconfig, server.url, token, tls.cert);
  componentLogger('apiserver').info(
    { url: server.url, kubeconfig, store: store.name, grpcPort: server.grpcPort },
    `API server listening on ${server.url}; kubeconfig: ${kubeconfig}`,
  );
  return {
    server,
    store,
    kubeconfig,
    async close() {
      await server.close();
      await store.close();
    },
  };
}
