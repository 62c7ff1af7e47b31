/**
 * The typed client's behaviour, as a controller sees it, checked for both implementations against
 * one real API server on loopback: HttpClient (TLS + token) and InProcessClient. Whatever a
 * controller can observe (errors and their codes, generation/status separation, finalizers,
 * paging, watch order and expiry, informer sync) must not depend on which one it was given.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { clientListWatch } from '../../../pkg/client/list-watch.js';
import { JOBS } from '../../../pkg/client/refs.js';
import type { BorealisClient, ResourceClient } from '../../../pkg/client/types.js';
import { type BorealisError, isBorealisError } from '../../../pkg/errors/index.js';
import { Informer } from '../../../pkg/runtime/informer.js';
import { type Job, job, record } from './support/jobs.js';
import { startTestServer, type TestServer } from './support/servers.js';

/** Small, so a few dozen writes push a resourceVersion out of the watch window. */
const WATCH_CACHE_SIZE = 30;
/** Short, so a bookmark arrives within a test (the default is 5 s). */
const BOOKMARK_MS = 200;

let ts: TestServer;
beforeAll(async () => {
  ts = await startTestServer({ watchCacheSize: WATCH_CACHE_SIZE, bookmarkIntervalMs: BOOKMARK_MS });
});
afterAll(async () => {
  await ts?.close();
});

async function failure(p: Promise<unknown>): Promise<BorealisError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isBorealisError(err)) throw new Error(`expected a BorealisError, got ${String(err)}`);
  return err;
}

describe.each([
  ['http', () => ts.clients.http],
  ['in-process', () => ts.clients.inProcess],
] as const)('%s client', (kind: string, client: () => BorealisClient) => {
  let jobs: ResourceClient<Job>;
  const n = (name: string) => `${kind}-${name}`;
  beforeAll(() => {
    jobs = client().resource<Job>(JOBS);
  });

  test('create, get, update and delete a Job', async () => {
    expect(await jobs.get('default', n('crud'))).toBeUndefined();
    const created = await jobs.create(job(n('crud')));
    expect(created.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(created.metadata.uid).toBeTruthy();
    expect(created.metadata.generation).toBe(1);
    expect(created.spec.tier).toBe('preemptible'); // defaulted by the server's schema
    expect(await jobs.get('default', n('crud'))).toEqual(created);

    const updated = await jobs.update({ ...created, spec: { ...created.spec, instances: 3 } });
    expect(updated.spec.instances).toBe(3);
    expect(updated.metadata.generation).toBe(2);
    expect(Number(updated.metadata.resourceVersion)).toBeGreaterThan(
      Number(created.metadata.resourceVersion),
    );

    // Objects handed out are the caller's: changing one does not change the server's.
    updated.spec.instances = 99;
    expect((await jobs.get('default', n('crud')))?.spec.instances).toBe(3);

    await jobs.delete('default', n('crud'));
    expect(await jobs.get('default', n('crud'))).toBeUndefined();
    expect((await failure(jobs.delete('default', n('crud')))).code).toBe('NotFound');
  });

  test('status writes leave spec alone and spec writes leave status alone', async () => {
    const created = await jobs.create(job(n('status')));
    const withStatus = await jobs.updateStatus({
      ...created,
      spec: { ...created.spec, instances: 5 },
      status: { observedGeneration: 1 },
    });
    expect(withStatus.status?.observedGeneration).toBe(1);
    expect(withStatus.spec.instances).toBe(1);
    expect(withStatus.metadata.generation).toBe(1);

    const withSpec = await jobs.update({
      ...withStatus,
      spec: { ...withStatus.spec, instances: 2 },
      status: { observedGeneration: 7 },
    });
    expect(withSpec.spec.instances).toBe(2);
    expect(withSpec.status?.observedGeneration).toBe(1);
    expect(withSpec.metadata.generation).toBe(2);

    const patched = await jobs.patch(
      'default',
      n('status'),
      { status: { observedGeneration: 2 } },
      { status: true },
    );
    expect(patched.status?.observedGeneration).toBe(2);
    expect(patched.metadata.generation).toBe(2);
    const specPatched = await jobs.patch('default', n('status'), { spec: { instances: 4 }, status: null });
    expect(specPatched.spec.instances).toBe(4);
    expect(specPatched.status?.observedGeneration).toBe(2);
    expect(specPatched.metadata.generation).toBe(3);
  });

  test('a stale or missing resourceVersion is refused; creating twice is AlreadyExists', async () => {
    const created = await jobs.create(job(n('cas')));
    await jobs.patch('default', n('cas'), { spec: { instances: 2 } });
    const stale = await failure(jobs.update({ ...created, spec: { ...created.spec, instances: 3 } }));
    expect(stale.code).toBe('Conflict');
    const staleStatus = await failure(jobs.updateStatus({ ...created, status: { observedGeneration: 1 } }));
    expect(staleStatus.code).toBe('Conflict');
    const { resourceVersion: _rv, ...noRv } = created.metadata;
    const missing = await failure(jobs.update({ ...created, metadata: noRv }));
    expect(missing.code).toBe('Invalid');
    expect(missing.causes.map((c) => c.field)).toContain('metadata.resourceVersion');
    const stalePatch = await failure(
      jobs.patch('default', n('cas'), { metadata: { resourceVersion: created.metadata.resourceVersion } }),
    );
    expect(stalePatch.code).toBe('Conflict');

    const again = await failure(jobs.create(job(n('cas'))));
    expect(again.code).toBe('AlreadyExists');
    expect((await jobs.get('default', n('cas')))?.spec.instances).toBe(2);
    expect((await failure(jobs.patch('default', n('nope'), { spec: { instances: 2 } }))).code).toBe(
      'NotFound',
    );
  });

  test('an invalid Job is refused with the offending field named', async () => {
    const bad = job(n('gold'));
    const err = await failure(jobs.create({ ...bad, spec: { ...bad.spec, tier: 'gold' } }));
    expect(err.code).toBe('Invalid');
    expect(err.causes.map((c) => c.field)).toContain('spec.tier');
    expect(await jobs.get('default', n('gold'))).toBeUndefined();
    const noNamespace = job(n('nons'));
    const { namespace: _ns, ...meta } = noNamespace.metadata;
    expect((await failure(jobs.create({ ...noNamespace, metadata: meta }))).code).toBe('NotFound');
  });

  test('delete waits for finalizers and honours a resourceVersion precondition', async () => {
    const created = await jobs.create({
      ...job(n('fin')),
      metadata: { ...job(n('fin')).metadata, finalizers: ['example.com/cleanup'] },
    });
    const stale = await failure(jobs.delete('default', n('fin'), { resourceVersion: '1' }));
    expect(stale.code).toBe('Conflict');
    await jobs.delete('default', n('fin'), { resourceVersion: created.metadata.resourceVersion ?? '' });
    const marked = await jobs.get('default', n('fin'));
    expect(marked?.metadata.deletionTimestamp).toBeTruthy();
    expect(marked?.metadata.finalizers).toEqual(['example.com/cleanup']);
    await jobs.patch('default', n('fin'), { metadata: { finalizers: null } });
    expect(await jobs.get('default', n('fin'))).toBeUndefined();
  });

  test('list filters by label and pages with a stable resourceVersion', async () => {
    const selected = ['p1', 'p2', 'p3', 'p4', 'p5'].map(n);
    for (const name of selected) await jobs.create(job(name, { set: n('paged') }));
    await jobs.create(job(n('other'), { set: n('other') }));
    const all = await jobs.list('default', { labelSelector: `set=${n('paged')}` });
    expect(all.items.map((j) => j.metadata.name).sort()).toEqual(selected);
    expect(all.continue).toBeUndefined();

    const names: string[] = [];
    const versions = new Set<string>();
    let page = await jobs.list('default', { labelSelector: `set=${n('paged')}`, limit: 2 });
    let pages = 1;
    for (;;) {
      names.push(...page.items.map((j) => j.metadata.name ?? ''));
      versions.add(page.resourceVersion);
      expect(page.items.length).toBeLessThanOrEqual(2);
      if (!page.continue) break;
      page = await jobs.list('default', {
        labelSelector: `set=${n('paged')}`,
        limit: 2,
        continue: page.continue,
      });
      pages++;
    }
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(names.sort()).toEqual(selected);
    expect(versions.size).toBe(1);
    expect((await jobs.list('kube-system', { labelSelector: `set=${n('paged')}` })).items).toEqual([]);
  });

  test('a watch from a list resourceVersion sees ADDED, MODIFIED, DELETED in order', async () => {
    const { resourceVersion } = await jobs.list('default');
    const w = record(jobs, resourceVersion, { labelSelector: `w=${n('w')}` });
    try {
      await jobs.create(job(n('w1'), { w: n('w') }));
      await jobs.create(job(n('unwatched'), { w: 'other' }));
      await jobs.patch('default', n('w1'), { spec: { instances: 2 } });
      await jobs.delete('default', n('w1'));
      expect(await w.until(3)).toEqual([
        `ADDED:${n('w1')}:1`,
        `MODIFIED:${n('w1')}:2`,
        `DELETED:${n('w1')}:2`,
      ]);
    } finally {
      w.stream.close();
    }
  });

  test('a watch from a resourceVersion older than the watch cache is Expired', async () => {
    const { resourceVersion } = await jobs.list('default');
    await jobs.create(job(n('churn')));
    for (let i = 2; i < WATCH_CACHE_SIZE + 5; i++)
      await jobs.patch('default', n('churn'), { spec: { instances: i } });
    const w = record(jobs, resourceVersion);
    const err = await w.error();
    expect(isBorealisError(err, 'Expired')).toBe(true);
    expect(w.events).toEqual([]);
  });

  test('a watch sends bookmarks that move past writes its selector filters out', async () => {
    const { resourceVersion } = await jobs.list('default', { labelSelector: `bm=${n('bm')}` });
    const unseen = await jobs.create(job(n('bm-unseen'), { bm: 'other' }));
    const bookmarks: string[] = [];
    let failed: Error | undefined;
    const stream = jobs.watch(
      'default',
      resourceVersion,
      {
        onEvent: (type, obj) => {
          if (type === 'BOOKMARK') bookmarks.push(obj.metadata.resourceVersion ?? '');
          else failed = new Error(`unexpected ${type} ${obj.metadata.name}`);
        },
        onError: (err) => {
          failed = err;
        },
      },
      { labelSelector: `bm=${n('bm')}` },
    );
    try {
      await expect
        .poll(() => bookmarks.at(-1) ?? '0', { timeout: 5000, interval: 50 })
        .satisfy((rv: string) => Number(rv) >= Number(unseen.metadata.resourceVersion));
      expect(failed).toBeUndefined();
    } finally {
      stream.close();
    }
  });

  test('an informer over the client syncs (paged) and follows changes', async () => {
    const selector = { labelSelector: `inf=${n('inf')}` };
    for (const i of [1, 2, 3]) await jobs.create(job(n(`inf${i}`), { inf: n('inf') }));
    const informer = new Informer<Job>({
      name: `jobs-${kind}`,
      source: clientListWatch(jobs, 'default', selector),
      pageSize: 2,
    });
    const seen: string[] = [];
    informer.addEventHandler({
      onAdd: (j) => seen.push(`add:${j.metadata.name}`),
      onUpdate: (_old, j) => seen.push(`update:${j.metadata.name}:${j.spec.instances}`),
      onDelete: (j) => seen.push(`delete:${j.metadata.name}`),
    });
    informer.start();
    try {
      await informer.waitForSync();
      const names = () =>
        informer
          .list()
          .map((j) => j.metadata.name ?? '')
          .sort();
      expect(names()).toEqual([n('inf1'), n('inf2'), n('inf3')]);
      await jobs.create(job(n('inf4'), { inf: n('inf') }));
      await jobs.patch('default', n('inf1'), { spec: { instances: 6 } });
      await jobs.delete('default', n('inf2'));
      await expect.poll(names, { timeout: 5000, interval: 20 }).toEqual([n('inf1'), n('inf3'), n('inf4')]);
      await expect
        .poll(() => informer.get(`default/${n('inf1')}`)?.spec.instances, { timeout: 5000 })
        .toBe(6);
      expect(seen.slice(3)).toEqual([`add:${n('inf4')}`, `update:${n('inf1')}:6`, `delete:${n('inf2')}`]);
      expect(Object.isFrozen(informer.get(`default/${n('inf1')}`))).toBe(true);
    } finally {
      informer.stop();
    }
  });
});
