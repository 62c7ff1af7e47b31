/**
 * Benchmark `launch`: J jobs x I instances on A simulated agents. Processes: `borealis
 * mesos-local` (sim executor), `borealis server` and `borealis controllers`, each its own; this
 * process creates the Jobs through the API and watches Tasks through the API. Measured from the
 * first Job create to the last task seen Running.
 *
 *   npm run bench -- launch [--store memory|etcd] [--topology combined|split] [--jobs 100] [--instances 100] [--agents 1000]
 *     [--allocation-interval 50] [--timeout-s 600] [--raw-objects 20000] [--cpu-prof <dir>]
 */
import { cpus } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Task } from '../../api/v1/task.js';
import { TASKS } from '../../pkg/client/refs.js';
import { type BenchArgs, numberArg } from './args.js';
import { type StoreKind, startCluster, type Topology } from './cluster.js';
import { cpuSeconds, peakRssMb } from './proc-stats.js';
import { rawStoreWritesPerSecond } from './raw-writes.js';
import { waitForQuietCluster } from './settle.js';
import { applyJobs, countPhases, createNamespace, percentile, storeStats, trackTasks } from './workload.js';

export function storeArg(args: BenchArgs): StoreKind {
  const store = args['store'] ?? 'memory';
  if (store !== 'memory' && store !== 'etcd') throw new Error(`--store must be memory or etcd, not ${store}`);
  return store;
}

export function topologyArg(args: BenchArgs): Topology {
  const topology = args['topology'] ?? 'combined';
  if (topology !== 'split' && topology !== 'combined')
    throw new Error(`--topology must be split or combined, not ${topology}`);
  return topology;
}

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

export async function launch(args: BenchArgs): Promise<Record<string, unknown>> {
  const store = storeArg(args);
  const jobs = numberArg(args, 'jobs', 100);
  const instances = numberArg(args, 'instances', 100);
  const agents = numberArg(args, 'agents', 1000);
  const allocationIntervalMs = numberArg(args, 'allocation-interval', 50);
  const timeoutMs = numberArg(args, 'timeout-s', 600) * 1000;
  const rawObjects = numberArg(args, 'raw-objects', 20_000);
  const total = jobs * instances;
  const perTask = (n: number): number => Math.round((n / total) * 100) / 100;
  const topology = topologyArg(args);
  const cluster = await startCluster({
    store,
    topology,
    agents,
    allocationIntervalMs,
    cpuProfDir: args['cpu-prof'],
  });
  try {
    const controllers = cluster.controllers();
    if (!controllers || !cluster.mesos) throw new Error('launch needs Mesos and the controllers');
    await createNamespace(cluster.client, 'bench');
    const before = await waitForQuietCluster(cluster.client, controllers, agents, 120_000);
    log(`cluster quiet at revision ${before}; applying ${jobs} x ${instances}`);
    const tracker = trackTasks(cluster.client, 'bench', String(before));
    const stats0 = await storeStats(cluster.connection);
    // CPU each process spends on the launch: with writes counted, the API server's CPU per write
    // bounds tasks/s (one core / (CPU per write x writes per task)). combined: server and
    // controllers are one process, reported as "borealis".
    const etcdPid = cluster.etcd?.pid();
    const pids: Record<string, number> = {
      ...(topology === 'combined'
        ? { borealis: cluster.server.pid, mesos: cluster.mesos.pid }
        : { server: cluster.server.pid, controllers: controllers.pid, mesos: cluster.mesos.pid }),
      ...(etcdPid === undefined ? {} : { etcd: etcdPid }),
    };
    const cpu0 = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid)]));
    const bench0 = process.cpuUsage();
    const progress = setInterval(() => log(`  running ${tracker.runningAt.size} / ${total}`), 2000);
    const start = performance.now();
    const sentAt = await applyJobs(cluster.client, 'bench', jobs, instances);
    const applySeconds = (performance.now() - start) / 1000;
    try {
      await tracker.waitForRunning(total, timeoutMs);
    } catch (err) {
      // Say where the run stuck: what the watch saw, what a fresh list says, what the processes said.
      const listed = await cluster.client.resource<Task>(TASKS).list('bench');
      log(`watch saw phases ${JSON.stringify(tracker.phases())}`);
      log(
        `list says phases ${JSON.stringify(countPhases(listed.items.map((t) => t.status?.phase ?? 'Pending')))}`,
      );
      for (const [name, child] of Object.entries({
        server: cluster.server,
        controllers,
        mesos: cluster.mesos,
      }))
        log(`--- ${name} output (tail) ---\n${child.output().slice(-20_000)}`);
      // To look at a stuck cluster by hand (kubectl with the cluster's kubeconfig) before teardown.
      const holdSeconds = Number(process.env['BENCH_HOLD_ON_FAILURE_S'] ?? 0);
      if (holdSeconds > 0) {
        log(`holding the cluster ${holdSeconds} s: ${JSON.stringify(cluster.connection.server)}`);
        await sleep(holdSeconds * 1000);
      }
      throw err;
    } finally {
      clearInterval(progress);
    }
    const lastRunning = Math.max(...tracker.runningAt.values());
    const seconds = (lastRunning - start) / 1000;
    const atConverged = await storeStats(cluster.connection);
    const benchCpu = process.cpuUsage(bench0);
    const cpuUsed: Record<string, number> = {
      ...Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid) - (cpu0[k] ?? 0)])),
      bench: (benchCpu.user + benchCpu.system) / 1e6,
    };
    // Writes that follow the last Running (job status catching up) are part of the launch's cost.
    await sleep(2000);
    const after = await storeStats(cluster.connection);
    tracker.close();
    const latencies: number[] = [];
    // Where the time goes: apply → Task created → Assigned (placement) → Running (Mesos update).
    const stages = { created: [] as number[], assigned: [] as number[], running: [] as number[] };
    for (const [task, at] of tracker.runningAt) {
      const sent = sentAt.get(tracker.jobOf.get(task) ?? '');
      const created = tracker.createdAt.get(task);
      const assigned = tracker.assignedAt.get(task);
      if (sent === undefined || created === undefined || assigned === undefined) continue;
      latencies.push(at - sent);
      stages.created.push(created - sent);
      stages.assigned.push(assigned - created);
      stages.running.push(at - assigned);
    }
    const stage = (l: number[]) => ({ p50: percentile(l, 50), p99: percentile(l, 99) });
    const rss: Record<string, number> = {
      ...Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, peakRssMb(pid)])),
      bench: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    log('measuring raw store writes');
    const raw = await rawStoreWritesPerSecond(store, rawObjects, cluster.etcd?.endpoint);
    return {
      scenario: 'launch',
      converged: tracker.runningAt.size >= total,
      tasks: total,
      running: tracker.runningAt.size,
      seconds: Math.round(seconds * 100) / 100,
      applySeconds: Math.round(applySeconds * 100) / 100,
      tasksPerSecond: Math.round(total / seconds),
      p50ApplyToRunningMs: percentile(latencies, 50),
      p99ApplyToRunningMs: percentile(latencies, 99),
      stagesMs: {
        applyToCreated: stage(stages.created),
        createdToAssigned: stage(stages.assigned),
        assignedToRunning: stage(stages.running),
      },
      // Keys written (objects created, updated, deleted) and the store transactions that wrote
      // them: on etcd, single-key writes are group-committed, several per transaction.
      storeWritesPerTask: perTask(after.writes - stats0.writes),
      storeTransactionsPerTask: perTask(after.transactions - stats0.transactions),
      storeWritesPerTaskAtConverged: perTask(atConverged.writes - stats0.writes),
      taskObjectWritesPerTask: Math.round((tracker.taskWrites() / total) * 100) / 100,
      storeWritesPerSecond: Math.round((atConverged.writes - stats0.writes) / seconds),
      storeTransactionsPerSecond: Math.round((atConverged.transactions - stats0.transactions) / seconds),
      rawStoreWritesPerSecond: raw,
      cpuPercentOfOneCore: Object.fromEntries(
        Object.entries(cpuUsed).map(([k, v]) => [k, Math.round((v / seconds) * 100)]),
      ),
      // combined: the whole control plane's CPU (server and controllers) per store write.
      serverCpuMsPerStoreWrite:
        Math.round(
          (((cpuUsed['server'] ?? cpuUsed['borealis'] ?? 0) * 1000) /
            Math.max(1, atConverged.writes - stats0.writes)) *
            100,
        ) / 100,
      peakRssMb: rss,
      config: {
        store,
        agents,
        jobs,
        instances,
        allocationIntervalMs,
        topology,
        processes:
          topology === 'combined'
            ? 'mesos-local; borealis up (server + controllers, in-process client)'
            : 'mesos-local, server, controllers: one process each',
        node: process.version,
        cpus: cpus().length,
      },
    };
  } finally {
    await cluster.stop();
  }
}
