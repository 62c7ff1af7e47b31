/**
 * Process executor: killing tasks. After a kill (or shutdown) nothing the task started may
 * still run — not its shell, not the children and grandchildren it put in the background.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ProcessExecutor } from '../../../pkg/mesoslocal/executors/process.js';
import { FakeClock } from '../../../pkg/runtime/clock.js';
import { freePort } from '../../harness/ports.js';
import {
  eventually,
  httpStatus,
  isAlive,
  liveProcessesInGroup,
  portOpen,
  Reports,
  removeSandboxes,
  taskSpec,
  waitForProcess,
} from './helpers.js';

describe('process executor: kill', () => {
  const executor = new ProcessExecutor();
  afterEach(() => executor.shutdown());
  afterAll(removeSandboxes);

  it('serves HTTP on the assigned port until killed, then the port is closed and no process remains', async () => {
    const port = await freePort();
    const reports = new Reports();
    // The server runs in the background of the shell, so it is a grandchild of the executor.
    const spec = taskSpec({
      command: 'python3 -m http.server $PORT0 --bind 127.0.0.1 & sleep 1000',
      ports: [{ number: port, name: 'http' }],
    });
    executor.launch(spec, reports.push);
    await reports.waitForState('TASK_RUNNING');
    const pgid = executor.processGroupOf(spec.taskId);
    expect(pgid).toBeGreaterThan(0);
    await eventually(() => portOpen(port));
    expect(await httpStatus(port)).toBe(200);
    expect(liveProcessesInGroup(pgid!).join('\n')).toContain('http.server');

    executor.kill(spec.taskId);
    const end = await reports.terminal();
    expect(reports.states()).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_KILLED']);
    expect(end.message).toBe('Command terminated with signal Terminated');
    expect(await portOpen(port)).toBe(false);
    expect(liveProcessesInGroup(pgid!)).toEqual([]);
    expect(executor.processGroupOf(spec.taskId)).toBeUndefined();
  });

  it('leaves no children behind', async () => {
    const reports = new Reports();
    const spec = taskSpec({ command: 'sleep 1000 & sleep 1000 & wait' });
    executor.launch(spec, reports.push);
    await reports.waitForState('TASK_RUNNING');
    const pgid = executor.processGroupOf(spec.taskId)!;
    await waitForProcess(pgid, 'sleep', 2);

    executor.kill(spec.taskId, 1000);
    expect((await reports.terminal()).state).toBe('TASK_KILLED');
    expect(liveProcessesInGroup(pgid)).toEqual([]);
  });

  it('sends SIGTERM to processes behind a wrapper shell so they can shut down gracefully', async () => {
    const reports = new Reports();
    // The inner shell stands for an application started by a wrapper script: it records SIGTERM.
    // The wrapper waits for it on SIGTERM, as a well-behaved wrapper does.
    const spec = taskSpec({
      command: `sh -c 'trap "echo graceful > got-term; exit 0" TERM; sleep 1000 & wait' & trap wait TERM; wait`,
    });
    executor.launch(spec, reports.push);
    await reports.waitForState('TASK_RUNNING');
    await waitForProcess(executor.processGroupOf(spec.taskId)!, 'sleep');
    executor.kill(spec.taskId);
    expect((await reports.terminal()).state).toBe('TASK_KILLED');
    expect(readFileSync(join(spec.sandboxDir, 'got-term'), 'utf8')).toBe('graceful\n');
  });

  it('SIGKILLs a task that ignores SIGTERM once the grace period is over', async () => {
    const reports = new Reports();
    const spec = taskSpec({ command: "trap '' TERM; sleep 1000", killGracePeriodMs: 800 });
    executor.launch(spec, reports.push);
    await reports.waitForState('TASK_RUNNING');
    const pgid = executor.processGroupOf(spec.taskId)!;
    await waitForProcess(pgid, 'sleep'); // the trap is in place once sleep runs

    const started = Date.now();
    executor.kill(spec.taskId); // the spec's grace period applies
    await reports.waitForState('TASK_KILLING');
    // Still alive well into the grace period: SIGTERM was ignored, SIGKILL not sent yet.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(liveProcessesInGroup(pgid).length).toBeGreaterThan(0);

    const end = await reports.terminal();
    expect(Date.now() - started).toBeGreaterThanOrEqual(800);
    expect(end).toMatchObject({ state: 'TASK_KILLED', message: 'Command terminated with signal Killed' });
    expect(liveProcessesInGroup(pgid)).toEqual([]);
  });

  it('times the grace period with the injected clock', async () => {
    const clock = new FakeClock();
    const timed = new ProcessExecutor({ clock });
    const reports = new Reports();
    const spec = taskSpec({ command: "trap '' TERM; sleep 1000", killGracePeriodMs: 60_000 });
    try {
      timed.launch(spec, reports.push);
      await reports.waitForState('TASK_RUNNING');
      await waitForProcess(timed.processGroupOf(spec.taskId)!, 'sleep');
      timed.kill(spec.taskId);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(reports.states().at(-1)).toBe('TASK_KILLING'); // real time passing does not escalate
      clock.advance(60_000);
      expect(await reports.terminal(5000)).toMatchObject({
        state: 'TASK_KILLED',
        message: 'Command terminated with signal Killed',
      });
    } finally {
      await timed.shutdown();
    }
  });

  it('treats repeated kills as one, except that a shorter grace period brings SIGKILL forward', async () => {
    const reports = new Reports();
    const spec = taskSpec({ command: "trap '' TERM; sleep 1000" });
    executor.launch(spec, reports.push);
    await reports.waitForState('TASK_RUNNING');
    await waitForProcess(executor.processGroupOf(spec.taskId)!, 'sleep');

    const started = Date.now();
    executor.kill(spec.taskId, 20_000);
    executor.kill(spec.taskId, 30_000); // longer: ignored
    executor.kill(spec.taskId, 300);
    await reports.terminal(5000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(reports.states()).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_KILLED']);
    executor.kill(spec.taskId); // after the end: nothing more is reported
    expect(reports.all).toHaveLength(4);
  });

  it('kills a task that is killed before its process has started, after reporting RUNNING', async () => {
    const reports = new Reports();
    const spec = taskSpec({ command: 'sleep 1000' });
    executor.launch(spec, reports.push);
    executor.kill(spec.taskId, 0);
    await reports.terminal();
    expect(reports.states()).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_KILLED']);
  });

  it('kills the group of a task whose shell exited on its own, before reporting it finished', async () => {
    const reports = new Reports();
    const spec = taskSpec({ command: 'sleep 1000 & echo $! > bg.pid' });
    executor.launch(spec, reports.push);
    await reports.waitForState('TASK_RUNNING');
    const pgid = executor.processGroupOf(spec.taskId)!;
    expect(pgid).toBeGreaterThan(0);
    expect((await reports.terminal()).state).toBe('TASK_FINISHED');
    expect(liveProcessesInGroup(pgid)).toEqual([]);
    const background = readFileSync(join(spec.sandboxDir, 'bg.pid'), 'utf8').trim();
    expect(liveProcessesInGroup(pgid).length + (isAlive(Number(background)) ? 1 : 0)).toBe(0);
  });

  it('shutdown() kills every task, even one ignoring SIGTERM, and resolves when nothing is left', async () => {
    const port = await freePort();
    const specs = [
      taskSpec({ command: 'exec python3 -m http.server $PORT0 --bind 127.0.0.1', ports: [{ number: port }] }),
      taskSpec({ command: "trap '' TERM; sleep 1000 & sleep 1000", killGracePeriodMs: 60_000 }),
    ];
    const reports = specs.map((spec) => {
      const r = new Reports();
      executor.launch(spec, r.push);
      return r;
    });
    await Promise.all(reports.map((r) => r.waitForState('TASK_RUNNING')));
    const groups = specs.map((s) => executor.processGroupOf(s.taskId)!);
    await eventually(() => portOpen(port));
    await waitForProcess(groups[1]!, 'sleep', 2);

    await executor.shutdown();
    for (const r of reports) expect(r.all.at(-1)?.state).toBe('TASK_KILLED');
    for (const pgid of groups) expect(liveProcessesInGroup(pgid)).toEqual([]);
    expect(await portOpen(port)).toBe(false);
  });
});
