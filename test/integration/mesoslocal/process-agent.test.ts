/**
 * Agents with the `process` executor: a task's command really runs (under sh -c, in its
 * sandbox, with PORT0), its exit status becomes TASK_FINISHED / TASK_FAILED, and a kill ends it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { TaskStatus } from '../../../pkg/mesos/types.js';
import { type MesosLocal, startMesosLocal } from '../../../pkg/mesoslocal/index.js';
import {
  FRAMEWORK,
  isUpdate,
  launchCall,
  type Subscription,
  subscribe,
  takeOffers,
  taskInfo,
} from './raw-client.js';

let master: MesosLocal;
let sub: Subscription;
let sandboxRoot: string;

beforeEach(async () => {
  sandboxRoot = mkdtempSync(join(tmpdir(), 'mesoslocal-process-'));
  master = await startMesosLocal({
    agents: 2,
    executor: 'process',
    sandboxRoot,
    allocationIntervalMs: 20,
    // Below Linux's ephemeral range (32768–60999): a port there can be taken at any moment by
    // another test's outgoing connection, and the task's server then cannot bind it.
    agentResources: { cpus: 2, mem: 1024, ports: [{ begin: 26000, end: 26009 }] },
  });
  sub = await subscribe(master.url, FRAMEWORK);
});
afterEach(async () => {
  sub.close();
  await master.stop();
  rmSync(sandboxRoot, { recursive: true, force: true });
});

const ack = (s: TaskStatus) =>
  sub.call('ACKNOWLEDGE', { acknowledge: { agent_id: s.agent_id, task_id: s.task_id, uuid: s.uuid } });

/** Acknowledge each update of the task, in order, until one in state `until` arrives. */
async function ackAll(id: string, until: string): Promise<TaskStatus> {
  let from = 0;
  for (;;) {
    const event = await sub.waitFor((e) => e.update?.status.task_id.value === id, 5000, from);
    from = sub.events.indexOf(event, from) + 1;
    const status = event.update!.status;
    await ack(status);
    if (status.state === until) return status;
  }
}

it('splits the port range between agents and runs the command for real', async () => {
  const offers = await takeOffers(sub);
  const ports = offers.map((o) => o.resources!.find((r) => r.name === 'ports')!.ranges!.range);
  expect(ports.flat().sort((a, b) => a.begin - b.begin)).toEqual([
    { begin: 26000, end: 26004 },
    { begin: 26005, end: 26009 },
  ]);
  const offer = offers[0]!;
  const port = ports[0]![0]!.begin;
  const task = taskInfo(offer, 'echo', {
    command: { shell: true, value: 'echo "port=$PORT0" > out.txt; exit 0' },
    resources: [
      { name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } },
      { name: 'mem', type: 'SCALAR', scalar: { value: 32 } },
      { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: port, end: port }] } },
    ],
  });
  await sub.call('ACCEPT', launchCall([offer], [task]));
  const finished = await ackAll('echo', 'TASK_FINISHED');
  expect(finished.source).toBe('SOURCE_EXECUTOR');
  const out = join(sandboxRoot, offer.agent_id.value, 'frameworks', sub.frameworkId, 'echo', 'out.txt');
  expect(existsSync(out)).toBe(true);
  expect(readFileSync(out, 'utf8').trim()).toBe(`port=${port}`);
});

it('reports a failing command as TASK_FAILED and a killed one as TASK_KILLED', async () => {
  const offers = await takeOffers(sub);
  await sub.call(
    'ACCEPT',
    launchCall([offers[0]!], [taskInfo(offers[0]!, 'fails', { command: { shell: true, value: 'exit 3' } })]),
  );
  await sub.call(
    'ACCEPT',
    launchCall(
      [offers[1]!],
      [taskInfo(offers[1]!, 'sleeps', { command: { shell: true, value: 'sleep 60' } })],
    ),
  );
  const failed = await ackAll('fails', 'TASK_FAILED');
  expect(failed.message).toContain('3');
  await ackAll('sleeps', 'TASK_RUNNING');
  await sub.call('KILL', {
    kill: { task_id: { value: 'sleeps' }, kill_policy: { grace_period: { nanoseconds: 500_000_000 } } },
  });
  await sub.waitFor(isUpdate('sleeps', 'TASK_KILLED'), 5000);
});

it('health-checks a real HTTP server task and reports it healthy', async () => {
  const offer = (await takeOffers(sub))[0]!;
  const port = offer.resources!.find((r) => r.name === 'ports')!.ranges!.range[0]!.begin;
  const task = taskInfo(offer, 'web', {
    command: {
      shell: true,
      value: `exec ${process.execPath} -e "require('http').createServer((q, s) => s.end('ok')).listen(process.env.PORT0, '127.0.0.1')"`,
    },
    resources: [
      { name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } },
      { name: 'mem', type: 'SCALAR', scalar: { value: 64 } },
      { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: port, end: port }] } },
    ],
    health_check: {
      type: 'HTTP',
      http: { scheme: 'http', port, path: '/' },
      delay_seconds: 0,
      interval_seconds: 0.2,
      grace_period_seconds: 10,
    },
  });
  await sub.call('ACCEPT', launchCall([offer], [task]));
  const healthy = await ackAll('web', 'TASK_RUNNING').then(() =>
    sub.waitFor((e) => e.update?.status.task_id.value === 'web' && e.update.status.healthy === true, 10_000),
  );
  expect(healthy.update!.status.reason).toBe('REASON_TASK_HEALTH_CHECK_STATUS_UPDATED');
});
