/**
 * The project's own HTTP client (pkg/client), as controllers will use it, against `serve()`:
 * kubeconfig with TLS and token, CRUD, status writes, conflicts and a watch.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Serving, serve } from '../../../pkg/apiserver/serve.js';
import { HttpClient } from '../../../pkg/client/http/http-client.js';
import { readKubeconfig } from '../../../pkg/client/kubeconfig.js';
import { JOBS, TASKS } from '../../../pkg/client/refs.js';
import type { ApiObjectLike } from '../../../pkg/client/types.js';
import { isBorealisError } from '../../../pkg/errors/index.js';
import { jobBody } from './support/http.js';

type Job = ApiObjectLike & { spec: { instances: number }; status?: { observedGeneration?: number } };

let dir: string;
let serving: Serving;
let client: HttpClient;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'borealis-pkg-client-'));
  serving = await serve({ dataDir: dir, port: 0 });
  client = new HttpClient(await readKubeconfig(serving.kubeconfig));
});
afterAll(async () => {
  await client?.close();
  await serving?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('pkg/client against the API server', () => {
  test('create, get, list, status update, stale update, delete', async () => {
    const jobs = client.resource<Job>(JOBS);
    const created = await jobs.create({
      ...(jobBody('pc') as unknown as Job),
      metadata: { name: 'pc', namespace: 'default' },
    });
    expect(created.metadata.resourceVersion).toMatch(/^\d+$/);
    expect((await jobs.get('default', 'pc'))?.spec.instances).toBe(1);
    expect((await jobs.list('default', { labelSelector: '' })).items.map((j) => j.metadata.name)).toContain(
      'pc',
    );
    const withStatus = await jobs.updateStatus({ ...created, status: { observedGeneration: 1 } });
    expect(withStatus.status?.observedGeneration).toBe(1);
    const stale = await jobs
      .update({ ...created, spec: { ...created.spec, instances: 4 } })
      .catch((e: unknown) => e);
    expect(isBorealisError(stale, 'Conflict')).toBe(true);
    await jobs.delete('default', 'pc');
    expect(await jobs.get('default', 'pc')).toBeUndefined();
  });

  test('status sent on create: dropped for a Job, kept for a Task (born Pending, one write)', async () => {
    const jobs = client.resource<Job>(JOBS);
    const job = await jobs.create({
      ...(jobBody('born') as unknown as Job),
      metadata: { name: 'born', namespace: 'default' },
      status: { observedGeneration: 7 },
    });
    expect(job.status).toBeUndefined();
    const tasks = client.resource<
      ApiObjectLike & { spec?: unknown; status?: { phase?: string; message?: string } }
    >(TASKS);
    const before = Number((await tasks.list('default')).resourceVersion);
    const task = await tasks.create({
      apiVersion: 'borealis.dev/v1',
      kind: 'Task',
      metadata: { name: 'born-0-a', namespace: 'default' },
      spec: {
        jobName: 'born',
        environment: 'prod',
        instance: 0,
        templateRevision: 1,
        template: (jobBody('born')['spec'] as { task: unknown }).task,
      },
      status: { phase: 'Pending', message: 'new' },
    });
    expect(task.status?.phase).toBe('Pending');
    expect((await tasks.get('default', 'born-0-a'))?.status?.phase).toBe('Pending');
    expect(Number(task.metadata.resourceVersion)).toBe(before + 1);
    await jobs.delete('default', 'born');
  });

  test('updates at a read resourceVersion: back-to-back ones succeed, racing ones — exactly one wins', async () => {
    const jobs = client.resource<Job>(JOBS);
    let job = await jobs.create({
      ...(jobBody('racy') as unknown as Job),
      metadata: { name: 'racy', namespace: 'default' },
    });
    // Each update starts from the previous reply: the server's cached copy may lag behind it.
    for (let g = 1; g <= 20; g++)
      job = await jobs.updateStatus({ ...job, status: { observedGeneration: g } });
    expect((await jobs.get('default', 'racy'))?.status?.observedGeneration).toBe(20);
    const results = await Promise.allSettled(
      [21, 22, 23, 24].map((g) => jobs.updateStatus({ ...job, status: { observedGeneration: g } })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results)
      if (r.status === 'rejected') expect(isBorealisError(r.reason, 'Conflict')).toBe(true);
    await jobs.delete('default', 'racy');
  });

  test('watch delivers changes after a resourceVersion', async () => {
    const jobs = client.resource<Job>(JOBS);
    const page = await jobs.list('default');
    const seen: string[] = [];
    const done = new Promise<void>((resolve, reject) => {
      const stream = jobs.watch('default', page.resourceVersion, {
        onEvent(type, obj) {
          seen.push(`${type}:${obj.metadata.name}`);
          if (seen.length === 2) {
            stream.close();
            resolve();
          }
        },
        onError: reject,
      });
    });
    await jobs.create({
      ...(jobBody('pw') as unknown as Job),
      metadata: { name: 'pw', namespace: 'default' },
    });
    await jobs.patch('default', 'pw', { spec: { instances: 2 } });
    await done;
    expect(seen).toEqual(['ADDED:pw', 'MODIFIED:pw']);
  });
});
