/**
 * Benchmark `scale`: `--tasks` tasks (jobs of `--instances`) on `--agents` simulated agents, the
 * same three processes as `launch`. Figures: time to converge (every task Running through the
 * API), control plane (server + controllers) peak RSS, their CPU over `--idle-seconds` after
 * convergence, and the resync after the controllers are killed (SIGKILL) and started again: from
 * the new process's start to its "explicit reconciliation done", then checked that every task was
 * adopted (same Task names, all Running, same live Mesos tasks, none ended) and none relaunched.
 *
 *   npm run bench -- scale [--tasks 100000] [--agents 10000] [--instances 1000] [--store memory|etcd]
 *     [--idle-seconds 30] [--allocation-interval 50] [--timeout-s 1800] [--resync-timeout-s <timeout-s>]
 *     [--cpu-prof <dir>]
 */
import { cpus } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { type BenchArgs, numberArg } from './args.js';
import { startCluster } from './cluster.js';
import { storeArg } from './launch.js';
import { cpuSeconds, peakRssMb, rssMb } from './proc-stats.js';
import { waitForQuietCluster } from './settle.js';
import { mesosTasks, setDifference, taskPhases } from './verify.js';
import { applyJobs, createNamespace, requestsBetween, serverCounters, trackTasks } from './workload.js';

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

const round1 = (n: number): number => Math.round(n * 10) / 10;

export async function scale(args: BenchArgs): Promise<Record<string, unknown>> {
  const store = storeArg(args);
  const tasks = numberArg(args, 'tasks', 100_000);
  const agents = numberArg(args, 'agents', 10_000);
  const instances = Math.min(tasks, numberArg(args, 'instances', 1000));
  const idleSeconds = numberArg(args, 'idle-seconds', 30);
  const allocationIntervalMs = numberArg(args, 'allocation-interval', 50);
  const timeoutMs = numberArg(args, 'timeout-s', 1800) * 1000;
  // A resync that takes minutes has failed its 15 s target already; no need to wait it out.
  const resyncTimeoutMs = numberArg(args, 'resync-timeout-s', timeoutMs / 1000) * 1000;
  if (tasks % instances !== 0) throw new Error('--tasks must be a multiple of --instances');
  const jobs = tasks / instances;
  const cluster = await startCluster({ store, agents, allocationIntervalMs, cpuProfDir: args['cpu-prof'] });
  try {
    const first = cluster.controllers();
    if (!first || !cluster.mesos || !cluster.mesosUrl)
      throw new Error('scale needs Mesos and the controllers');
    await createNamespace(cluster.client, 'scale');
    const before = await waitForQuietCluster(cluster.client, first, agents, timeoutMs);
    log(`cluster of ${agents} agents quiet; applying ${jobs} x ${instances}`);
    const tracker = trackTasks(cluster.client, 'scale', String(before));
    const progress = setInterval(() => log(`  running ${tracker.runningAt.size} / ${tasks}`), 5000);
    const start = performance.now();
    await applyJobs(cluster.client, 'scale', jobs, instances);
    // A run that does not converge in time still reports how far it got (and stops there).
    const converged = await tracker.waitForRunning(tasks, timeoutMs).then(
      () => true,
      (err: unknown) => {
        log(`not converged: ${err instanceof Error ? err.message : String(err)}`);
        return false;
      },
    );
    clearInterval(progress);
    tracker.close();
    if (!converged) {
      return {
        scenario: 'scale',
        converged,
        tasks,
        running: tracker.runningAt.size,
        secondsElapsed: round1((performance.now() - start) / 1000),
        controlPlaneRssMb: peakRssMb(cluster.server.pid) + peakRssMb(first.pid),
        config: { store, agents, jobs, instances, node: process.version, cpus: cpus().length },
      };
    }
    const secondsToConverge = (Math.max(...tracker.runningAt.values()) - start) / 1000;
    log(`converged in ${round1(secondsToConverge)} s; idle for ${idleSeconds} s`);

    const controlPlane = [cluster.server.pid, first.pid];
    const cpu = (pids: readonly number[]) => pids.reduce((s, p) => s + cpuSeconds(p), 0);
    const cpu0 = cpu(controlPlane);
    const serverCpu0 = cpuSeconds(cluster.server.pid);
    const mesosCpu0 = cpuSeconds(cluster.mesos.pid);
    const counters0 = await serverCounters(cluster.connection);
    const idleStart = performance.now();
    await sleep(idleSeconds * 1000);
    const idleWall = (performance.now() - idleStart) / 1000;
    const idleCpuPercent = ((cpu(controlPlane) - cpu0) / idleWall) * 100;
    const serverIdleCpuPercent = ((cpuSeconds(cluster.server.pid) - serverCpu0) / idleWall) * 100;
    // What the control plane still wrote while "idle" (Host usage, Job status, ...).
    const counters1 = await serverCounters(cluster.connection);
    const idleStoreWrites = counters1.store.writes - counters0.store.writes;
    const idleRequests = requestsBetween(counters0.requests, counters1.requests);
    const mesosIdleCpuPercent = ((cpuSeconds(cluster.mesos.pid) - mesosCpu0) / idleWall) * 100;
    const peak = {
      server: peakRssMb(cluster.server.pid),
      controllers: peakRssMb(first.pid),
      mesos: peakRssMb(cluster.mesos.pid),
    };
    const nowRss = { server: rssMb(cluster.server.pid), controllers: rssMb(first.pid) };

    log('killing the controllers (SIGKILL) and starting them again');
    const mesosBefore = await mesosTasks(cluster.mesosUrl);
    await first.stop('SIGKILL');
    const restartedAt = performance.now();
    const second = cluster.startControllers();
    const resynced = await second.waitFor(/explicit reconciliation done/, resyncTimeoutMs).then(
      () => true,
      (err: unknown) => {
        log(`no resync: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
        log(`controllers' last output:\n${second.output().slice(-2000)}`);
        return false;
      },
    );
    const resyncSeconds = (performance.now() - restartedAt) / 1000;
    // Give a wrong relaunch (jobs controller replacing "missing" instances) time to show.
    await sleep(Math.min(10_000, 2000 + tasks / 50));
    const phases = await taskPhases(cluster.client, 'scale');
    const mesosAfter = await mesosTasks(cluster.mesosUrl);
    const apiDiff = setDifference(tracker.runningAt.keys(), new Set(phases.keys()));
    const mesosDiff = setDifference(mesosBefore.live, mesosAfter.live);
    const running = [...phases.values()].filter((p) => p === 'Running').length;
    const adopted =
      running === tasks && apiDiff.missing === 0 && apiDiff.added === 0 && mesosDiff.missing === 0;
    const relaunched = mesosDiff.added + (mesosAfter.completed - mesosBefore.completed);
    return {
      scenario: 'scale',
      converged,
      tasks,
      running: tracker.runningAt.size,
      secondsToConverge: round1(secondsToConverge),
      tasksPerSecond: Math.round(tasks / secondsToConverge),
      controlPlaneRssMb: peak.server + peak.controllers,
      controlPlaneRssNowMb: nowRss.server + nowRss.controllers,
      peakRssMb: peak,
      idleCpuPercent: round1(idleCpuPercent),
      idleCpuPercentOfServer: round1(serverIdleCpuPercent),
      idleStoreWrites,
      idleRequests,
      mesosIdleCpuPercent: round1(mesosIdleCpuPercent),
      resyncSeconds: round1(resyncSeconds),
      resynced,
      adopted,
      runningAfterResync: running,
      tasksAddedAfterResync: apiDiff.added,
      relaunched,
      config: {
        store,
        agents,
        jobs,
        instances,
        idleSeconds,
        allocationIntervalMs,
        processes: 'mesos-local, server, controllers: one process each',
        node: process.version,
        cpus: cpus().length,
      },
    };
  } finally {
    await cluster.stop();
  }
}
