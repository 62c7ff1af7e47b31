/**
 * Killing the controllers (kill -9) while tasks run loses nothing: with the Mesos side kept
 * (`borealis mesos-local` as its own process) and the API server kept (`borealis server`), a
 * restarted `borealis controllers` re-subscribes as the same framework, adopts the running tasks
 * (same task objects, same processes), never runs an instance twice, and catches up with changes
 * made while it was down. Run on both stores.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../../api/v1/task.js';
import { type EtcdServer, startEtcd } from '../harness/etcd.js';
import { freePort } from '../harness/ports.js';
import { type BorealisProcess, runBorealis } from './support/cli.js';
import { type Kubectl, kubectlFor } from './support/kubectl.js';
import { HTTP_SERVER, jobYaml, namespaceYaml } from './support/manifests.js';
import { processesMatching } from './support/processes.js';
import { eventually } from './support/wait.js';

type List<T> = { items: T[] };

describe.each(['memory', 'etcd'] as const)('controllers killed and restarted (%s store)', (store) => {
  let dir: string;
  let etcd: EtcdServer | undefined;
  let server: BorealisProcess;
  let mesos: BorealisProcess;
  let kubectl: Kubectl;
  let kubeconfig: string;
  let mesosUrl: string;
  const controllers: BorealisProcess[] = [];
  const startControllers = (): BorealisProcess => {
    // Short flapping penalties: the task killed below is replaced in seconds, not Aurora's 30 s+.
    const p = runBorealis([
      'controllers',
      '--kubeconfig',
      kubeconfig,
      '--mesos-master',
      mesosUrl,
      '--initial-flapping-task-delay',
      '1000',
    ]);
    controllers.push(p);
    return p;
  };
  const tasks = async (): Promise<Task[]> =>
    (await kubectl.json<List<Task>>(['get', 'tasks', '-n', 'adopt'])).items;
  const serverProcesses = (): number => processesMatching(`--bind 127.0.0.1 ${marker}`).length;
  const marker = `# adopt-${store}`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), `borealis-adopt-${store}-`));
    if (store === 'etcd') etcd = await startEtcd();
    server = runBorealis(
      [
        'server',
        '--data-dir',
        dir,
        '--port',
        String(await freePort()),
        '--store',
        store,
        ...(etcd ? ['--etcd-endpoints', etcd.endpoint] : []),
      ],
      { BOREALIS_LOG_LEVEL: 'info' },
    );
    await server.waitFor(/kubeconfig: /, 60_000);
    kubeconfig = join(dir, 'kubeconfig');
    kubectl = kubectlFor(kubeconfig, join(dir, 'kubectl-cache'));
    mesos = runBorealis([
      'mesos-local',
      '--port',
      '0',
      '--agents',
      '2',
      '--executor',
      'process',
      '--allocation-interval',
      '100',
      // Ports apart from every other cluster the suite runs at the same time.
      '--agent-resources',
      `cpus:4;mem:8192;disk:20000;ports:[${store === 'memory' ? 23000 : 24000}-${store === 'memory' ? 23999 : 24999}]`,
    ]);
    [, mesosUrl] = (await mesos.waitFor(/listening on (http:\/\/\S+)/)) as unknown as [string, string];
  }, 90_000);

  afterAll(async () => {
    for (const c of controllers) await c.stop('SIGKILL');
    await mesos?.stop();
    await server?.stop();
    await etcd?.stop();
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it('adopts running tasks without relaunching or duplicating any instance', async () => {
    const first = startControllers();
    // A comment in the command marks these processes as this test's own.
    await kubectl.ok(
      ['apply', '-f', '-'],
      `${namespaceYaml('adopt')}---\n${jobYaml({ namespace: 'adopt', name: 'web', instances: 3, command: `${HTTP_SERVER} ${marker}` })}`,
    );
    const before = await eventually(
      '3 running',
      tasks,
      (ts) => ts.filter((t) => t.status?.phase === 'Running').length === 3,
      45_000,
    );
    await eventually(
      '3 task processes',
      async () => serverProcesses(),
      (n) => n === 3,
    );
    const pids = processesMatching(`--bind 127.0.0.1 ${marker}`)
      .map((p) => p.pid)
      .sort();

    await first.stop('SIGKILL');
    // While the controllers are down: the job grows, and one task's process dies.
    await kubectl.ok([
      'patch',
      'job',
      'web',
      '-n',
      'adopt',
      '--type=merge',
      '-p',
      '{"spec":{"instances":4}}',
    ]);
    const victim = before.find((t) => t.spec.instance === 2)!;
    const [victimProc] = processesMatching(`http.server ${victim.status!.ports!['http']}`);
    process.kill(victimProc!.pid, 'SIGKILL');

    startControllers();
    const after = await eventually(
      '4 running again',
      tasks,
      (ts) => ts.filter((t) => t.status?.phase === 'Running').length === 4,
      60_000,
    );
    // Instances 0 and 1 are the very same tasks and processes as before the crash.
    for (const instance of [0, 1]) {
      const was = before.find((t) => t.spec.instance === instance)!;
      expect(after.find((t) => t.metadata.name === was.metadata.name)?.status?.phase).toBe('Running');
    }
    const stillAlive = processesMatching(`--bind 127.0.0.1 ${marker}`).map((p) => p.pid);
    expect(pids.filter((p) => stillAlive.includes(p)).length).toBe(2);
    // The dead task was noticed (its update was held by Mesos until the framework came back) and replaced.
    expect(after.find((t) => t.metadata.name === victim.metadata.name)?.status?.phase).toBe('Failed');
    // One live task per instance, one process per live task: nothing runs twice.
    const live = after.filter((t) => t.status?.phase === 'Running');
    expect(live.map((t) => t.spec.instance).sort()).toEqual([0, 1, 2, 3]);
    await eventually(
      '4 task processes',
      async () => serverProcesses(),
      (n) => n === 4,
    );
  }, 150_000);
});
