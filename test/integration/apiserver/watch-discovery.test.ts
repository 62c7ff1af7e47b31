/**
 * Watch semantics (synthetic ADDED, resume, bookmarks, 410 Expired, Table events) and the
 * discovery / OpenAPI documents clients build themselves from.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { STORE_KINDS, startTestServer, type TestServer } from './support/harness.js';
import { api, jobBody, watchEvents } from './support/http.js';

describe.each(STORE_KINDS)('on the %s store', (storeKind) => {
  let t: TestServer;
  const jobs = '/apis/borealis.dev/v1/namespaces/default/jobs';
  const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
  beforeAll(async () => {
    // A small watch cache, so a resume point falls out of it after a few writes (as after hours).
    t = await startTestServer({ storeKind, watchCacheSize: 5 });
  });
  afterAll(async () => {
    await t?.close();
  });
  const call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    api(t.server.url, method, path, body, headers);
  const rvOf = (r: { body: Record<string, unknown> }) =>
    (r.body['metadata'] as { resourceVersion: string }).resourceVersion;

  describe('watch', () => {
    test('without a resourceVersion: ADDED for what exists, then changes', async () => {
      await call('POST', jobs, jobBody('w-existing'));
      const events = watchEvents(
        `${t.server.url}${jobs}?watch=true&fieldSelector=metadata.name%3Dw-existing`,
        2,
      );
      await new Promise((r) => setTimeout(r, 200));
      await call(
        'PATCH',
        `${jobs}/w-existing`,
        { spec: { instances: 2 } },
        { 'Content-Type': 'application/merge-patch+json' },
      );
      const got = await events;
      expect(got.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED']);
      expect(got.every((e) => e.object.metadata.resourceVersion !== undefined)).toBe(true);
    });

    test('from a resourceVersion: exactly the changes after it', async () => {
      const created = await call('POST', jobs, jobBody('w-resume'));
      const merge = { 'Content-Type': 'application/merge-patch+json' };
      await call('PATCH', `${jobs}/w-resume`, { spec: { instances: 2 } }, merge);
      await call('DELETE', `${jobs}/w-resume`);
      const got = await watchEvents(
        `${t.server.url}${jobs}?watch=true&resourceVersion=${rvOf(created)}&fieldSelector=metadata.name%3Dw-resume`,
        2,
      );
      expect(got.map((e) => e.type)).toEqual(['MODIFIED', 'DELETED']);
    });

    test('objects leaving a label selector arrive as DELETED', async () => {
      const created = await call(
        'POST',
        jobs,
        jobBody('w-label', { metadata: { labels: { track: 'yes' } } }),
      );
      await call(
        'PATCH',
        `${jobs}/w-label`,
        { metadata: { labels: { track: 'no' } } },
        { 'Content-Type': 'application/merge-patch+json' },
      );
      const got = await watchEvents(
        `${t.server.url}${jobs}?watch=true&resourceVersion=${Number(rvOf(created)) - 1}&labelSelector=track%3Dyes`,
        2,
      );
      expect(got.map((e) => e.type)).toEqual(['ADDED', 'DELETED']);
    });

    test('bookmarks carry only a resourceVersion', async () => {
      const list = await call('GET', jobs);
      const got = await watchEvents(
        `${t.server.url}${jobs}?watch=true&allowWatchBookmarks=true&resourceVersion=${rvOf(list)}`,
        1,
        {
          timeoutMs: 4000,
        },
      );
      expect(got[0]?.type).toBe('BOOKMARK');
      expect(Number(got[0]?.object.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(rvOf(list)));
      expect(Object.keys(got[0]?.object ?? {}).sort()).toEqual(['apiVersion', 'kind', 'metadata']);
    });

    test('a compacted resourceVersion: one ERROR event with 410 Expired; a stale continue: 410', async () => {
      await call('POST', jobs, jobBody('c1'));
      await call('POST', jobs, jobBody('c2'));
      const page = await call('GET', `${jobs}?limit=1`);
      const token = (page.body['metadata'] as { continue: string }).continue;
      for (const n of ['c3', 'c4', 'c5', 'c6', 'c7', 'c8']) await call('POST', jobs, jobBody(n));
      await t.store.compact(await t.store.currentRevision());
      const got = await watchEvents(`${t.server.url}${jobs}?watch=true&resourceVersion=1`, 2);
      expect(got).toHaveLength(1);
      expect(got[0]?.type).toBe('ERROR');
      expect(got[0]?.object).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
      const stale = await call('GET', `${jobs}?limit=1&continue=${encodeURIComponent(token)}`);
      expect(stale.status).toBe(410);
      expect(stale.body['reason']).toBe('Expired');
    });

    test('with a Table Accept header each event is a one-row Table', async () => {
      await call('POST', jobs, jobBody('w-table'));
      const got = await watchEvents(
        `${t.server.url}${jobs}?watch=true&fieldSelector=metadata.name%3Dw-table`,
        1,
        { headers: { Accept: TABLE } },
      );
      expect(got[0]?.object.kind).toBe('Table');
      expect(got[0]?.object.rows?.[0]?.cells[0]).toBe('w-table');
    });
  });

  describe('tables', () => {
    test('cells follow printer columns, ages render like kube-apiserver', async () => {
      await call('POST', jobs, jobBody('tbl'));
      const r = await call('GET', `${jobs}?limit=500`, undefined, { Accept: TABLE });
      expect(r.headers.get('content-type')).toContain('as=Table');
      const columns = (r.body['columnDefinitions'] as { name: string; priority: number }[]).map(
        (c) => `${c.name}:${c.priority}`,
      );
      expect(columns.slice(0, 5)).toEqual(['Name:0', 'Ready:0', 'Env:0', 'Tier:0', 'Age:0']);
      expect(columns).toContain('Instances:1');
      const row = (r.body['rows'] as { cells: unknown[]; object: { kind: string } }[]).find(
        (x) => x.cells[0] === 'tbl',
      );
      expect(row?.cells[2]).toBe('prod');
      expect(row?.cells[4]).toMatch(/^\d+s$/);
      expect(row?.object.kind).toBe('PartialObjectMetadata');
    });
  });

  describe('discovery and OpenAPI', () => {
    test('aggregated discovery answers in one document with responseKind per resource', async () => {
      const accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';
      const r = await call('GET', '/apis', undefined, { Accept: accept });
      expect(r.headers.get('content-type')).toContain('as=APIGroupDiscoveryList');
      const group = (
        r.body['items'] as {
          metadata: { name: string };
          versions: { resources: Record<string, unknown>[] }[];
        }[]
      ).find((g) => g.metadata.name === 'borealis.dev');
      const jobRes = group?.versions[0]?.resources.find((x) => x['resource'] === 'jobs');
      expect(jobRes).toMatchObject({
        responseKind: { group: 'borealis.dev', version: 'v1', kind: 'Job' },
        scope: 'Namespaced',
        singularResource: 'job',
        shortNames: ['jb'],
        subresources: [{ subresource: 'status', verbs: ['get', 'patch', 'update'] }],
      });
      const legacy = await call('GET', '/apis/borealis.dev/v1');
      expect((legacy.body['resources'] as { name: string }[]).map((x) => x.name)).toContain('jobs/status');
      expect((await call('GET', '/version')).body).toMatchObject({
        major: '1',
        minor: '32',
        gitVersion: 'v1.32.0-borealis',
      });
    });

    test('the OpenAPI PATCH operation offers fieldValidation and exactly three patch types', async () => {
      const index = await call('GET', '/openapi/v3');
      const url = (index.body['paths'] as Record<string, { serverRelativeURL: string }>)[
        'apis/borealis.dev/v1'
      ]?.serverRelativeURL;
      expect(url).toMatch(/^\/openapi\/v3\/apis\/borealis\.dev\/v1\?hash=[0-9A-F]+$/);
      const doc = await call('GET', url ?? '');
      type PatchOperation = {
        requestBody: { content: Record<string, unknown> };
        parameters: { name: string }[];
        'x-kubernetes-group-version-kind': unknown;
      };
      const paths = doc.body['paths'] as Record<string, { patch: PatchOperation }>;
      const patch = paths['/apis/borealis.dev/v1/namespaces/{namespace}/jobs/{name}']?.patch;
      expect(Object.keys(patch?.requestBody.content ?? {}).sort()).toEqual([
        'application/apply-patch+yaml',
        'application/json-patch+json',
        'application/merge-patch+json',
      ]);
      expect(patch?.parameters.map((p) => p.name)).toContain('fieldValidation');
      expect(patch?.['x-kubernetes-group-version-kind']).toEqual({
        group: 'borealis.dev',
        version: 'v1',
        kind: 'Job',
      });
      const schemas = (doc.body['components'] as { schemas: Record<string, Record<string, unknown>> })
        .schemas;
      expect(schemas['dev.borealis.v1.Job']?.['x-kubernetes-group-version-kind']).toEqual([
        { group: 'borealis.dev', version: 'v1', kind: 'Job' },
      ]);
    });

    test('health endpoints answer without credentials; metrics count requests', async () => {
      for (const path of ['/healthz', '/readyz', '/livez']) expect((await call('GET', path)).text).toBe('ok');
      const metrics = await call('GET', '/metrics');
      expect(metrics.text).toMatch(
        /borealis_apiserver_requests_total\{verb="create",resource="jobs",code="201"\} \d+/,
      );
      const watches =
        /borealis_apiserver_requests_total\{verb="watch",resource="jobs",code="200"\} (\d+)/.exec(
          metrics.text,
        );
      expect(Number(watches?.[1])).toBe(6); // the six watches the tests above opened, each counted once
    });

    test('metrics count the store transactions and writes the server committed', async () => {
      const counters = async () => {
        const text = (await call('GET', '/metrics')).text;
        const read = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1]);
        return {
          txns: read('borealis_storage_transactions_total'),
          writes: read('borealis_storage_writes_total'),
        };
      };
      const before = await counters();
      expect(before.writes).toBeGreaterThan(0);
      await call('POST', jobs, jobBody('counted'));
      const after = await counters();
      expect(after.writes).toBeGreaterThan(before.writes);
      expect(after.txns).toBeGreaterThan(before.txns);
      expect(after.txns).toBeLessThanOrEqual(after.writes);
    });
  });
});
