/**
 * Keeps the benchmarks working: each scenario at a tiny size, through the same `npm run bench`
 * entry point (dist/test/bench/run.js, built by `npm test`), checking that the last line is one
 * JSON object with every named figure a finite number and that the run converged. Never asserts a
 * speed: CI machines differ, and a benchmark is not a timed test.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const RUN = fileURLToPath(new URL('../../dist/test/bench/run.js', import.meta.url));

async function bench(args: readonly string[]): Promise<Record<string, unknown>> {
  const { stdout } = await promisify(execFile)(process.execPath, [RUN, ...args], {
    timeout: 90_000,
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, BOREALIS_LOG_LEVEL: 'warn' },
  });
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as Record<string, unknown>;
}

function expectFigures(result: Record<string, unknown>, names: readonly string[]): void {
  for (const name of names) {
    expect(Number.isFinite(result[name]), `${name} = ${String(result[name])}`).toBe(true);
  }
  const config = result['config'] as Record<string, unknown>;
  expect(config['node']).toBe(process.version);
  expect(Number.isFinite(config['cpus'])).toBe(true);
}

describe('benchmarks at a tiny size', () => {
  it.each([
    ['combined', 'memory', ['borealis', 'mesos', 'bench']],
    ['split', 'memory', ['server', 'controllers', 'mesos', 'bench']],
    ['combined', 'etcd', ['borealis', 'mesos', 'bench']],
  ])(
    'launch (%s, %s store): 2 jobs x 5 instances on 5 agents, every task Running',
    async (topology, store, processes) => {
      const r = await bench([
        'launch',
        '--topology',
        topology,
        '--store',
        store,
        '--jobs',
        '2',
        '--instances',
        '5',
        '--agents',
        '5',
        '--raw-objects',
        '500',
      ]);
      expect(r['converged']).toBe(true);
      expect(r['running']).toBe(10);
      expectFigures(r, [
        'tasksPerSecond',
        'p50ApplyToRunningMs',
        'p99ApplyToRunningMs',
        'storeWritesPerTask',
        'storeTransactionsPerTask',
        'rawStoreWritesPerSecond',
      ]);
      const rss = r['peakRssMb'] as Record<string, unknown>;
      for (const p of processes) expect(Number.isFinite(rss[p]), p).toBe(true);
      expect((r['config'] as Record<string, unknown>)['topology']).toBe(topology);
      expect((r['config'] as Record<string, unknown>)['store']).toBe(store);
      // Every task is written at least created, assigned and running; no more transactions than writes.
      expect(r['storeWritesPerTask']).toBeGreaterThanOrEqual(3);
      expect(r['storeTransactionsPerTask']).toBeLessThanOrEqual(r['storeWritesPerTask'] as number);
    },
    90_000,
  );

  it('api: a few dozen requests and 3 watchers', async () => {
    const r = await bench([
      'api',
      '--rate',
      '40',
      '--seconds',
      '1',
      '--list-size',
      '10',
      '--watchers',
      '3',
      '--watch-writes-per-second',
      '5',
    ]);
    expect(r['errors']).toBe(0);
    expect(r['completed']).toBe(r['requests']);
    expect(r['watchDeliveries']).toBe(r['watchDeliveriesExpected']);
    expectFigures(r, [
      'getP50Ms',
      'getP99Ms',
      'listP99Ms',
      'applyP99Ms',
      'statusPatchP99Ms',
      'watchP99Ms',
      'achievedRequestsPerSecond',
      'serverCpuMsPerRequest',
    ]);
  }, 90_000);

  it('writes: 20 Task creates, status updates and status patches, in process and over HTTP', async () => {
    const r = await bench(['writes', '--writes', '20', '--concurrency', '4', '--http']);
    const figures: string[] = [];
    for (const via of ['inProcess', 'http'])
      for (const kind of ['Create', 'UpdateStatus', 'StatusPatch'])
        figures.push(`${via}${kind}CpuUsPerWrite`, `${via}${kind}WritesPerSecond`);
    expectFigures(r, figures);
  }, 90_000);

  it('scale: 100 tasks on 10 agents, converged, restarted controllers adopt every task', async () => {
    const r = await bench([
      'scale',
      '--tasks',
      '100',
      '--agents',
      '10',
      '--instances',
      '50',
      '--idle-seconds',
      '2',
    ]);
    expect(r['converged']).toBe(true);
    expect(r['adopted']).toBe(true);
    expect(r['relaunched']).toBe(0);
    expectFigures(r, ['secondsToConverge', 'controlPlaneRssMb', 'idleCpuPercent', 'resyncSeconds']);
  }, 90_000);
});
