/**
 * Benchmark (not a test): start the embedded master with N sim agents, subscribe one raw
 * framework over HTTP, launch tasks as fast as offers allow (several per offer), acknowledge every
 * update, and stop when all tasks are RUNNING. The framework runs in a worker thread so the
 * event-loop delay measured is the master's own. Prints progress on stderr and, as its last line
 * on stdout, one JSON object:
 *   {"agents","tasks","seconds","tasksPerSecond","maxEventLoopStallMs","p99EventLoopDelayMs","node","cpus"}
 *
 *   npx tsc -p tsconfig.build.json && node dist/test/bench/mesos-launch.js --agents 10000
 */
import { Agent, request } from 'node:http';
import { cpus } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { EventEnvelope, Offer, TaskInfo } from '../../pkg/mesos/types.js';
import { startMesosLocal } from '../../pkg/mesoslocal/index.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

const agents = arg('agents', 1000);
const tasksPerOffer = arg('tasks-per-agent', 4);
const target = agents * tasksPerOffer;
const httpAgent = new Agent({ keepAlive: true, maxSockets: 8 });

function post(url: string, body: unknown, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent: httpAgent, headers: { 'Content-Type': 'application/json', ...headers } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** Minimal RecordIO decoding on bytes. */
function recordDecoder(onRecord: (record: Buffer) => void): (chunk: Buffer) => void {
  let buffer: Buffer = Buffer.alloc(0);
  return (chunk) => {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    for (;;) {
      const newline = buffer.indexOf(0x0a);
      if (newline < 0) return;
      const length = Number(buffer.subarray(0, newline).toString('ascii'));
      if (buffer.length < newline + 1 + length) return;
      onRecord(buffer.subarray(newline + 1, newline + 1 + length));
      buffer = buffer.subarray(newline + 1 + length);
    }
  };
}

interface FrameworkResult {
  readonly seconds: number;
}

/** The raw framework (worker thread): launch `target` tasks at `url`, resolve when all run. */
async function runFramework(url: string): Promise<FrameworkResult> {
  let frameworkId = '';
  let streamId = '';
  let launched = 0;
  let running = 0;
  let nextTask = 0;
  let finished = false;
  const started = performance.now();
  const call = (type: string, fields: Record<string, unknown>) =>
    post(
      url,
      { framework_id: { value: frameworkId }, type, ...fields },
      { 'Mesos-Stream-Id': streamId },
    ).catch((err: unknown) => {
      if (!finished) throw err; // calls cut off by the shutdown at the end do not matter
      return 0;
    });
  const done = new Promise<void>((resolve, reject) => {
    const onEvent = (event: EventEnvelope): void => {
      if (event.subscribed !== undefined) frameworkId = event.subscribed.framework_id.value;
      for (const offer of event.offers?.offers ?? []) launchOn(offer);
      const status = event.update?.status;
      if (status?.uuid !== undefined) {
        if (status.state === 'TASK_RUNNING' && ++running === target) resolve();
        void call('ACKNOWLEDGE', {
          acknowledge: { agent_id: status.agent_id, task_id: status.task_id, uuid: status.uuid },
        });
      }
    };
    const launchOn = (offer: Offer): void => {
      const tasks: TaskInfo[] = [];
      for (let i = 0; i < tasksPerOffer && launched < target; i++, launched++) {
        const id = `bench-${nextTask++}`;
        tasks.push({
          name: id,
          task_id: { value: id },
          agent_id: offer.agent_id,
          command: { shell: true, value: 'sleep 3600' },
          resources: [
            { name: 'cpus', type: 'SCALAR', scalar: { value: 0.5 } },
            { name: 'mem', type: 'SCALAR', scalar: { value: 128 } },
          ],
        });
      }
      const operations = tasks.length === 0 ? [] : [{ type: 'LAUNCH', launch: { task_infos: tasks } }];
      void call('ACCEPT', {
        accept: { offer_ids: [offer.id], operations, filters: { refuse_seconds: 3600 } },
      });
    };
    const req = request(
      url,
      { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' } },
      (res) => {
        streamId = String(res.headers['mesos-stream-id']);
        res.on(
          'data',
          recordDecoder((record) => onEvent(JSON.parse(record.toString('utf8')) as EventEnvelope)),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(
      JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'bench', name: 'bench' } } }),
    );
  });
  const progress = setInterval(
    () => process.stderr.write(`  launched ${launched}, running ${running}\n`),
    2000,
  );
  await done;
  finished = true;
  clearInterval(progress);
  httpAgent.destroy();
  return { seconds: (performance.now() - started) / 1000 };
}

/** The master (main thread): measure its event loop while the worker's framework launches. */
async function main(): Promise<void> {
  const setupStart = performance.now();
  const master = await startMesosLocal({ agents, allocationIntervalMs: 50, statusUpdateRetryMs: 60_000 });
  process.stderr.write(
    `master with ${agents} agents up in ${Math.round(performance.now() - setupStart)} ms\n`,
  );
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const worker = new Worker(new URL(import.meta.url), {
    workerData: { url: `${master.url}/api/v1/scheduler` },
    argv: process.argv.slice(2),
  });
  const framework = await new Promise<FrameworkResult>((resolve, reject) => {
    worker.once('message', (m: FrameworkResult) => resolve(m));
    worker.once('error', reject);
  });
  delay.disable();
  await worker.terminate();
  await master.stop();
  const result = {
    agents,
    tasks: target,
    seconds: Math.round(framework.seconds * 100) / 100,
    tasksPerSecond: Math.round(target / framework.seconds),
    maxEventLoopStallMs: Math.round(delay.max / 1e5) / 10,
    p99EventLoopDelayMs: Math.round(delay.percentile(99) / 1e5) / 10,
    node: process.version,
    cpus: cpus().length,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

const entry = isMainThread
  ? main()
  : runFramework((workerData as { url: string }).url).then((r) => parentPort?.postMessage(r));
entry.catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
