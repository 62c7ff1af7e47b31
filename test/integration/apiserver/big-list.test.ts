/**
 * A list too big for one write is streamed in chunks (pkg/apiserver/list-body.ts); a client must
 * not be able to tell: the same Content-Length, the same bytes as the objects read one by one,
 * whole pages with limit/continue, and other requests still answered while lists are in flight.
 */
import { get as httpGet } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { STORE_KINDS, startTestServer, type TestServer } from './support/harness.js';
import { api, jobBody } from './support/http.js';

const JOBS = 200;
// ≈ 2 KB of annotation per Job: the list (≈ 600 KB) is several times the 256 KB chunk.
const NOTE = 'ünïcødé ✓ '.repeat(200);

describe.each(STORE_KINDS)('on the %s store', (storeKind) => {
  let t: TestServer;
  const jobs = '/apis/borealis.dev/v1/namespaces/default/jobs';
  beforeAll(async () => {
    t = await startTestServer({ storeKind });
    for (let i = 0; i < JOBS; i++) {
      const name = `big-${String(i).padStart(3, '0')}`;
      const body = jobBody(name, { metadata: { name, annotations: { note: `${i} ${NOTE}` } } });
      expect((await api(t.server.url, 'POST', jobs, body)).status).toBe(201);
    }
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  test('a big list is the exact JSON of its items, with a Content-Length that matches', async () => {
    const res = await fetch(`${t.server.url}${jobs}`);
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.length).toBeGreaterThan(2 * 256 * 1024);
    expect(res.headers.get('content-length')).toBe(String(bytes.length));
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const list = JSON.parse(bytes.toString('utf8')) as {
      metadata: { resourceVersion: string };
      items: { metadata: { name: string } }[];
    };
    expect(list.items).toHaveLength(JOBS);
    // Nothing changed in between: each item reads back byte for byte as a GET of it.
    const items: string[] = [];
    for (const item of list.items)
      items.push((await api(t.server.url, 'GET', `${jobs}/${item.metadata.name}`)).text);
    const expected = `{"kind":"JobList","apiVersion":"borealis.dev/v1","metadata":${JSON.stringify(list.metadata)},"items":[${items.join(',')}]}`;
    expect(bytes.toString('utf8')).toBe(expected);
  });

  test('limit and continue give whole pages of big lists', async () => {
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await api(t.server.url, 'GET', `${jobs}?limit=120${token ? `&continue=${token}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-length')).toBe(String(Buffer.byteLength(page.text)));
      const body = page.body as { metadata: { continue?: string }; items: { metadata: { name: string } }[] };
      names.push(...body.items.map((i) => i.metadata.name));
      token = body.metadata.continue || undefined;
    } while (token);
    expect(names).toEqual(Array.from({ length: JOBS }, (_, i) => `big-${String(i).padStart(3, '0')}`));
  });

  test('lists in flight do not stop other requests, and a client hanging up mid-list is harmless', async () => {
    const lists = Array.from({ length: 8 }, () => api(t.server.url, 'GET', jobs));
    // The first chunk came; hang up before the rest (the socket is closed, not kept alive).
    const dropped = new Promise<number>((resolve, reject) => {
      const req = httpGet(`${t.server.url}${jobs}`, (res) => {
        res.once('data', (chunk: Buffer) => {
          req.destroy();
          resolve(chunk.length);
        });
      });
      req.on('error', reject);
    });
    const get = await api(t.server.url, 'GET', `${jobs}/big-007`);
    expect(get.status).toBe(200);
    expect(await dropped).toBeGreaterThan(0);
    for (const list of await Promise.all(lists)) expect((list.body['items'] as unknown[]).length).toBe(JOBS);
    expect((await api(t.server.url, 'GET', `${jobs}/big-008`)).status).toBe(200);
  });
});
