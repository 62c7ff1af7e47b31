/**
 * Jobs run, end to end: `borealis up` as a user starts it (API server, embedded Mesos whose agents
 * run real processes, controllers), driven with the real kubectl, on both stores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../api/v1/job.js';
import type { Task } from '../../api/v1/task.js';
import { type BorealisUp, startBorealisUp } from './support/borealis-up.js';
import { HTTP_SERVER, jobYaml, namespaceYaml } from './support/manifests.js';
import { processesMatching } from './support/processes.js';
import { eventually } from './support/wait.js';

type List<T> = { items: T[] };
const active = (t: Task): boolean =>
  !['Finished', 'Failed', 'Killed', 'Lost'].includes(t.status?.phase ?? 'Pending');

describe.each(['memory', 'etcd'] as const)('jobs on borealis up (%s store)', (store) => {
  let up: BorealisUp;
  const tasksOf = async (ns: string): Promise<Task[]> =>
    (await up.kubectl.json<List<Task>>(['get', 'tasks', '-n', ns])).items;
  const apply = (yaml: string) => up.kubectl.ok(['apply', '-f', '-'], yaml);
  const running = (ns: string, n: number) =>
    eventually(
      `${n} running tasks in ${ns}`,
      () => tasksOf(ns),
      (ts) => ts.filter((t) => t.status?.phase === 'Running').length === n,
      45_000,
    );

  beforeAll(async () => {
    up = await startBorealisUp(store, store === 'memory' ? 21000 : 22000);
  }, 90_000);
  afterAll(async () => {
    await up?.stop();
  }, 60_000);

  it('runs hello: 3 instances Running, answering HTTP on their ports, shown by kubectl get', async () => {
    await apply(
      namespaceYaml('hello') +
        '---\n' +
        jobYaml({ namespace: 'hello', name: 'hello', instances: 3, command: HTTP_SERVER, healthCheck: true }),
    );
    await running('hello', 3);
    // Running means the process started; healthy means the health check reached it.
    const tasks = await eventually(
      '3 healthy tasks',
      () => tasksOf('hello'),
      (ts) => ts.filter((t) => t.status?.healthy === true).length === 3,
      45_000,
    );
    for (const t of tasks) {
      expect(t.status?.host).toMatch(/^agent-\d$/);
      const res = await fetch(`http://127.0.0.1:${t.status?.ports?.['http']}/`);
      expect(res.status).toBe(200);
    }
    const table = await up.kubectl.ok(['get', 'tasks', '-n', 'hello']);
    expect(table).toMatch(/NAME\s+JOB\s+INSTANCE\s+PHASE\s+HOST\s+PORTS/);
    expect(table.match(/Running\s+agent-\d\s+\{"http":\d+\}/g)).toHaveLength(3);
    await eventually(
      'job 3/3 ready',
      () => up.kubectl.ok(['get', 'jobs', '-n', 'hello']),
      (out) => /hello\s+3\/3/.test(out),
    );
    const job = await up.kubectl.json<Job>(['get', 'job', 'hello', '-n', 'hello']);
    expect(job.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
  }, 90_000);

  it('replaces a task whose process is SIGKILLed: the instance runs again, the old task Failed in history', async () => {
    const before = (await tasksOf('hello')).find(
      (t) => t.spec.instance === 1 && t.status?.phase === 'Running',
    )!;
    const port = before.status!.ports!['http']!;
    const [victim] = processesMatching(`http.server ${port}`);
    expect(victim).toBeDefined();
    process.kill(victim!.pid, 'SIGKILL');
    const after = await eventually(
      'instance 1 running again in a new task',
      () => tasksOf('hello'),
      (ts) =>
        ts.some(
          (t) =>
            t.spec.instance === 1 &&
            t.status?.phase === 'Running' &&
            t.metadata.name !== before.metadata.name,
        ),
      45_000,
    );
    const old = after.find((t) => t.metadata.name === before.metadata.name);
    expect(old?.status?.phase).toBe('Failed');
    expect(old?.status?.message).toMatch(/signal|status/);
    const replacement = after.find((t) => t.spec.instance === 1 && t.status?.phase === 'Running')!;
    expect(replacement.spec.ancestor).toBe(before.metadata.name);
    // kubectl describe tells what happened and why.
    const described = await eventually(
      'a replacement event on the job',
      () => up.kubectl.ok(['describe', 'job', 'hello', '-n', 'hello']),
      (out) => out.includes(`task ${before.metadata.name} replaced by`),
    );
    expect(described).toMatch(/(Throttled|Rescheduled)\s+.*instance 1: service failed/);
  }, 90_000);

  it('throttles a task that exits at once with a growing penalty instead of hot-looping', async () => {
    await apply(
      namespaceYaml('crash') +
        '---\n' +
        jobYaml({ namespace: 'crash', name: 'crash', instances: 1, command: 'exit 1' }),
    );
    const tasks = await eventually(
      'three failed runs',
      () => tasksOf('crash'),
      (ts) => ts.filter((t) => t.status?.phase === 'Failed').length >= 3,
      60_000,
    );
    const throttledFor = tasks
      .filter((t) => t.status?.events?.some((e) => e.phase === 'Throttled') && t.spec.ancestor)
      .map((t) => {
        const ancestor = tasks.find((a) => a.metadata.name === t.spec.ancestor);
        const throttled = t.status!.events!.find((e) => e.phase === 'Throttled')!;
        const pendingAgain = t.status!.events!.find((e) => e.phase === 'Pending');
        return {
          ancestorEnd: Date.parse(ancestor?.status?.finishedAt ?? throttled.time),
          until: Date.parse(t.status?.throttledUntil ?? ''),
          created: throttled.time,
          pendingAgain,
        };
      })
      .filter((x) => Number.isFinite(x.until))
      .sort((a, b) => a.ancestorEnd - b.ancestorEnd);
    expect(throttledFor.length).toBeGreaterThanOrEqual(2);
    const penalties = throttledFor.map((x) => x.until - x.ancestorEnd);
    expect(penalties[0]).toBeGreaterThanOrEqual(900);
    expect(penalties[1]!).toBeGreaterThan(penalties[0]!);
    await up.kubectl.ok(['delete', 'job', 'crash', '-n', 'crash']);
  }, 90_000);

  it('scales to 5 and back to 2, killing the highest instances', async () => {
    await up.kubectl.ok([
      'patch',
      'job',
      'hello',
      '-n',
      'hello',
      '--type=merge',
      '-p',
      '{"spec":{"instances":5}}',
    ]);
    await running('hello', 5);
    await up.kubectl.ok([
      'patch',
      'job',
      'hello',
      '-n',
      'hello',
      '--type=merge',
      '-p',
      '{"spec":{"instances":2}}',
    ]);
    const tasks = await eventually(
      '2 active tasks',
      () => tasksOf('hello'),
      (ts) => ts.filter(active).length === 2,
      45_000,
    );
    expect(
      tasks
        .filter(active)
        .map((t) => t.spec.instance)
        .sort(),
    ).toEqual([0, 1]);
    expect(
      tasks.filter((t) => t.spec.instance >= 2 && t.status?.phase === 'Killed').length,
    ).toBeGreaterThanOrEqual(3);
  }, 90_000);

  it('retries a failing adhoc job maxTaskFailures times, then leaves it Failed and the job Degraded', async () => {
    await apply(
      namespaceYaml('adhoc') +
        '---\n' +
        jobYaml({
          namespace: 'adhoc',
          name: 'once',
          instances: 1,
          command: 'sleep 0.2; exit 3',
          service: false,
          maxTaskFailures: 2,
        }),
    );
    await eventually(
      'two failed runs',
      () => tasksOf('adhoc'),
      (ts) => ts.filter((t) => t.status?.phase === 'Failed').length === 2,
      60_000,
    );
    await new Promise((r) => setTimeout(r, 6000)); // longer than the largest penalty: no third run comes
    const tasks = await tasksOf('adhoc');
    expect(tasks).toHaveLength(2);
    expect(tasks.every((t) => t.status?.message === 'Command exited with status 3')).toBe(true);
    const job = await up.kubectl.json<Job>(['get', 'job', 'once', '-n', 'adhoc']);
    expect(job.status?.conditions?.find((c) => c.type === 'Degraded')).toMatchObject({
      status: 'True',
      reason: 'InstancesFailed',
    });
  }, 90_000);

  it('keeps a job asking for more cpus than any agent has Pending, saying why', async () => {
    await apply(
      namespaceYaml('big') +
        '---\n' +
        jobYaml({ namespace: 'big', name: 'big', instances: 1, command: HTTP_SERVER, cpus: 64 }),
    );
    // The reason follows the offers in hand; once every agent has offered, it names all three.
    const [task] = await eventually(
      'a veto naming all three hosts',
      () => tasksOf('big'),
      (ts) => ts[0]?.status?.vetoes?.[0]?.reason === 'Insufficient cpus on 3 hosts',
      30_000,
    );
    expect(task!.status?.phase ?? 'Pending').toBe('Pending');
    expect(task!.status?.vetoes?.[0]?.reason).toBe('Insufficient cpus on 3 hosts');
  }, 60_000);

  it('honours limit host:1: with 3 agents, 3 of 4 instances run and 1 waits on the limit', async () => {
    await apply(
      namespaceYaml('spread') +
        '---\n' +
        jobYaml({
          namespace: 'spread',
          name: 'one-per-host',
          instances: 4,
          command: `${HTTP_SERVER} # one-per-host-${store}`,
          constraints: '[{attribute: host, limit: 1}]',
        }),
    );
    const tasks = await eventually(
      '3 running and 1 vetoed',
      () => tasksOf('spread'),
      (ts) =>
        ts.filter((t) => t.status?.phase === 'Running').length === 3 &&
        ts.some((t) => t.status?.vetoes?.[0]?.reason !== undefined),
      45_000,
    );
    expect(new Set(tasks.filter((t) => t.status?.phase === 'Running').map((t) => t.status?.host)).size).toBe(
      3,
    );
    expect(tasks.find((t) => t.status?.vetoes)?.status?.vetoes?.[0]?.reason).toMatch(
      /^limit host:1 on \d hosts?/,
    );
  }, 60_000);

  it('deletes a job: every process gone, every task removed', async () => {
    const ports = (await tasksOf('spread'))
      .filter((t) => t.status?.phase === 'Running')
      .map((t) => t.status!.ports!['http']!);
    expect(ports.length).toBe(3);
    await up.kubectl.ok(['delete', 'job', 'one-per-host', '-n', 'spread', '--timeout=45s']);
    await eventually(
      'no tasks left',
      () => tasksOf('spread'),
      (ts) => ts.length === 0,
      45_000,
    );
    for (const port of ports) expect(processesMatching(`http.server ${port}`)).toEqual([]);
    expect(processesMatching(`# one-per-host-${store}`)).toEqual([]);
  }, 90_000);

  it('rejects bad jobs at apply, naming the field, and creates nothing', async () => {
    const bad = async (mutate: (yaml: string) => string, field: RegExp): Promise<void> => {
      const r = await up.kubectl.run(
        ['apply', '-f', '-'],
        mutate(
          jobYaml({ namespace: 'hello', name: 'bad', instances: 1, command: HTTP_SERVER, healthCheck: true }),
        ),
      );
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(field);
    };
    await bad((y) => y.replace('tier: preferred', 'tier: gold'), /spec\.tier.*gold/);
    await bad((y) => y.replace('cpus: 0.1', 'cpus: -1'), /spec\.task\.resources\.cpus/);
    await bad(
      (y) => y.replace('http: {port: http, path: /}', 'http: {port: admin, path: /}'),
      /spec\.task\.healthCheck\.http\.port/,
    );
    await bad(
      (y) => y.replace('    resources:', '    constraints: [{limit: 1}]\n    resources:'),
      /spec\.task\.constraints\[0\]\.attribute/,
    );
    expect((await up.kubectl.run(['get', 'job', 'bad', '-n', 'hello'])).code).not.toBe(0);
  }, 60_000);
});
