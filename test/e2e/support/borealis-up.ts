/** A `borealis up` for one test file: its own data dir, ports, kubectl, and (for etcd) its own etcd. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EtcdServer, startEtcd } from '../../harness/etcd.js';
import { freePort } from '../../harness/ports.js';
import { type BorealisProcess, runBorealis } from './cli.js';
import { type Kubectl, kubectlFor } from './kubectl.js';

export interface BorealisUp {
  readonly proc: BorealisProcess;
  readonly kubectl: Kubectl;
  readonly dataDir: string;
  stop(): Promise<void>;
}

/**
 * `portBase`: task ports come from [portBase, portBase + 999], below Linux's ephemeral range and
 * apart from every other cluster a test runs at the same time (test files run in parallel, and
 * all task processes share this machine's ports).
 */
export async function startBorealisUp(
  store: 'memory' | 'etcd',
  portBase: number,
  extra: readonly string[] = [],
): Promise<BorealisUp> {
  const dataDir = await mkdtemp(join(tmpdir(), `borealis-e2e-${store}-`));
  let etcd: EtcdServer | undefined;
  if (store === 'etcd') etcd = await startEtcd();
  const port = await freePort();
  const proc = runBorealis([
    'up',
    '--data-dir',
    dataDir,
    '--port',
    String(port),
    '--agents',
    '3',
    '--executor',
    'process',
    '--agent-resources',
    `cpus:4;mem:8192;disk:20000;ports:[${portBase}-${portBase + 999}]`,
    '--store',
    store,
    ...(etcd ? ['--etcd-endpoints', etcd.endpoint] : []),
    // Short flapping penalties so throttling is observable in seconds (defaults are Aurora's 30 s → 5 min).
    '--initial-flapping-task-delay',
    '1000',
    '--max-flapping-task-delay',
    '4000',
    ...extra,
  ]);
  const [, kubeconfig] = (await proc.waitFor(/kubeconfig: ([^\s"]+)/, 60_000)) as unknown as [string, string];
  return {
    proc,
    dataDir,
    kubectl: kubectlFor(kubeconfig, join(dataDir, 'kubectl-cache')),
    stop: async () => {
      await proc.stop('SIGTERM');
      await etcd?.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
