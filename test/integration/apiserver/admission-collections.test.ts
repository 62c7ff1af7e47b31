/**
 * Admission plugins (the hook quota and policy use) and collection deletes. Store-independent
 * logic, so these run on the memory store only.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AdmissionPlugin } from '../../../pkg/apiserver/admission.js';
import { BorealisError } from '../../../pkg/errors/index.js';
import { startTestServer, type TestServer } from './support/harness.js';
import { api, jobBody } from './support/http.js';

const seen: string[] = [];
/** Stamps an annotation on every Job and refuses more than 10 instances, like a quota would. */
const plugin: AdmissionPlugin = {
  name: 'test-quota',
  mutate(req) {
    seen.push(`${req.operation}:${req.name}:${req.dryRun}:${req.user.name}`);
    if (req.object && req.kind.kind === 'Job') {
      const meta = req.object['metadata'] as Record<string, unknown>;
      meta['annotations'] = {
        ...((meta['annotations'] as object | undefined) ?? {}),
        'example.com/admitted': 'yes',
      };
    }
  },
  validate(req) {
    const instances = (req.object?.['spec'] as { instances?: number } | undefined)?.instances ?? 0;
    if (instances > 10) {
      throw new BorealisError(
        'Forbidden',
        `jobs.borealis.dev "${req.name}" is forbidden: exceeded quota: 10 instances`,
      );
    }
  },
};

let t: TestServer;
const jobs = '/apis/borealis.dev/v1/namespaces/default/jobs';
beforeAll(async () => {
  t = await startTestServer({ admission: [plugin] });
});
afterAll(async () => {
  await t?.close();
});
const call = (method: string, path: string, body?: unknown) => api(t.server.url, method, path, body);

describe('admission', () => {
  test('mutating plugins change what is stored; validating plugins refuse, on dry runs too', async () => {
    const created = await call('POST', jobs, jobBody('admitted'));
    expect(
      (created.body['metadata'] as { annotations: Record<string, string> }).annotations[
        'example.com/admitted'
      ],
    ).toBe('yes');
    const over = await call('POST', jobs, jobBody('greedy', { spec: { instances: 11 } }));
    expect(over.status).toBe(403);
    expect(over.body['message']).toContain('exceeded quota');
    expect((await call('GET', `${jobs}/greedy`)).status).toBe(404);
    expect(
      (await call('POST', `${jobs}?dryRun=All`, jobBody('greedy', { spec: { instances: 11 } }))).status,
    ).toBe(403);
    expect(seen).toContain('CREATE:greedy:true:system:admin');
    await call('DELETE', `${jobs}/admitted`);
    expect(seen).toContain('DELETE:admitted:false:system:admin');
  });
});

describe('collections', () => {
  test('deletecollection removes what the selector picks and nothing else', async () => {
    for (const [name, team] of [
      ['c1', 'red'],
      ['c2', 'red'],
      ['c3', 'blue'],
    ] as const) {
      await call('POST', jobs, jobBody(name, { metadata: { labels: { team } } }));
    }
    const r = await call('DELETE', `${jobs}?labelSelector=team%3Dred`);
    expect(r.status).toBe(200);
    expect((r.body['items'] as { metadata: { name: string } }[]).map((i) => i.metadata.name).sort()).toEqual([
      'c1',
      'c2',
    ]);
    const left = await call('GET', `${jobs}?labelSelector=team`);
    expect((left.body['items'] as { metadata: { name: string } }[]).map((i) => i.metadata.name)).toEqual([
      'c3',
    ]);
  });

  test('a dry-run delete answers with the object and keeps it', async () => {
    await call('POST', jobs, jobBody('kept'));
    const r = await call('DELETE', `${jobs}/kept`, { dryRun: ['All'] });
    expect(r.status).toBe(200);
    expect((await call('GET', `${jobs}/kept`)).status).toBe(200);
  });

  test('DELETE on the status subresource is 405 and deletes nothing', async () => {
    await call('POST', jobs, jobBody('status-only'));
    const r = await call('DELETE', `${jobs}/status-only/status`);
    expect(r.status).toBe(405);
    expect(r.body['reason']).toBe('MethodNotAllowed');
    expect((await call('GET', `${jobs}/status-only`)).status).toBe(200);
  });
});
