/**
 * One API server on loopback, as `serve()` runs it (TLS, token file, built-in kinds and tiers),
 * plus a small watch cache so "too old resourceVersion" is reachable in a test; and both clients
 * over it: HttpClient with the admin token and the server's CA, and InProcessClient.
 */
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinKinds, builtinTiers } from '../../../../api/index.js';
import type { ApiObject } from '../../../../api/kind.js';
import { ensureAdminToken, ensureServingCert } from '../../../../pkg/apiserver/credentials.js';
import { type ApiServer, startApiServer } from '../../../../pkg/apiserver/server.js';
import { HttpClient } from '../../../../pkg/client/http/http-client.js';
import { InProcessClient } from '../../../../pkg/client/in-process/in-process-client.js';
import type { BorealisClient } from '../../../../pkg/client/types.js';
import { openStore } from '../../../../pkg/storage/open-store.js';

export interface TestServer {
  readonly server: ApiServer;
  /** The token and policy files the server authorizes HTTP requests with. */
  readonly tokenFile: string;
  readonly policyFile: string | undefined;
  /** PEM of the server's self-signed certificate (the CA an HTTP client trusts). */
  readonly ca: string;
  readonly clients: { readonly http: BorealisClient; readonly inProcess: BorealisClient };
  close(): Promise<void>;
}

export async function startTestServer(
  opts: {
    watchCacheSize?: number;
    bookmarkIntervalMs?: number;
    /** More token file lines (token,user,uid,"groups") besides the admin's. */
    extraTokens?: readonly string[];
    /** Authorization policy (YAML, see pkg/apiserver/auth.ts). */
    policy?: string;
  } = {},
): Promise<TestServer> {
  const dir = await mkdtemp(join(tmpdir(), 'borealis-client-conformance-'));
  const tokenFile = join(dir, 'tokens.csv');
  const token = await ensureAdminToken(tokenFile, true);
  if (opts.extraTokens) await appendFile(tokenFile, `${opts.extraTokens.join('\n')}\n`);
  const policyFile = opts.policy !== undefined ? join(dir, 'policy.yaml') : undefined;
  if (policyFile !== undefined) await writeFile(policyFile, opts.policy ?? '');
  const tls = await ensureServingCert(dir);
  const store = await openStore({ store: 'memory' });
  const server = await startApiServer({
    store,
    kinds: builtinKinds,
    seed: builtinTiers as unknown as readonly ApiObject[],
    tls,
    tokenFile,
    ...(policyFile !== undefined ? { policyFile } : {}),
    ...(opts.watchCacheSize !== undefined ? { watchCacheSize: opts.watchCacheSize } : {}),
    ...(opts.bookmarkIntervalMs !== undefined ? { bookmarkIntervalMs: opts.bookmarkIntervalMs } : {}),
  });
  const http = new HttpClient({ server: server.url, token, ca: tls.cert });
  const inProcess = new InProcessClient(server, {
    ...(opts.bookmarkIntervalMs !== undefined ? { bookmarkIntervalMs: opts.bookmarkIntervalMs } : {}),
  });
  let closed = false;
  return {
    server,
    tokenFile,
    policyFile,
    ca: tls.cert,
    clients: { http, inProcess },
    async close() {
      if (closed) return;
      closed = true;
      await http.close();
      await inProcess.close();
      await server.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
