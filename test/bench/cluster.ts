/**
 * The system under benchmark, each part in its own process as in production: the embedded Mesos
 * master (`borealis mesos-local --executor sim`), the API server (`borealis server`, memory store
 * in a temp data dir or etcd via startEtcd()) and the controllers (`borealis controllers`). The
 * bench process only drives and observes through the API, so its own work does not share an
 * event loop with what it measures.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpClient } from '../../pkg/client/http/http-client.js';
import { type Connection, readKubeconfig } from '../../pkg/client/kubeconfig.js';
import { NAMESPACES } from '../../pkg/client/refs.js';
import { type EtcdServer, startEtcd } from '../harness/etcd.js';
import { freePort } from '../harness/ports.js';
import { type Child, spawnBorealis } from './spawn.js';

export type StoreKind = 'memory' | 'etcd';

export interface ClusterOptions {
  readonly store: StoreKind;
  /** Simulated agents; 0 starts no Mesos master and no controllers (API server only). */
  readonly agents: number;
  readonly allocationIntervalMs?: number;
  /** V8 CPU profiles of every Borealis process go here when they exit. */
  readonly cpuProfDir?: string | undefined;
}

export interface Cluster {
  readonly store: StoreKind;
  readonly connection: Connection;
  readonly client: HttpClient;
  readonly etcd: EtcdServer | undefined;
  readonly server: Child;
  readonly mesos: Child | undefined;
  readonly mesosUrl: string | undefined;
  /** The current controllers process (replaced by restartControllers). */
  controllers(): Child | undefined;
  /** Start a new controllers process (after the old one was killed). */
  startControllers(): Child;
  stop(): Promise<void>;
}

async function waitForServer(kubeconfig: string, server: Child): Promise<Connection> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (server.process.exitCode !== null) throw new Error(`borealis server exited:\n${server.output()}`);
    if (existsSync(kubeconfig)) {
      try {
        const conn = await readKubeconfig(kubeconfig);
        const probe = new HttpClient(conn);
        await probe.resource(NAMESPACES).list(undefined, { limit: 1 });
        await probe.close();
        return conn;
      } catch (err) {
        if (Date.now() > deadline) throw err;
      }
    }
    if (Date.now() > deadline) throw new Error(`borealis server not ready in 60 s:\n${server.output()}`);
    await sleep(100);
  }
}

export async function startCluster(o: ClusterOptions): Promise<Cluster> {
  const dir = await mkdtemp(join(tmpdir(), `borealis-bench-${o.store}-`));
  const etcd = o.store === 'etcd' ? await startEtcd() : undefined;
  const prof = { cpuProfDir: o.cpuProfDir };
  const server = spawnBorealis(
    [
      'server',
      '--data-dir',
      dir,
      '--port',
      String(await freePort()),
      '--store',
      o.store,
      ...(etcd ? ['--etcd-endpoints', etcd.endpoint] : []),
    ],
    prof,
  );
  const kubeconfig = join(dir, 'kubeconfig');
  let mesos: Child | undefined;
  let mesosUrl: string | undefined;
  let controllers: Child | undefined;
  const stop = async (): Promise<void> => {
    await controllers?.stop();
    await mesos?.stop();
    await server.stop();
    await etcd?.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const connection = await waitForServer(kubeconfig, server);
    if (o.agents > 0) {
      mesos = spawnBorealis(
        [
          'mesos-local',
          '--port',
          '0',
          '--agents',
          String(o.agents),
          '--executor',
          'sim',
          '--allocation-interval',
          String(o.allocationIntervalMs ?? 50),
        ],
        prof,
      );
      mesosUrl = (await mesos.waitFor(/listening on (http:\/\/\S+)/, 120_000))[1];
    }
    // Info level: the controllers log one line when explicit reconciliation is done (resync).
    const startControllers = (): Child => {
      if (!mesosUrl) throw new Error('no Mesos master in this cluster');
      controllers = spawnBorealis(['controllers', '--kubeconfig', kubeconfig, '--mesos-master', mesosUrl], {
        ...prof,
        logLevel: 'info',
      });
      return controllers;
    };
    if (mesosUrl) startControllers();
    const client = new HttpClient(connection);
    return {
      store: o.store,
      connection,
      client,
      etcd,
      server,
      mesos,
      mesosUrl,
      controllers: () => controllers,
      startControllers,
      stop: async () => {
        await client.close();
        await stop();
      },
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
