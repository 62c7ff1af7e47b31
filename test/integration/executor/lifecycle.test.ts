/**
 * Process executor: what a task's command sees (sandbox, environment, log files) and how its
 * end is reported, with the wording of Mesos's command executor.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ProcessExecutor } from '../../../pkg/mesoslocal/executors/process.js';
import { Reports, removeSandboxes, taskSpec } from './helpers.js';

describe('process executor: task lifecycle', () => {
  const executor = new ProcessExecutor();
  afterEach(() => executor.shutdown());
  afterAll(removeSandboxes);

  it('reports STARTING, RUNNING, then FINISHED with "Command exited with status 0"', async () => {
    const reports = new Reports();
    executor.launch(taskSpec({ command: 'true' }), reports.push);
    const end = await reports.terminal();
    expect(reports.states()).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
    expect(end.message).toBe('Command exited with status 0');
  });

  it('reports a non-zero exit as FAILED with the exit status', async () => {
    const reports = new Reports();
    executor.launch(taskSpec({ command: 'echo bad >&2; exit 3' }), reports.push);
    const end = await reports.terminal();
    expect(end).toMatchObject({ state: 'TASK_FAILED', message: 'Command exited with status 3' });
  });

  it('reports death by a signal as FAILED with the signal described like strsignal(3)', async () => {
    const reports = new Reports();
    executor.launch(taskSpec({ command: 'kill -USR1 $$; sleep 5' }), reports.push);
    const end = await reports.terminal();
    expect(end).toMatchObject({
      state: 'TASK_FAILED',
      message: 'Command terminated with signal User defined signal 1',
    });
  });

  it('runs the command in its sandbox with the task environment, ports and Mesos variables', async () => {
    const reports = new Reports();
    const spec = taskSpec({
      command: 'env > env.txt; pwd > pwd.txt',
      env: { GREETING: 'hello world', PORT0: 'overridden-by-executor' },
      ports: [{ number: 31001, name: 'http' }, { number: 31002, name: 'admin-api' }, { number: 31003 }],
    });
    executor.launch(spec, reports.push);
    expect((await reports.terminal()).state).toBe('TASK_FINISHED');

    const env = new Map(
      readFileSync(join(spec.sandboxDir, 'env.txt'), 'utf8')
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const),
    );
    expect(readFileSync(join(spec.sandboxDir, 'pwd.txt'), 'utf8').trim()).toBe(spec.sandboxDir);
    expect(Object.fromEntries([...env].filter(([k]) => /^(PORT|MESOS_|HOST$|GREETING$)/.test(k)))).toEqual({
      GREETING: 'hello world',
      PORT: '31001',
      PORT0: '31001',
      PORT1: '31002',
      PORT2: '31003',
      PORT_HTTP: '31001',
      PORT_ADMIN_API: '31002',
      PORTS: '31001,31002,31003',
      MESOS_TASK_ID: spec.taskId,
      MESOS_SANDBOX: spec.sandboxDir,
      MESOS_AGENT_ID: 'agent-S1',
      HOST: '127.0.0.1',
    });
    // The agent's own environment is inherited, so commands are found on PATH.
    expect(env.get('PATH')).toBe(process.env['PATH']);
  });

  it('appends the command output to the sandbox stdout and stderr files', async () => {
    const spec = taskSpec({ command: 'echo to-stdout; echo to-stderr >&2' });
    const first = new Reports();
    executor.launch(spec, first.push);
    await first.terminal();
    // A second run in the same sandbox appends rather than truncates.
    const second = new Reports();
    executor.launch({ ...spec, taskId: `${spec.taskId}-again` }, second.push);
    await second.terminal();
    expect(readFileSync(join(spec.sandboxDir, 'stdout'), 'utf8')).toBe('to-stdout\nto-stdout\n');
    expect(readFileSync(join(spec.sandboxDir, 'stderr'), 'utf8')).toBe('to-stderr\nto-stderr\n');
  });

  it('fails the task with the reason when its sandbox cannot be created', async () => {
    const base = taskSpec({ command: 'true' });
    const file = join(base.sandboxDir, '..', 'not-a-directory');
    writeFileSync(file, '');
    const reports = new Reports();
    executor.launch({ ...base, sandboxDir: join(file, 'sandbox') }, reports.push);
    const end = await reports.terminal();
    expect(reports.states()).toEqual(['TASK_STARTING', 'TASK_FAILED']);
    expect(end.message).toMatch(/^Failed to launch task subprocess: .*ENOTDIR/);
  });

  it('fails a task whose health check is invalid instead of running it unchecked', async () => {
    const reports = new Reports();
    const spec = taskSpec({ command: 'touch ran', healthCheck: { type: 'HTTP', http: { port: 'nope' } } });
    executor.launch(spec, reports.push);
    const end = await reports.terminal();
    expect(end).toMatchObject({ state: 'TASK_FAILED', reason: 'REASON_TASK_INVALID' });
    expect(end.message).toContain('health_check.http.port');
  });
});
