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

/**
 * split: `borealis server` and `borealis controllers` in their own processes, talking HTTPS (the
 * multi-process production shape). combined: `borealis up --mesos-master …`, the API server and
 * the controllers in one process with the in-process client (the single-binary shape). The master
 * is its own process in both.
 */
export type Topology = 'split' | 'combined';

export interface ClusterOptions {
  readonly store: StoreKind;
  /** Simulated agents; 0 starts no Mesos master and no controllers (API server only). */
  readonly agents: number;
  readonly allocationIntervalMs?: number;
  /** Default split. combined needs agents > 0 and cannot restart the controllers alone. */
  readonly topology?: Topology;
  /** V8 CPU profiles of every Borealis process go here when they exit. */
  readonly cpuProfDir?: string | undefined;
}

export interface Cluster {
  readonly store: StoreKind;
  readonly topology: Topology;
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

function startMesos(o: ClusterOptions, prof: { cpuProfDir: string | undefined }): Child {
  return spawnBorealis(
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
}

export async function startCluster(o: ClusterOptions): Promise<Cluster> {
  const topology = o.topology ?? 'split';
  if (topology === 'combined' && o.agents === 0) throw new Error('the combined topology needs agents');
  const dir = await mkdtemp(join(tmpdir(), `borealis-bench-${o.store}-`));
  const etcd = o.store === 'etcd' ? await startEtcd() : undefined;
  const prof = { cpuProfDir: o.cpuProfDir };
  let mesos: Child | undefined;
  let mesosUrl: string | undefined;
  let server: Child | undefined;
  let controllers: Child | undefined;
  const stop = async (): Promise<void> => {
    if (controllers !== server) await controllers?.stop();
    await mesos?.stop();
    await server?.stop();
    await etcd?.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    if (o.agents > 0) {
      mesos = startMesos(o, prof);
      mesosUrl = (await mesos.waitFor(/listening on (http:\/\/\S+)/, 120_000))[1];
    }
    const storeArgs = ['--store', o.store, ...(etcd ? ['--etcd-endpoints', etcd.endpoint] : [])];
    const port = String(await freePort());
    server =
      topology === 'combined'
        ? spawnBorealis(
            ['up', '--data-dir', dir, '--port', port, '--mesos-master', mesosUrl ?? '', ...storeArgs],
            // Info level: the controllers log one line when explicit reconciliation is done.
            { ...prof, logLevel: 'info' },
          )
        : spawnBorealis(['server', '--data-dir', dir, '--port', port, ...storeArgs], prof);
    const connection = await waitForServer(join(dir, 'kubeconfig'), server);
    const startControllers = (): Child => {
      if (!mesosUrl) throw new Error('no Mesos master in this cluster');
      if (topology === 'combined') throw new Error('combined topology: the controllers share the server');
      controllers = spawnBorealis(
        ['controllers', '--kubeconfig', join(dir, 'kubeconfig'), '--mesos-master', mesosUrl],
        { ...prof, logLevel: 'info' },
      );
      return controllers;
    };
    if (topology === 'combined') controllers = server;
    else if (mesosUrl) startControllers();
    const client = new HttpClient(connection);
    const serverChild = server;
    return {
      store: o.store,
      topology,
      connection,
      client,
      etcd,
      server: serverChild,
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
