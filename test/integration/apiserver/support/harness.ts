/**
 * Starts an API server for one test file and drives the real kubectl against it: a kubeconfig
 * and a discovery cache dir of its own in a temp dir, so nothing leaks between files or from ~/.kube.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { builtinKinds } from '../../../../api/index.js';
import type { KindDefinition } from '../../../../api/kind.js';
import { type ApiServer, type ApiServerOptions, startApiServer } from '../../../../pkg/apiserver/server.js';
import { EtcdStore } from '../../../../pkg/storage/etcd/etcd-store.js';
import { MemoryStore } from '../../../../pkg/storage/memory/memory-store.js';
import type { Store } from '../../../../pkg/storage/types.js';

export interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface TestServer {
  readonly server: ApiServer;
  readonly store: Store;
  readonly dir: string;
  readonly kubeconfig: string;
  kubectl(
    args: readonly string[],
    opts?: { stdin?: string; env?: Record<string, string> },
  ): Promise<KubectlResult>;
  /** kubectl that must succeed; returns stdout. */
  k(args: readonly string[], opts?: { stdin?: string; env?: Record<string, string> }): Promise<string>;
  close(): Promise<void>;
}

export type StoreKind = 'memory' | 'etcd';

/** Both stores: every API behaviour must hold on each. */
export const STORE_KINDS: readonly StoreKind[] = ['memory', 'etcd'];

/** The embedded memory store, or the run's shared etcd under a key prefix of this server's own. */
export async function openTestStore(kind: StoreKind): Promise<Store> {
  if (kind === 'memory') return MemoryStore.open({});
  return new EtcdStore({ endpoints: [inject('etcdEndpoint')], keyPrefix: `/apiserver-test-${randomUUID()}` });
}

export async function startTestServer(
  options: Partial<ApiServerOptions> & {
    kinds?: readonly KindDefinition[];
    token?: string;
    storeKind?: StoreKind;
  } = {},
): Promise<TestServer> {
  const store = options.store ?? (await openTestStore(options.storeKind ?? 'memory'));
  const server = await startApiServer({
    ...options,
    store,
    kinds: options.kinds ?? builtinKinds,
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 1000,
  });
  const dir = await mkdtemp(join(tmpdir(), 'borealis-apiserver-test-'));
  const kubeconfig = join(dir, 'kubeconfig');
  await writeFile(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{name: borealis, cluster: {server: "' + server.url + '"}}]',
      `users: [{name: admin, user: {token: "${options.token ?? 'unused'}"}}]`,
      'contexts: [{name: borealis, context: {cluster: borealis, user: admin, namespace: default}}]',
      'current-context: borealis',
      '',
    ].join('\n'),
  );
  const kubectl = (args: readonly string[], opts: { stdin?: string; env?: Record<string, string> } = {}) =>
    new Promise<KubectlResult>((resolve) => {
      const child = execFile(
        '/usr/bin/kubectl',
        ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args],
        { env: { ...process.env, HOME: dir, ...opts.env }, timeout: 60_000 },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
      if (opts.stdin !== undefined) child.stdin?.end(opts.stdin);
      else child.stdin?.end();
    });
  return {
    server,
    store,
    dir,
    kubeconfig,
    kubectl,
    async k(args, opts) {
      const r = await kubectl(args, opts);
      if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
      return r.stdout;
    },
    async close() {
      await server.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
