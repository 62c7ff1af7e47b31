/**
 * kubectl delete --cascade=background|orphan|foreground over owner references: dependents are
 * deleted after, kept without the owner reference, or deleted before the owner. The logic is the
 * server's own (no store specifics), so the memory store only.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from './support/harness.js';
import { api, jobBody } from './support/http.js';

let t: TestServer;
const jobs = '/apis/borealis.dev/v1/namespaces/default/jobs';
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

async function family(owner: string): Promise<void> {
  const created = await api(t.server.url, 'POST', jobs, jobBody(owner));
  const uid = (created.body['metadata'] as { uid: string }).uid;
  const ownerReferences = [{ apiVersion: 'borealis.dev/v1', kind: 'Job', name: owner, uid }];
  await api(t.server.url, 'POST', jobs, jobBody(`${owner}-child`, { metadata: { ownerReferences } }));
}
const exists = async (name: string) => (await api(t.server.url, 'GET', `${jobs}/${name}`)).status === 200;
const until = async (check: () => Promise<boolean>) => {
  for (let i = 0; i < 50 && !(await check()); i++) await new Promise((r) => setTimeout(r, 100));
  return check();
};

describe('kubectl delete --cascade', () => {
  test('orphan keeps the dependent and drops its owner reference', async () => {
    await family('o');
    expect(await t.k(['delete', 'job', 'o', '--cascade=orphan', '--timeout=20s'])).toBe(
      'job.borealis.dev "o" deleted\n',
    );
    expect(await exists('o')).toBe(false);
    await new Promise((r) => setTimeout(r, 300)); // give a wrong collection the chance to happen
    expect(await exists('o-child')).toBe(true);
    const child = await api(t.server.url, 'GET', `${jobs}/o-child`);
    expect((child.body['metadata'] as { ownerReferences?: unknown }).ownerReferences).toBeUndefined();
  });

  test('foreground deletes the dependent before the owner', async () => {
    await family('f');
    expect(await t.k(['delete', 'job', 'f', '--cascade=foreground', '--timeout=20s'])).toBe(
      'job.borealis.dev "f" deleted\n',
    );
    expect(await exists('f')).toBe(false);
    expect(await exists('f-child')).toBe(false);
  });

  test('background (the default) deletes the owner, then the dependent', async () => {
    await family('b');
    await t.k(['delete', 'job', 'b']);
    expect(await until(async () => !(await exists('b-child')))).toBe(true);
  });
});
