/**
 * Bearer tokens from a token file and the namespace/verb policy: admins do everything, a team
 * member only what the policy grants, strangers nothing, with kube-apiserver's Status bodies.
 * (kubectl sends tokens only over TLS; that path is covered by the server command's test.)
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from './support/harness.js';
import { api, jobBody } from './support/http.js';

let t: TestServer;
const dir = join(process.env['TMPDIR'] ?? '/tmp', `borealis-auth-${process.pid}`);
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

beforeAll(async () => {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(dir, { recursive: true });
  const tokenFile = join(dir, 'tokens.csv');
  const policyFile = join(dir, 'policy.yaml');
  await writeFile(
    tokenFile,
    'admin-token,admin,1,"system:masters"\nalice-token,alice,2,"team-a,devs"\nbob-token,bob,3\ncarol-token,carol,4\n',
  );
  await writeFile(
    policyFile,
    'rules:\n  - groups: [team-a]\n    namespaces: [team-a]\n    verbs: ["*"]\n    resources: ["*"]\n  - users: [bob]\n    namespaces: ["*"]\n    verbs: [get, list, watch]\n    resources: [namespaces]\n  - users: [carol]\n    namespaces: [team-a]\n    verbs: [get, patch]\n    resources: [jobs]\n',
  );
  t = await startTestServer({ tokenFile, policyFile, token: 'admin-token' });
  await api(
    t.server.url,
    'POST',
    '/api/v1/namespaces',
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } },
    bearer('admin-token'),
  );
});
afterAll(async () => {
  await t?.close();
  const { rm } = await import('node:fs/promises');
  await rm(dir, { recursive: true, force: true });
});

const call = (method: string, path: string, token: string | undefined, body?: unknown) =>
  api(t.server.url, method, path, body, token ? bearer(token) : {});

describe('authentication and authorization', () => {
  test('no token or an unknown token: 401 Unauthorized; health needs none', async () => {
    for (const token of [undefined, 'wrong']) {
      const r = await call('GET', '/apis/borealis.dev/v1/jobs', token);
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
    }
    expect((await call('GET', '/healthz', undefined)).status).toBe(200);
  });

  test('a team member works in its namespace and is refused elsewhere with 403', async () => {
    expect(
      (await call('POST', '/apis/borealis.dev/v1/namespaces/team-a/jobs', 'alice-token', jobBody('mine')))
        .status,
    ).toBe(201);
    const elsewhere = await call(
      'POST',
      '/apis/borealis.dev/v1/namespaces/default/jobs',
      'alice-token',
      jobBody('theirs'),
    );
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body['message']).toBe(
      'jobs.borealis.dev is forbidden: User "alice" cannot create resource "jobs" in API group "borealis.dev" in the namespace "default"',
    );
    const all = await call('GET', '/apis/borealis.dev/v1/jobs', 'alice-token');
    expect(all.status).toBe(403);
    expect(
      (await call('GET', '/apis/borealis.dev/v1/namespaces/default/jobs/theirs', 'admin-token')).status,
    ).toBe(404);
  });

  test('read-only rules allow reads and refuse writes', async () => {
    expect((await call('GET', '/api/v1/namespaces', 'bob-token')).status).toBe(200);
    const write = await call('DELETE', '/api/v1/namespaces/team-a', 'bob-token');
    expect(write.status).toBe(403);
    expect(write.body['reason']).toBe('Forbidden');
  });

  test('server-side apply that would create needs create as well as patch', async () => {
    const apply = (name: string) =>
      api(
        t.server.url,
        'PATCH',
        `/apis/borealis.dev/v1/namespaces/team-a/jobs/${name}?fieldManager=carol`,
        jobBody(name),
        { ...bearer('carol-token'), 'Content-Type': 'application/apply-patch+yaml' },
      );
    const create = await apply('new-one');
    expect(create.status).toBe(403);
    expect(create.body['message']).toContain('User "carol" cannot create resource "jobs"');
    await call('POST', '/apis/borealis.dev/v1/namespaces/team-a/jobs', 'alice-token', jobBody('existing'));
    expect((await apply('existing')).status).toBe(200);
  });

  test('the metrics endpoint needs a token too', async () => {
    expect((await call('GET', '/metrics', undefined)).status).toBe(401);
    expect((await call('GET', '/metrics', 'bob-token')).text).toContain('borealis_apiserver_requests_total');
  });
});
