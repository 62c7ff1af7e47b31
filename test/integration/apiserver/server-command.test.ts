/**
 * `borealis server` as a user starts it: TLS, a generated admin token and a kubeconfig that
 * kubectl uses at once; the memory store's data survives a restart from the same data dir.
 */

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { loadResourcesService } from '../../../pkg/apiserver/grpc.js';
import { serve } from '../../../pkg/apiserver/serve.js';
import { jobYaml } from './support/manifests.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'borealis-server-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function kubectl(
  kubeconfig: string,
  args: string[],
  stdin?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      '/usr/bin/kubectl',
      ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args],
      { env: { ...process.env, HOME: dir } },
      (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin ?? '');
  });
}

describe('borealis server', () => {
  test('writes a kubeconfig kubectl uses over TLS with the admin token; data survives a restart', async () => {
    const dataDir = join(dir, 'data');
    const first = await serve({ dataDir, port: 0 });
    expect(first.server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(await readFile(first.kubeconfig, 'utf8')).toContain('certificate-authority-data');
    const applied = await kubectl(first.kubeconfig, ['apply', '-f', '-'], jobYaml('persisted'));
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toContain('job.borealis.dev/persisted created');
    const jobs = await kubectl(first.kubeconfig, ['get', 'jobs', '-o', 'name']);
    expect(jobs.stdout).toBe('job.borealis.dev/persisted\n');
    const tiers = await kubectl(first.kubeconfig, ['get', 'tiers', '-o', 'name']);
    expect(
      tiers.stdout
        .split('\n')
        .filter((l) => l !== '')
        .sort(),
    ).toEqual([
      'tier.borealis.dev/preemptible',
      'tier.borealis.dev/preferred',
      'tier.borealis.dev/revocable',
    ]);
    // With a token the server does not know, kubectl says so.
    const stranger = join(dir, 'stranger.kubeconfig');
    await writeFile(
      stranger,
      (await readFile(first.kubeconfig, 'utf8')).replace(/token: \S+/, 'token: not-a-token'),
    );
    const refused = await kubectl(stranger, ['get', 'jobs']);
    expect(refused.stderr).toContain('You must be logged in to the server (Unauthorized)');
    await first.close();

    const second = await serve({ dataDir, port: 0, grpcPort: 0 });
    const after = await kubectl(second.kubeconfig, [
      'get',
      'job',
      'persisted',
      '-o',
      'jsonpath={.spec.instances}',
    ]);
    expect(after.stdout).toBe('2');

    // gRPC over the same certificate, with the admin token from the generated token file.
    const token = (await readFile(join(dataDir, 'tokens.csv'), 'utf8')).split(',')[0] ?? '';
    const Ctor = grpc.makeGenericClientConstructor(loadResourcesService(), 'Resources');
    const client = new Ctor(
      `127.0.0.1:${second.server.grpcPort}`,
      grpc.credentials.createSsl(await readFile(join(dataDir, 'apiserver.crt'))),
    );
    const md = new grpc.Metadata();
    md.set('authorization', `Bearer ${token}`);
    type Get = (
      req: unknown,
      md: grpc.Metadata,
      cb: (err: Error | null, res: { json: string }) => void,
    ) => void;
    const get = (client as unknown as Record<string, Get>)['Get']!.bind(client);
    const ref = {
      group: 'borealis.dev',
      version: 'v1',
      resource: 'jobs',
      namespace: 'default',
      name: 'persisted',
    };
    const got = await new Promise<{ json: string }>((resolve, reject) =>
      get({ ref }, md, (err, res) => (err ? reject(err) : resolve(res))),
    );
    expect(JSON.parse(got.json).metadata.name).toBe('persisted');
    client.close();
    await second.close();
  });

  test('--store etcd keeps state in etcd: a second server on the same prefix sees it', async () => {
    const etcdPrefix = `/server-test-${process.pid}-${Date.now()}`;
    const opts = { port: 0, store: 'etcd' as const, etcdEndpoints: [inject('etcdEndpoint')], etcdPrefix };
    const first = await serve({ ...opts, dataDir: join(dir, 'etcd-a') });
    expect(first.store.name).toBe('etcd');
    expect((await kubectl(first.kubeconfig, ['apply', '-f', '-'], jobYaml('in-etcd'))).stdout).toContain(
      'created',
    );
    await first.close();
    const second = await serve({ ...opts, dataDir: join(dir, 'etcd-b') });
    const got = await kubectl(second.kubeconfig, ['get', 'job', 'in-etcd', '-o', 'name']);
    expect(got.stdout).toBe('job.borealis.dev/in-etcd\n');
    await second.close();
  });

  test('kubectl auth whoami and auth can-i answer from the token file and the policy', async () => {
    const tokenFile = join(dir, 'auth-tokens.csv');
    const policyFile = join(dir, 'auth-policy.yaml');
    await writeFile(tokenFile, 'root-token,root,0,"system:masters"\ndana-token,dana,5,"team-d"\n');
    await writeFile(
      policyFile,
      'rules:\n  - groups: [team-d]\n    namespaces: [team-d]\n    verbs: [get, list, watch]\n    resources: [jobs]\n',
    );
    const serving = await serve({ dataDir: join(dir, 'auth'), port: 0, tokenFile, policyFile });
    try {
      const dana = join(dir, 'dana.kubeconfig');
      await writeFile(
        dana,
        (await readFile(serving.kubeconfig, 'utf8')).replace(/token: \S+/, 'token: dana-token'),
      );
      const whoami = await kubectl(dana, ['auth', 'whoami']);
      expect(whoami.stdout).toMatch(/Username\s+dana/);
      expect(whoami.stdout).toMatch(/Groups\s+\[team-d\]/);
      expect((await kubectl(dana, ['auth', 'can-i', 'list', 'jobs', '-n', 'team-d'])).stdout).toBe('yes\n');
      expect((await kubectl(dana, ['auth', 'can-i', 'delete', 'jobs', '-n', 'team-d'])).stdout).toBe('no\n');
      expect((await kubectl(serving.kubeconfig, ['auth', 'can-i', 'delete', 'jobs', '-A'])).stdout).toBe(
        'yes\n',
      );
    } finally {
      await serving.close();
    }
  });
});
