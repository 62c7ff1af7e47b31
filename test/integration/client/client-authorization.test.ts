/**
 * A client acting for someone other than an admin: over HTTP the server authorizes the token's
 * user; in process, given the same Authorizer, the client authorizes the same user the same way.
 * Either way a read-only user can read jobs, is Forbidden to write them (and to touch
 * jobs/status), and its watch is refused unless the policy allows watch.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Authorizer } from '../../../pkg/apiserver/auth.js';
import { HttpClient } from '../../../pkg/client/http/http-client.js';
import { InProcessClient } from '../../../pkg/client/in-process/in-process-client.js';
import { JOBS } from '../../../pkg/client/refs.js';
import type { BorealisClient, ResourceClient } from '../../../pkg/client/types.js';
import { isBorealisError } from '../../../pkg/errors/index.js';
import { type Job, job, record } from './support/jobs.js';
import { startTestServer, type TestServer } from './support/servers.js';

const READER = { name: 'reader', uid: 'u-reader', groups: ['readers'] };
const POLICY = `rules:
  - groups: [readers]
    namespaces: [default]
    verbs: [get, list]
    resources: [jobs]
`;

let ts: TestServer;
let clients: { http: BorealisClient; inProcess: BorealisClient };
beforeAll(async () => {
  ts = await startTestServer({ extraTokens: ['reader-token,reader,u-reader,"readers"'], policy: POLICY });
  clients = {
    http: new HttpClient({ server: ts.server.url, token: 'reader-token', ca: ts.ca }),
    inProcess: new InProcessClient(ts.server, {
      user: READER,
      authorizer: Authorizer.fromFiles(ts.tokenFile, ts.policyFile),
    }),
  };
  await ts.clients.inProcess.resource<Job>(JOBS).create(job('guarded'));
});
afterAll(async () => {
  await clients?.http.close();
  await ts?.close();
});

async function code(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'ok',
    (e: unknown) => (isBorealisError(e) ? e.code : String(e)),
  );
}

describe.each(['http', 'inProcess'] as const)('%s client as a read-only user', (which) => {
  let jobs: ResourceClient<Job>;
  beforeAll(() => {
    jobs = clients[which].resource<Job>(JOBS);
  });

  test('reads what the policy allows', async () => {
    expect((await jobs.get('default', 'guarded'))?.metadata.name).toBe('guarded');
    expect((await jobs.list('default')).items.map((j) => j.metadata.name)).toContain('guarded');
  });

  test('is Forbidden to write, and nothing is written', async () => {
    const current = await jobs.get('default', 'guarded');
    if (!current) throw new Error('guarded job missing');
    expect(await code(jobs.create(job(`${which}-new`)))).toBe('Forbidden');
    expect(await code(jobs.update({ ...current, spec: { ...current.spec, instances: 4 } }))).toBe(
      'Forbidden',
    );
    expect(await code(jobs.updateStatus({ ...current, status: { observedGeneration: 1 } }))).toBe(
      'Forbidden',
    );
    expect(await code(jobs.patch('default', 'guarded', { spec: { instances: 3 } }))).toBe('Forbidden');
    expect(await code(jobs.delete('default', 'guarded'))).toBe('Forbidden');
    expect(await code(jobs.get('kube-system', 'guarded').then(() => undefined))).toBe('Forbidden');
    const after = await jobs.get('default', 'guarded');
    expect(after?.metadata.resourceVersion).toBe(current.metadata.resourceVersion);
    expect(await ts.clients.http.resource<Job>(JOBS).get('default', `${which}-new`)).toBeUndefined();
  });

  test('a watch the policy does not allow ends at once with Forbidden', async () => {
    const w = record(jobs, '0');
    const err = await w.error();
    expect(isBorealisError(err, 'Forbidden')).toBe(true);
    expect(w.events).toEqual([]);
  });
});
