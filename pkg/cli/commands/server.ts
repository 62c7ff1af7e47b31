/**
 * `borealis server`: the API server alone (the Kubernetes-dialect API over the memory store or
 * etcd). Runs until SIGINT/SIGTERM, then closes the store cleanly so the memory store's data dir
 * is consistent on the next start.
 */
import type { Command } from 'commander';
import { serve } from '../../apiserver/serve.js';

interface ServerFlags {
  port: string;
  host: string;
  dataDir: string;
  store: string;
  etcdEndpoints?: string;
  etcdPrefix?: string;
  tokenFile?: string;
  policyFile?: string;
  grpcPort?: string;
}

export function registerServerCommand(program: Command): void {
  program
    .command('server')
    .description('Run the Borealis API server and write <data-dir>/kubeconfig for kubectl.')
    .option('--port <port>', 'HTTPS port', '6443')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option(
      '--data-dir <dir>',
      'where the memory store, certificate, tokens and kubeconfig live',
      './borealis-data',
    )
    .option('--store <kind>', 'memory (kept in the data dir) or etcd', 'memory')
    .option('--etcd-endpoints <urls>', 'comma-separated etcd client URLs (with --store etcd)')
    .option(
      '--token-file <file>',
      'bearer tokens, CSV: token,user,uid,"group1,group2" (default: generated in the data dir)',
    )
    .option('--policy-file <file>', 'authorization rules (YAML; format in pkg/apiserver/README.md)')
    .option('--grpc-port <port>', 'also serve the gRPC resource service on this port')
    .action(async (flags: ServerFlags) => {
      if (flags.store !== 'memory' && flags.store !== 'etcd')
        throw new Error(`--store must be memory or etcd, not ${flags.store}`);
      const serving = await serve({
        dataDir: flags.dataDir,
        port: Number(flags.port),
        host: flags.host,
        store: flags.store,
        ...(flags.etcdEndpoints
          ? { etcdEndpoints: flags.etcdEndpoints.split(',').map((e) => e.trim()) }
          : {}),
        ...(flags.etcdPrefix ? { etcdPrefix: flags.etcdPrefix } : {}),
        ...(flags.tokenFile ? { tokenFile: flags.tokenFile } : {}),
        ...(flags.policyFile ? { policyFile: flags.policyFile } : {}),
        ...(flags.grpcPort ? { grpcPort: Number(flags.grpcPort) } : {}),
      });
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await serving.close();
    });
}
