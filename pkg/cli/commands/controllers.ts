/**
 * `borealis controllers`: the controller manager on its own, against a running `borealis server`
 * and a Mesos master (real, or `borealis mesos-local`). With --etcd-endpoints, several of these
 * elect one leader through an etcd lease; without, this process is the only one.
 */
import { hostname } from 'node:os';
import type { Command } from 'commander';
import { Etcd3 } from 'etcd3';
import { startControllers } from '../../../controllers/manager.js';
import { HttpClient } from '../../client/http/http-client.js';
import { type Connection, readKubeconfig } from '../../client/kubeconfig.js';
import { componentLogger } from '../../log/index.js';
import { alwaysLeader, EtcdLeaderElector } from '../../runtime/leader-election.js';
import { addControllerFlags, type ControllerFlags, controllerOptions } from './controller-flags.js';
import { untilSignal } from './signals.js';

interface Flags extends ControllerFlags {
  kubeconfig?: string;
  server?: string;
  token?: string;
  insecureSkipTlsVerify?: boolean;
  mesosMaster: string;
  etcdEndpoints?: string;
}

async function connection(flags: Flags): Promise<Connection> {
  const base: Connection = flags.kubeconfig
    ? await readKubeconfig(flags.kubeconfig)
    : { server: flags.server ?? '' };
  const server = flags.server ?? base.server;
  if (!server) throw new Error('give --kubeconfig <file> (written by borealis server) or --server <url>');
  return {
    ...base,
    server,
    ...(flags.token ? { token: flags.token } : {}),
    ...(flags.insecureSkipTlsVerify ? { insecureSkipTlsVerify: true } : {}),
  };
}

export function registerControllersCommand(program: Command): void {
  const command = program
    .command('controllers')
    .description('Run the Borealis controllers against an API server and a Mesos master.')
    .option('--kubeconfig <file>', 'kubeconfig of the API server (server URL, CA and token)')
    .option('--server <url>', 'API server URL (overrides the kubeconfig)')
    .option('--token <token>', 'bearer token (overrides the kubeconfig)')
    .option('--insecure-skip-tls-verify', 'do not verify the API server certificate')
    .requiredOption(
      '--mesos-master <url>',
      'Mesos master, e.g. http://127.0.0.1:5050 (comma-separated for several)',
    )
    .option('--etcd-endpoints <urls>', 'elect a leader among several controller processes through etcd');
  addControllerFlags(command).action(async (flags: Flags) => {
    if (flags.policy !== 'pack' && flags.policy !== 'spread')
      throw new Error(`--policy must be pack or spread, not ${flags.policy}`);
    const client = new HttpClient(await connection(flags));
    const etcd = flags.etcdEndpoints
      ? new Etcd3({ hosts: flags.etcdEndpoints.split(',').map((e) => e.trim()) })
      : undefined;
    const elector = etcd
      ? new EtcdLeaderElector({
          client: etcd,
          key: '/borealis/leader/controllers',
          identity: `${hostname()}-${process.pid}`,
        })
      : alwaysLeader();
    const running = await startControllers({
      client,
      masters: flags.mesosMaster.split(',').map((m) => m.trim()),
      elector,
      ...controllerOptions(flags),
    });
    componentLogger('cli').info({ mesos: flags.mesosMaster }, 'controllers running');
    await untilSignal();
    await running.stop();
    await client.close();
    etcd?.close();
  });
}
