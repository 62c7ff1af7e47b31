/**
 * `borealis up`: everything in one process on embedded defaults — the API server over the
 * memory store (kept in the data dir), the embedded Mesos master with agents running real
 * processes, and the controllers. Stops cleanly on SIGINT/SIGTERM: controllers first, then the
 * agents (their tasks are killed), then the API server (the store's snapshot is written).
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { startControllers } from '../../../controllers/manager.js';
import { serve } from '../../apiserver/serve.js';
import { InProcessClient } from '../../client/in-process/in-process-client.js';
import { parseAgentResources, parseAttributes } from '../../mesoslocal/agent-spec.js';
import { startMesosLocal } from '../../mesoslocal/index.js';
import { addControllerFlags, type ControllerFlags, controllerOptions } from './controller-flags.js';
import { untilSignal } from './signals.js';

interface Flags extends ControllerFlags {
  port: string;
  dataDir: string;
  agents: string;
  executor: string;
  store: string;
  etcdEndpoints?: string;
  mesosMaster?: string;
  allocationInterval: string;
  agentResources?: string;
  attributes?: string;
}

function count(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`${name} must be a non-negative integer, got '${value}'`);
  return n;
}

export function registerUpCommand(program: Command): void {
  const command = program
    .command('up')
    .description('Run all of Borealis in one process: API server, embedded Mesos with agents, controllers.')
    .option('--port <port>', 'HTTPS port of the API server', '7070')
    .option(
      '--data-dir <dir>',
      'where state, certificates, the kubeconfig and task sandboxes live',
      join(homedir(), '.borealis'),
    )
    .option('--agents <n>', 'number of embedded Mesos agents', '3')
    .option('--executor <kind>', 'process (real processes) or sim (simulated tasks)', 'process')
    .option('--store <kind>', 'memory (kept in the data dir) or etcd', 'memory')
    .option('--etcd-endpoints <urls>', 'comma-separated etcd client URLs (with --store etcd)')
    .option('--mesos-master <url>', 'use this Mesos master instead of the embedded one')
    .option('--allocation-interval <ms>', 'embedded master: ms between offer rounds', '100')
    .option(
      '--agent-resources <resources>',
      'embedded agents: e.g. "cpus:4;mem:8192;disk:20000;ports:[31000-32000]"',
    )
    .option(
      '--attributes <attributes>',
      'embedded agents: e.g. "rack:r1,r2;zone:a" (a list spreads agents over its values)',
    );
  addControllerFlags(command).action(async (flags: Flags) => {
    if (flags.executor !== 'process' && flags.executor !== 'sim')
      throw new Error(`--executor must be process or sim, not ${flags.executor}`);
    if (flags.store !== 'memory' && flags.store !== 'etcd')
      throw new Error(`--store must be memory or etcd, not ${flags.store}`);
    const tuning = controllerOptions(flags); // bad flags fail before anything starts
    const dataDir = resolve(flags.dataDir);
    const serving = await serve({
      dataDir,
      port: count('--port', flags.port),
      store: flags.store,
      ...(flags.etcdEndpoints ? { etcdEndpoints: flags.etcdEndpoints.split(',').map((e) => e.trim()) } : {}),
    });
    const master = flags.mesosMaster
      ? undefined
      : await startMesosLocal({
          port: 0,
          agents: count('--agents', flags.agents),
          executor: flags.executor,
          allocationIntervalMs: count('--allocation-interval', flags.allocationInterval),
          portsPerAgent: 'split',
          sandboxRoot: join(dataDir, 'sandboxes'),
          ...(flags.agentResources ? { agentResources: parseAgentResources(flags.agentResources) } : {}),
          ...(flags.attributes ? { attributes: parseAttributes(flags.attributes) } : {}),
        });
    const mesosUrl = flags.mesosMaster ?? master!.url;
    const client = new InProcessClient(serving.server);
    const controllers = await startControllers({ client, masters: [mesosUrl], ...tuning });
    const example = resolve(process.cwd(), 'deploy/examples/hello.yaml');
    process.stdout.write(
      `Borealis is up: API ${serving.server.url} (${serving.store.name} store), Mesos ${mesosUrl}${master ? ` (${flags.agents} embedded agents, ${flags.executor} executor)` : ''}\n` +
        `kubeconfig: ${serving.kubeconfig}   (export KUBECONFIG=${serving.kubeconfig})\n` +
        `try: kubectl --kubeconfig ${serving.kubeconfig} apply -f ${example} && kubectl --kubeconfig ${serving.kubeconfig} get tasks -n www-data\n`,
    );
    const signal = await untilSignal();
    process.stdout.write(`${signal}: stopping Borealis\n`);
    await controllers.stop();
    await master?.stop();
    await client.close();
    await serving.close();
  });
}
