/**
 * Less travelled paths, for both clients on one server: dry runs answer like the write but keep
 * nothing, a malformed resourceVersion and a kind the server does not serve fail the same way;
 * and, in process only, a handler that throws ends its own watch, not the server's watch cache.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { JOBS } from '../../../pkg/client/refs.js';
import type { BorealisClient, ResourceClient } from '../../../pkg/client/types.js';
import { isBorealisError } from '../../../pkg/errors/index.js';
import { type Job, job, record } from './support/jobs.js';
import { startTestServer, type TestServer } from './support/servers.js';

const WIDGETS = { group: 'example.com', version: 'v1', plural: 'widgets', namespaced: true };

let ts: TestServer;
beforeAll(async () => {
  ts = await startTestServer();
});
afterAll(async () => {
  await ts?.close();
});

async function code(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'ok',
    (e: unknown) => (isBorealisError(e) ? e.code : String(e)),
  );
}

describe.each(['http', 'inProcess'] as const)('%s client', (which) => {
  let client: BorealisClient;
  let jobs: ResourceClient<Job>;
  const n = (name: string) => `${which.toLowerCase()}-${name}`;
  beforeAll(() => {
    client = ts.clients[which];
    jobs = client.resource<Job>(JOBS);
  });

  test('a dry run is validated and answered like the write, and stores nothing', async () => {
    const dry = await jobs.create(job(n('dry')), { dryRun: true });
    expect(dry.spec.tier).toBe('preemptible');
    expect(await jobs.get('default', n('dry'))).toBeUndefined();
    const bad = job(n('dry'));
    const refused = await code(
      jobs.create({ ...bad, spec: { ...bad.spec, instances: -1 } }, { dryRun: true }),
    );
    expect(refused).toBe('Invalid');

    const real = await jobs.create(job(n('real')));
    const dryUpdate = await jobs.update({ ...real, spec: { ...real.spec, instances: 4 } }, { dryRun: true });
    expect(dryUpdate.spec.instances).toBe(4);
    const dryPatch = await jobs.patch('default', n('real'), { spec: { instances: 5 } }, { dryRun: true });
    expect(dryPatch.spec.instances).toBe(5);
    const stored = await jobs.get('default', n('real'));
    expect(stored?.spec.instances).toBe(1);
    expect(stored?.metadata.resourceVersion).toBe(real.metadata.resourceVersion);
  });

  test('a malformed resourceVersion ends the watch with BadRequest', async () => {
    const err = await record(jobs, 'not-a-number').error();
    expect(isBorealisError(err, 'BadRequest')).toBe(true);
  });

  test('a kind the server does not serve is NotFound (get: undefined)', async () => {
    const widgets = client.resource<Job>(WIDGETS);
    expect(await widgets.get('default', 'w')).toBeUndefined();
    expect(await code(widgets.list('default'))).toBe('NotFound');
    expect(await code(widgets.create({ ...job('w'), apiVersion: 'example.com/v1', kind: 'Widget' }))).toBe(
      'NotFound',
    );
    expect(isBorealisError(await record(widgets, '0').error(), 'NotFound')).toBe(true);
  });
});

test('in process, a throwing handler ends its own watch only', async () => {
  const jobs = ts.clients.inProcess.resource<Job>(JOBS);
  const { resourceVersion } = await jobs.list('default');
  let thrownTo: Error | undefined;
  jobs.watch('default', resourceVersion, {
    onEvent: () => {
      throw new Error('handler bug');
    },
    onError: (err) => {
      thrownTo = err;
    },
  });
  const healthy = record(jobs, resourceVersion);
  try {
    await jobs.create(job('throw-1'));
    await jobs.create(job('throw-2'));
    expect(await healthy.until(2)).toEqual(['ADDED:throw-1:1', 'ADDED:throw-2:1']);
    expect(isBorealisError(thrownTo, 'Internal')).toBe(true);
    expect(thrownTo?.message).toBe('handler bug');
    // The watch cache still serves new watches.
    const later = record(jobs, resourceVersion);
    expect(await later.until(2)).toEqual(['ADDED:throw-1:1', 'ADDED:throw-2:1']);
    later.stream.close();
  } finally {
    healthy.stream.close();
  }
});
