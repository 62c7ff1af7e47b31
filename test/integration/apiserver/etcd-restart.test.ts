/**
 * The API over etcd survives an etcd restart: writes while etcd is down fail with a Status, and
 * afterwards a watch opened before the restart goes on delivering changes.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { EtcdStore } from '../../../pkg/storage/etcd/etcd-store.js';
import { type EtcdServer, startEtcd } from '../../harness/etcd.js';
import { startTestServer, type TestServer } from './support/harness.js';
import { api, jobBody, watchEvents } from './support/http.js';

let etcd: EtcdServer;
let t: TestServer;
const jobs = '/apis/borealis.dev/v1/namespaces/default/jobs';
beforeAll(async () => {
  etcd = await startEtcd(); // its own etcd: this test stops it
  t = await startTestServer({
    store: new EtcdStore({ endpoints: [etcd.endpoint], keyPrefix: `/r-${randomUUID()}` }),
  });
});
afterAll(async () => {
  await t?.close();
  await etcd?.stop();
});

describe('etcd restart', () => {
  test('a watch opened before the restart sees writes made after it', async () => {
    const first = await api(t.server.url, 'POST', jobs, jobBody('before'));
    const rv = (first.body['metadata'] as { resourceVersion: string }).resourceVersion;
    const watching = watchEvents(`${t.server.url}${jobs}?watch=true&resourceVersion=${rv}`, 1, {
      timeoutMs: 25_000,
    });
    await etcd.kill();
    const down = await api(t.server.url, 'POST', jobs, jobBody('while-down'));
    expect(down.status).toBeGreaterThanOrEqual(500);
    expect(down.body['kind']).toBe('Status');
    await etcd.restart();
    let created = 0;
    for (let i = 0; i < 100 && created !== 201; i++) {
      created = (await api(t.server.url, 'POST', jobs, jobBody('after'))).status;
      if (created !== 201) await new Promise((r) => setTimeout(r, 200));
    }
    expect(created).toBe(201);
    const events = await watching;
    expect(events.map((e) => `${e.type}:${e.object.metadata.name}`)).toEqual(['ADDED:after']);
  }, 40_000);
});
