/**
 * Process executor: health checks as Mesos's command executor runs them — RUNNING updates with
 * `healthy` on every change, failures ignored during the grace period until the first success,
 * and the task killed (TASK_KILLED, healthy false) after `consecutive_failures` failures.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ProcessExecutor } from '../../../pkg/mesoslocal/executors/process.js';
import type { ExecutorReport } from '../../../pkg/mesoslocal/executors/types.js';
import { freePort } from '../../harness/ports.js';
import { isAlive, liveProcessesInGroup, Reports, removeSandboxes, taskSpec } from './helpers.js';

const REASON = 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED';
const healthy = (r: ExecutorReport): boolean => r.healthy === true;
const unhealthy = (r: ExecutorReport): boolean => r.healthy === false && r.state === 'TASK_RUNNING';
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('process executor: health checks', () => {
  const executor = new ProcessExecutor();
  afterEach(() => executor.shutdown());
  afterAll(removeSandboxes);

  it('HTTP: healthy once the server answers, unhealthy on 404, then killed', async () => {
    const port = await freePort();
    const reports = new Reports();
    const spec = taskSpec({
      // http.server serves the sandbox, so the check's path exists while the file does.
      command: 'touch ok; exec python3 -m http.server $PORT0 --bind 127.0.0.1',
      ports: [{ number: port, name: 'http' }],
      killGracePeriodMs: 1000,
      healthCheck: {
        type: 'HTTP',
        http: { port: 'http', path: '/ok' }, // a port given by its DiscoveryInfo name
        delay_seconds: 0.3,
        interval_seconds: 0.1,
        timeout_seconds: 1,
        grace_period_seconds: 10,
        consecutive_failures: 2,
      },
    });
    executor.launch(spec, reports.push);
    await reports.waitForState('TASK_RUNNING');
    const runningAt = Date.now();
    const first = await reports.waitFor(healthy);
    expect(Date.now() - runningAt).toBeGreaterThanOrEqual(250); // delay_seconds
    expect(first).toEqual({ taskId: spec.taskId, state: 'TASK_RUNNING', healthy: true, reason: REASON });
    await sleep(500); // several more passing checks: no further update
    expect(reports.states()).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_RUNNING(healthy)']);

    rmSync(join(spec.sandboxDir, 'ok'));
    const end = await reports.terminal();
    expect(reports.states()).toEqual([
      'TASK_STARTING',
      'TASK_RUNNING',
      'TASK_RUNNING(healthy)',
      'TASK_RUNNING(unhealthy)',
      'TASK_RUNNING(unhealthy)',
      'TASK_KILLING',
      'TASK_KILLED(unhealthy)',
    ]);
    expect(reports.all.filter(unhealthy).every((r) => r.reason === REASON)).toBe(true);
    expect(end).toEqual({
      taskId: spec.taskId,
      state: 'TASK_KILLED',
      healthy: false,
      message: 'Command terminated with signal Terminated',
    });
  });

  it('HTTP: a closed port fails every check and the task is killed after consecutive_failures', async () => {
    const closed = await freePort();
    const reports = new Reports();
    const spec = taskSpec({
      command: 'sleep 1000',
      killGracePeriodMs: 1000,
      healthCheck: {
        type: 'HTTP',
        http: { port: closed },
        delay_seconds: 0,
        interval_seconds: 0.1,
        grace_period_seconds: 0,
      }, // consecutive_failures: Mesos's default of 3
    });
    executor.launch(spec, reports.push);
    const end = await reports.terminal();
    expect(reports.all.filter(unhealthy)).toHaveLength(3);
    expect(reports.states().slice(-2)).toEqual(['TASK_KILLING', 'TASK_KILLED(unhealthy)']);
    expect(end.message).toBe('Command terminated with signal Terminated');
  });

  it('TCP: healthy while the port accepts connections, unhealthy and killed once it stops', async () => {
    const port = await freePort();
    const reports = new Reports();
    const spec = taskSpec({
      // The server stops after a while but the task keeps running.
      command: 'timeout 1.5 python3 -m http.server $PORT0 --bind 127.0.0.1; sleep 1000',
      ports: [{ number: port }],
      killGracePeriodMs: 1000,
      healthCheck: {
        type: 'TCP',
        tcp: { port: '$PORT0' },
        delay_seconds: 0,
        interval_seconds: 0.1,
        grace_period_seconds: 5,
        consecutive_failures: 2,
      },
    });
    executor.launch(spec, reports.push);
    await reports.terminal();
    expect(reports.states()).toEqual([
      'TASK_STARTING',
      'TASK_RUNNING',
      'TASK_RUNNING(healthy)',
      'TASK_RUNNING(unhealthy)',
      'TASK_RUNNING(unhealthy)',
      'TASK_KILLING',
      'TASK_KILLED(unhealthy)',
    ]);
  });

  it('COMMAND: failures are ignored in the grace period until the first success, then reported; recovery is reported once', async () => {
    const reports = new Reports();
    const spec = taskSpec({
      command: 'sleep 1000',
      healthCheck: {
        type: 'COMMAND',
        command: { value: 'test -f healthy' }, // runs in the sandbox, like the task
        delay_seconds: 0,
        interval_seconds: 0.1,
        grace_period_seconds: 60,
        consecutive_failures: 1000,
      },
    });
    const marker = join(spec.sandboxDir, 'healthy');
    executor.launch(spec, reports.push);
    await reports.waitForState('TASK_RUNNING');
    await sleep(600); // several failing checks inside the grace period
    expect(reports.states()).toEqual(['TASK_STARTING', 'TASK_RUNNING']);

    writeFileSync(marker, '');
    await reports.waitFor(healthy);
    rmSync(marker); // past the first success the grace period no longer applies
    await reports.waitFor(unhealthy);
    await sleep(300);
    const failures = reports.all.filter(unhealthy).length;
    expect(failures).toBeGreaterThanOrEqual(2); // every failure is reported
    writeFileSync(marker, '');
    await reports.waitFor((r) => healthy(r) && reports.all.indexOf(r) > 2);
    await sleep(400);
    expect(reports.states().filter((s) => s === 'TASK_RUNNING(healthy)')).toHaveLength(2);
    expect(reports.all.at(-1)?.healthy).toBe(true);
    expect(reports.all.some((r) => r.state !== 'TASK_RUNNING' && r.state !== 'TASK_STARTING')).toBe(false);
  });

  it('COMMAND: a check exceeding timeout_seconds fails and its process is killed', async () => {
    const reports = new Reports();
    const spec = taskSpec({
      command: 'sleep 1000',
      killGracePeriodMs: 1000,
      healthCheck: {
        type: 'COMMAND',
        command: { value: 'echo $$ > check.pid; sleep 1000' },
        delay_seconds: 0,
        timeout_seconds: 0.3,
        grace_period_seconds: 0,
        consecutive_failures: 1,
      },
    });
    executor.launch(spec, reports.push);
    const end = await reports.terminal();
    expect(reports.states().slice(1)).toEqual([
      'TASK_RUNNING',
      'TASK_RUNNING(unhealthy)',
      'TASK_KILLING',
      'TASK_KILLED(unhealthy)',
    ]);
    expect(end.healthy).toBe(false);
    // The check's shell led its own group; neither it nor its sleep may outlive the timeout.
    const checkPid = Number(readFileSync(join(spec.sandboxDir, 'check.pid'), 'utf8'));
    expect(checkPid).toBeGreaterThan(0);
    expect(isAlive(checkPid)).toBe(false);
    expect(liveProcessesInGroup(checkPid)).toEqual([]);
  });
});
