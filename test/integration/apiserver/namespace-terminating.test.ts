/**
 * A namespace this server has just marked for deletion takes no new content, even while the watch
 * cache that admission reads still shows it live (the cache trails the store by an echo; on etcd
 * under load, long enough for a client's next request — CI saw a Job created after its
 * namespace's DELETE had been answered). The lag is made certain here by serving admission a
 * cached copy from before the delete.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ApiObject } from '../../../api/kind.js';
import { objectKey } from '../../../pkg/apiserver/keys.js';
import type { StoredValue } from '../../../pkg/storage/types.js';
import { STORE_KINDS, startTestServer, type TestServer } from './support/harness.js';
import { api, jobBody } from './support/http.js';

describe.each(STORE_KINDS)('on the %s store', (storeKind) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ storeKind });
  });
  afterAll(async () => {
    await t?.close();
  });
  const call = (method: string, path: string, body?: unknown) => api(t.server.url, method, path, body);

  test('after its DELETE is answered, creating in the namespace is Forbidden although the cache still shows it live', async () => {
    const created = await call('POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'lagging' },
    });
    expect(created.status).toBe(201);
    const nsKind = t.server.registry.byKind('', 'Namespace')!.def;
    const key = objectKey(nsKind, undefined, 'lagging');
    const caches = t.server.watchCaches;
    let before: StoredValue<ApiObject> | undefined;
    for (let i = 0; i < 250 && before === undefined; i++) {
      before = caches.peek(nsKind, key);
      if (before === undefined) await new Promise((r) => setTimeout(r, 20));
    }
    expect(before).toBeDefined();
    // From now on the cache admission reads shows the namespace as it was when created.
    t.server.resources.useRecentObjects((kind, k) => (k === key ? before : caches.peek(kind, k)));
    const jobs = '/apis/borealis.dev/v1/namespaces/lagging/jobs';
    expect((await call('POST', jobs, jobBody('early'))).status).toBe(201);
    expect((await call('DELETE', '/api/v1/namespaces/lagging')).status).toBe(202);
    const late = await call('POST', jobs, jobBody('late'));
    expect(late.status).toBe(403);
    expect(String(late.body['message'])).toMatch(/namespace lagging because it is being terminated/);
    t.server.resources.useRecentObjects((kind, key) => caches.peek(kind, key));
  });
});
