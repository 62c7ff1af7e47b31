/**
 * Benchmark `writes`: the API server's CPU per write, by kind of write. `--writes` Task creates,
 * then as many status updates (updateStatus, PUT /status), then as many status merge patches,
 * `--concurrency` in flight, Task objects shaped as the jobs and task controllers write them.
 *
 * In-process (always): a server from `serve()` (memory store with its fsynced WAL in a temp data
 * dir) in this process, driven through InProcessClient, as `borealis up` runs the controllers;
 * CPU is this process's (process.cpuUsage), so it includes the client-side copies a controller
 * pays too. With `--http`, the same over HTTPS against `borealis server` in its own process
 * (dist/), CPU read from /proc for the server alone (10 ms ticks: use enough writes).
 *
 *   npm run bench -- writes [--writes 2000] [--concurrency 16] [--http [--cpu-prof <dir>]]
 *
 * `--cpu-prof` writes a V8 profile of the HTTP server (see profile-top.ts); for the in-process
 * figures run the bench itself under `node --cpu-prof`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job } from '../../api/v1/job.js';
import type { Task, TaskEvent, TaskStatus } from '../../api/v1/task.js';
import { buildTask } from '../../controllers/jobs/task-builder.js';
import { serve } from '../../pkg/apiserver/serve.js';
import { InProcessClient } from '../../pkg/client/in-process/in-process-client.js';
import { JOBS, TASKS } from '../../pkg/client/refs.js';
import type { BorealisClient } from '../../pkg/client/types.js';
import { type BenchArgs, numberArg } from './args.js';
import { startCluster } from './cluster.js';
import { cpuSeconds } from './proc-stats.js';
import { benchJob, createNamespace } from './workload.js';

const NAMESPACE = 'bench-writes';
const KINDS = ['create', 'updateStatus', 'statusPatch'] as const;
type WriteKind = (typeof KINDS)[number];

interface PhaseFigures {
  readonly cpuUsPerWrite: number;
  readonly writesPerSecond: number;
}

function event(phase: TaskEvent['phase'], second: number, message: string): TaskEvent {
  return { time: `2026-11-22T05:00:${String(second).padStart(2, '0')}Z`, phase, message, source: 'bench' };
}

/** What the task controller writes when a task is placed: Assigned, with host, ports and events. */
function assignedStatus(i: number): TaskStatus {
  return {
    observedGeneration: 1,
    phase: 'Assigned',
    host: `agent-${i % 100}.bench`,
    agentId: `agent-${i % 100}-S0`,
    ports: { http: 31000 + (i % 1000) },
    assignedAt: '2026-11-22T05:00:01Z',
    lastTransitionTime: '2026-11-22T05:00:01Z',
    events: [event('Pending', 0, 'new instance'), event('Assigned', 1, `placed on agent-${i % 100}`)],
  };
}

/** The merge patch of a Mesos status update: Running, with the whole events list (lists are atomic). */
function runningPatch(i: number): unknown {
  return {
    status: {
      phase: 'Running',
      mesosState: 'TASK_RUNNING',
      startedAt: '2026-11-22T05:00:03Z',
      lastTransitionTime: '2026-11-22T05:00:03Z',
      events: [
        ...(assignedStatus(i).events ?? []),
        event('Starting', 2, 'TASK_STARTING'),
        event('Running', 3, 'TASK_RUNNING'),
      ],
    },
  };
}

async function runPhase(
  n: number,
  concurrency: number,
  cpuMs: () => number,
  write: (i: number) => Promise<void>,
): Promise<PhaseFigures> {
  let next = 0;
  const cpu0 = cpuMs();
  const t0 = performance.now();
  const worker = async (): Promise<void> => {
    while (next < n) await write(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  return {
    cpuUsPerWrite: Math.round(((cpuMs() - cpu0) * 1000) / n),
    writesPerSecond: Math.round(n / seconds),
  };
}

/** Runs the three phases through `client`; returns figures per kind of write. */
async function writeTasks(
  client: BorealisClient,
  n: number,
  concurrency: number,
  cpuMs: () => number,
): Promise<Record<WriteKind, PhaseFigures>> {
  await createNamespace(client, NAMESPACE);
  const job = await client.resource<Job>(JOBS).create(benchJob(NAMESPACE, 'writes', n));
  const tasks = client.resource<Task>(TASKS);
  const created: Task[] = [];
  const create = await runPhase(n, concurrency, cpuMs, async (i) => {
    const planned = { name: `writes-${i}-0`, instance: i, phase: 'Pending', failureCount: 0, reason: 'new' };
    created[i] = await tasks.create(buildTask(job, planned as Parameters<typeof buildTask>[1]));
  });
  const updateStatus = await runPhase(n, concurrency, cpuMs, async (i) => {
    await tasks.updateStatus({ ...created[i]!, status: assignedStatus(i) });
  });
  const statusPatch = await runPhase(n, concurrency, cpuMs, async (i) => {
    await tasks.patch(NAMESPACE, `writes-${i}-0`, runningPatch(i), { status: true });
  });
  return { create, updateStatus, statusPatch };
}

function flatten(prefix: string, figures: Record<WriteKind, PhaseFigures>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const kind of KINDS) {
    const name = `${prefix}${kind[0]!.toUpperCase()}${kind.slice(1)}`;
    out[`${name}CpuUsPerWrite`] = figures[kind].cpuUsPerWrite;
    out[`${name}WritesPerSecond`] = figures[kind].writesPerSecond;
  }
  return out;
}

const processCpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function inProcess(n: number, concurrency: number): Promise<Record<WriteKind, PhaseFigures>> {
  const dir = await mkdtemp(join(tmpdir(), 'borealis-bench-writes-'));
  const serving = await serve({ dataDir: dir, port: 0 });
  const client = new InProcessClient(serving.server);
  try {
    return await writeTasks(client, n, concurrency, processCpuMs);
  } finally {
    await client.close();
    await serving.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function overHttp(
  n: number,
  concurrency: number,
  cpuProfDir: string | undefined,
): Promise<Record<WriteKind, PhaseFigures>> {
  const cluster = await startCluster({ store: 'memory', agents: 0, cpuProfDir });
  try {
    return await writeTasks(cluster.client, n, concurrency, () => cpuSeconds(cluster.server.pid) * 1000);
  } finally {
    await cluster.stop();
  }
}

export async function writes(args: BenchArgs): Promise<Record<string, unknown>> {
  const n = numberArg(args, 'writes', 2000);
  const concurrency = numberArg(args, 'concurrency', 16);
  const http = args['http'] === 'true';
  const local = await inProcess(n, concurrency);
  process.stderr.write(`in-process: ${JSON.stringify(local)}\n`);
  const remote = http ? await overHttp(n, concurrency, args['cpu-prof']) : undefined;
  if (remote) process.stderr.write(`http (server process CPU): ${JSON.stringify(remote)}\n`);
  return {
    scenario: 'writes',
    ...flatten('inProcess', local),
    ...(remote ? flatten('http', remote) : {}),
    config: {
      writes: n,
      concurrency,
      http,
      store: 'memory (fsynced WAL in a temp data dir)',
      node: process.version,
      cpus: cpus().length,
    },
  };
}
