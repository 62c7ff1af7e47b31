/**
 * Benchmark `api`: a started `borealis server` (own process, HTTPS, admin token). Latency of get,
 * list (all `--list-size` Jobs of a namespace), server-side apply and status patch under an
 * open-loop mixed load of `--rate` requests/s for `--seconds`; at the same time `--watchers`
 * watches on another namespace, into which `--watch-writes-per-second` patches go, each carrying
 * its send time: watch delay = when a watcher sees the change - when the patch was sent.
 *
 *   npm run bench -- api [--store memory|etcd] [--rate 600] [--seconds 10] [--list-size 500]
 *     [--watchers 100] [--watch-writes-per-second 10] [--max-in-flight 128] [--cpu-prof <dir>]
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Job } from '../../api/v1/job.js';
import { HttpClient } from '../../pkg/client/http/http-client.js';
import { Transport } from '../../pkg/client/http/transport.js';
import { JOBS } from '../../pkg/client/refs.js';
import type { WatchStream } from '../../pkg/client/types.js';
import { type ApiOp, runLoad } from './api-load.js';
import { type BenchArgs, numberArg } from './args.js';
import { startCluster } from './cluster.js';
import { storeArg } from './launch.js';
import { startLoopTrace } from './loop-trace.js';
import { cpuSeconds, peakRssMb } from './proc-stats.js';
import { applyJobs, benchJob, createNamespace, percentile } from './workload.js';

const SENT = 'bench/sent';

export async function api(args: BenchArgs): Promise<Record<string, unknown>> {
  const store = storeArg(args);
  const rate = numberArg(args, 'rate', 600);
  const seconds = numberArg(args, 'seconds', 10);
  const listSize = numberArg(args, 'list-size', 500);
  const watchers = numberArg(args, 'watchers', 100);
  const watchRate = numberArg(args, 'watch-writes-per-second', 10);
  const maxInFlight = numberArg(args, 'max-in-flight', 128);
  const cluster = await startCluster({ store, agents: 0, cpuProfDir: args['cpu-prof'] });
  // Watches get their own connections so they never queue behind the load's requests.
  const watchClient = new HttpClient(cluster.connection);
  // As many connections as requests may be in flight: the load must not queue in the client.
  const transport = new Transport(cluster.connection, maxInFlight);
  const streams: WatchStream[] = [];
  try {
    await createNamespace(cluster.client, 'api-load');
    await createNamespace(cluster.client, 'api-watch');
    await applyJobs(cluster.client, 'api-load', listSize, 1);
    const jobs = cluster.client.resource<Job>(JOBS);
    const watched = await jobs.create(benchJob('api-watch', 'watched', 1));

    const delays: number[] = [];
    const seen = new Set<number>();
    for (let w = 0; w < watchers; w++) {
      streams.push(
        watchClient.resource<Job>(JOBS).watch('api-watch', watched.metadata.resourceVersion ?? '0', {
          onEvent(type, job) {
            if (type !== 'MODIFIED') return;
            seen.add(w);
            const sent = Number(job.metadata.annotations?.[SENT]);
            if (Number.isFinite(sent) && sent > 0) delays.push(performance.now() - sent);
          },
          onError: () => undefined, // a broken watch shows as missing deliveries
        }),
      );
    }
    const patchWatched = (sent: number) =>
      jobs.patch('api-watch', 'watched', { metadata: { annotations: { [SENT]: String(sent) } } });
    // Warm-up: every watcher has seen one change before anything is timed.
    const warmDeadline = Date.now() + 30_000;
    while (seen.size < watchers && Date.now() < warmDeadline) {
      await patchWatched(0);
      await sleep(200);
    }
    if (seen.size < watchers) throw new Error(`only ${seen.size} of ${watchers} watches delivered`);

    const watchWrites = Math.round(watchRate * seconds);
    const writer = (async () => {
      for (let i = 0; i < watchWrites; i++) {
        await patchWatched(performance.now());
        await sleep(1000 / watchRate);
      }
    })();
    // Diagnostics: with BOREALIS_LOOP_TRACE_DIR, this process's stalls and every answer's timing
    // are written there (the server's too, when started with loop-trace-preload.js).
    const traceDir = process.env['BOREALIS_LOOP_TRACE_DIR'];
    if (traceDir) startLoopTrace(traceDir, 'bench');
    const answers: [string, number, number][] = [];
    const serverCpu0 = cpuSeconds(cluster.server.pid);
    const load = await runLoad(transport, {
      namespace: 'api-load',
      objects: listSize,
      ratePerSecond: rate,
      seconds,
      maxInFlight,
      ...(traceDir ? { onAnswer: (op, at, ms) => answers.push([op, performance.timeOrigin + at, ms]) } : {}),
    });
    if (traceDir) writeFileSync(join(traceDir, 'answers.json'), JSON.stringify(answers));
    const serverCpuSeconds = cpuSeconds(cluster.server.pid) - serverCpu0;
    await writer;
    const expected = watchWrites * watchers;
    const drainDeadline = Date.now() + 10_000;
    while (delays.length < expected && Date.now() < drainDeadline) await sleep(50);

    const figures: Record<string, number> = {};
    for (const op of ['get', 'list', 'apply', 'statusPatch'] as ApiOp[]) {
      figures[`${op}P50Ms`] = percentile(load.latencies[op], 50);
      figures[`${op}P99Ms`] = percentile(load.latencies[op], 99);
    }
    const completed = Object.values(load.latencies).reduce((n, l) => n + l.length, 0);
    return {
      scenario: 'api',
      ...figures,
      watchP50Ms: percentile(delays, 50),
      watchP99Ms: percentile(delays, 99),
      watchDeliveries: delays.length,
      watchDeliveriesExpected: expected,
      requests: load.sent,
      completed,
      errors: load.errors,
      ...(load.firstError ? { firstError: load.firstError } : {}),
      skipped: load.skipped,
      achievedRequestsPerSecond: Math.round(completed / load.seconds),
      // Server CPU (user + system, /proc) over the load, per completed request; the watch writes
      // (10/s) and their fan-out are in it too. Less at the mercy of a shared machine than latency.
      serverCpuMsPerRequest: Number(((serverCpuSeconds * 1000) / Math.max(1, completed)).toFixed(3)),
      serverPeakRssMb: peakRssMb(cluster.server.pid),
      config: {
        store,
        rate,
        seconds,
        listSize,
        watchers,
        watchWritesPerSecond: watchRate,
        maxInFlight,
        mix: '40% get, 25% apply, 25% status patch, 10% list',
        processes: 'server: own process; load and watchers: this process',
        node: process.version,
        cpus: cpus().length,
      },
    };
  } finally {
    for (const s of streams) s.close();
    transport.close();
    await watchClient.close();
    await cluster.stop();
  }
}
