/**
 * Starts a real etcd (the `etcd` binary from Debian's etcd-server) on free loopback ports with a
 * temporary data dir, waits until it reports healthy, and stops it (removing the data dir unless
 * told to keep it). Used by the test suite and by the benchmarks.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './ports.js';

export interface EtcdServer {
  /** Client URL, e.g. http://127.0.0.1:23790 */
  readonly endpoint: string;
  readonly dataDir: string;
  /** The etcd process's pid while it runs (benchmarks report its CPU and memory). */
  pid(): number | undefined;
  /** Stop the process (SIGTERM, then SIGKILL after 5 s). Keeps the data dir for restart(). */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Start again on the same ports and data dir (after kill()). */
  restart(): Promise<void>;
  /** Stop and remove the data dir. Safe to call twice. */
  stop(): Promise<void>;
}

export async function startEtcd(): Promise<EtcdServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'borealis-etcd-'));
  const clientPort = await freePort();
  const peerPort = await freePort();
  const endpoint = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const args = [
    '--name=borealis-test',
    `--data-dir=${dataDir}`,
    `--listen-client-urls=${endpoint}`,
    `--advertise-client-urls=${endpoint}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=borealis-test=${peer}`,
    '--log-level=error',
    '--logger=zap',
  ];
  let child: ChildProcess | undefined;
  let stderr = '';
  let stopped = false;

  const launch = async (): Promise<void> => {
    stderr = '';
    const proc = spawn('etcd', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child = proc;
    proc.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const exited = new Promise<never>((_, reject) => {
      proc.once('exit', (code) => reject(new Error(`etcd exited with code ${code} during start: ${stderr}`)));
      proc.once('error', (err) =>
        reject(new Error(`could not start etcd (is etcd-server installed?): ${err.message}`)),
      );
    });
    exited.catch(() => undefined);
    await Promise.race([waitHealthy(endpoint), exited]);
  };

  const kill = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(signal);
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(timer);
  };

  await launch();
  return {
    endpoint,
    dataDir,
    pid: () => child?.pid,
    kill,
    restart: launch,
    async stop() {
      if (stopped) return;
      stopped = true;
      await kill();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function waitHealthy(endpoint: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${endpoint}/health`);
      const body = (await res.json()) as { health?: string };
      if (body.health === 'true') return;
      last = JSON.stringify(body);
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await sleep(50);
  }
  throw new Error(`etcd at ${endpoint} did not become healthy in ${timeoutMs} ms: ${last}`);
}
