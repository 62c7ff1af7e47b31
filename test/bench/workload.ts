/**
 * What the benchmarks apply and how they watch it: a namespace, jobs of simulated tasks, and a
 * tracker that watches Tasks through the API and records when each first reads Running.
 */
import type { Job } from '../../api/v1/job.js';
import type { Task } from '../../api/v1/task.js';
import { Transport } from '../../pkg/client/http/transport.js';
import type { Connection } from '../../pkg/client/kubeconfig.js';
import { JOBS, NAMESPACES, TASKS } from '../../pkg/client/refs.js';
import type { BorealisClient, WatchStream } from '../../pkg/client/types.js';
import type { StoreStats } from '../../pkg/storage/types.js';

export async function createNamespace(client: BorealisClient, name: string): Promise<void> {
  await client.resource(NAMESPACES).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

/** A service job whose tasks the sim executor starts at once and runs until killed. */
export function benchJob(namespace: string, name: string, instances: number): Job {
  return {
    apiVersion: 'borealis.dev/v1',
    kind: 'Job',
    metadata: { name, namespace },
    spec: {
      environment: 'prod',
      instances,
      service: true,
      tier: 'preferred',
      task: { command: 'sleep 3600', resources: { cpus: 0.1, ramMb: 32, diskMb: 32 } },
    },
  } as unknown as Job;
}

/** Create `jobs` jobs with at most `concurrency` requests in flight; returns each job's send time. */
export async function applyJobs(
  client: BorealisClient,
  namespace: string,
  jobs: number,
  instances: number,
  concurrency = 16,
): Promise<Map<string, number>> {
  const sentAt = new Map<string, number>();
  const jobClient = client.resource<Job>(JOBS);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs) {
      const name = `job-${next++}`;
      sentAt.set(name, performance.now());
      await jobClient.create(benchJob(namespace, name, instances));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs) }, worker));
  return sentAt;
}

export interface TaskTracker {
  /** performance.now() at which each task (by name) was first seen Running. */
  readonly runningAt: ReadonlyMap<string, number>;
  /** performance.now() at which each task was first seen at all (created) and Assigned or later. */
  readonly createdAt: ReadonlyMap<string, number>;
  readonly assignedAt: ReadonlyMap<string, number>;
  /** Job name of each task seen. */
  readonly jobOf: ReadonlyMap<string, string>;
  /** Task writes seen (ADDED + MODIFIED events): the Task objects' share of the store writes. */
  taskWrites(): number;
  /** How many tasks the watch last saw in each phase (for a run that did not converge). */
  phases(): Record<string, number>;
  /** Resolves when `count` tasks have been seen Running; rejects after `timeoutMs`. */
  waitForRunning(count: number, timeoutMs: number): Promise<void>;
  close(): void;
}

/** Watch Tasks of `namespace` from `resourceVersion` ("0": current ones first). */
export function trackTasks(client: BorealisClient, namespace: string, resourceVersion: string): TaskTracker {
  const runningAt = new Map<string, number>();
  const jobOf = new Map<string, string>();
  const createdAt = new Map<string, number>();
  const assignedAt = new Map<string, number>();
  let taskWrites = 0;
  const lastPhase = new Map<string, string>();
  let waiter: { count: number; resolve: () => void } | undefined;
  let failure: Error | undefined;
  const stream: WatchStream = client.resource<Task>(TASKS).watch(namespace, resourceVersion, {
    onEvent(type, task) {
      if (type === 'BOOKMARK' || type === 'DELETED') return;
      const name = task.metadata.name ?? '';
      const now = performance.now();
      taskWrites++;
      if (!jobOf.has(name)) {
        jobOf.set(name, task.spec.jobName);
        createdAt.set(name, now);
      }
      const phase = task.status?.phase ?? 'Pending';
      lastPhase.set(name, phase);
      if (phase !== 'Pending' && phase !== 'Throttled' && !assignedAt.has(name)) assignedAt.set(name, now);
      if (task.status?.phase === 'Running' && !runningAt.has(name)) {
        runningAt.set(name, now);
        if (waiter && runningAt.size >= waiter.count) waiter.resolve();
      }
    },
    onError(err) {
      // The benchmark cannot re-list without losing timings; a broken watch fails the run.
      failure = err;
    },
  });
  return {
    runningAt,
    createdAt,
    assignedAt,
    jobOf,
    taskWrites: () => taskWrites,
    phases: () => countPhases(lastPhase.values()),
    waitForRunning: (count, timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        if (runningAt.size >= count) return resolve();
        const timer = setTimeout(
          () =>
            reject(
              failure ?? new Error(`only ${runningAt.size} of ${count} tasks Running after ${timeoutMs} ms`),
            ),
          timeoutMs,
        );
        const check = setInterval(() => {
          if (failure) reject(failure);
        }, 200);
        waiter = {
          count,
          resolve: () => {
            clearTimeout(timer);
            clearInterval(check);
            resolve();
          },
        };
      }),
    close: () => stream.close(),
  };
}

/** The store's revision now, read as the resourceVersion of a list (the store's current revision). */
export async function storeRevision(client: BorealisClient): Promise<number> {
  const page = await client.resource(NAMESPACES).list(undefined, { limit: 1 });
  return Number(page.resourceVersion);
}

export function countPhases(phases: Iterable<string>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const phase of phases) counts[phase] = (counts[phase] ?? 0) + 1;
  return counts;
}

/** What the API server's /metrics says: its store counters and the requests it served. */
export interface ServerCounters {
  readonly store: StoreStats;
  /** Requests served so far, by "verb resource" (all codes). */
  readonly requests: ReadonlyMap<string, number>;
}

/** One read of the server's /metrics. */
export async function serverCounters(conn: Connection): Promise<ServerCounters> {
  const transport = new Transport(conn, 1);
  let text: string;
  try {
    text = await transport.text({ method: 'GET', path: '/metrics' });
  } finally {
    transport.close();
  }
  const read = (name: string): number => {
    const match = new RegExp(`^${name} (\\d+)$`, 'm').exec(text);
    if (!match) throw new Error(`the server's /metrics has no ${name}`);
    return Number(match[1]);
  };
  const requests = new Map<string, number>();
  for (const [, labels, n] of text.matchAll(/^borealis_apiserver_requests_total\{([^}]*)\} (\d+)$/gm)) {
    const label = (name: string): string => new RegExp(`${name}="([^"]*)"`).exec(labels ?? '')?.[1] ?? '?';
    const key = `${label('verb')} ${label('resource')}`;
    requests.set(key, (requests.get(key) ?? 0) + Number(n));
  }
  return {
    store: {
      transactions: read('borealis_storage_transactions_total'),
      writes: read('borealis_storage_writes_total'),
    },
    requests,
  };
}

/** The API server's store counters (transactions and keys written). */
export async function storeStats(conn: Connection): Promise<StoreStats> {
  return (await serverCounters(conn)).store;
}

/** The requests of `after` not in `before`, largest first, as {"verb resource": count}. */
export function requestsBetween(
  before: ReadonlyMap<string, number>,
  after: ReadonlyMap<string, number>,
): Record<string, number> {
  const diff = [...after].map(([k, n]) => [k, n - (before.get(k) ?? 0)] as const).filter(([, n]) => n > 0);
  return Object.fromEntries(diff.sort((a, b) => b[1] - a[1]));
}

/** Nearest-rank percentile of `values` (sorted copy), rounded to 0.1. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round((sorted[rank] ?? Number.NaN) * 10) / 10;
}
