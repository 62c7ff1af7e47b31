/**
 * @kubernetes/client-node, the second real client: CustomObjectsApi CRUD, KubernetesObjectApi
 * server-side apply, and an informer that keeps its cache right across a 410 re-list.
 */
import {
  CustomObjectsApi,
  KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  makeInformer,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { STORE_KINDS, startTestServer, type TestServer } from './support/harness.js';
import { api, jobBody } from './support/http.js';

describe.each(STORE_KINDS)('on the %s store', (storeKind) => {
  let t: TestServer;
  let kc: KubeConfig;
  const group = 'borealis.dev';
  const version = 'v1';
  const plural = 'jobs';

  beforeAll(async () => {
    // Watches end after a second (as kube-apiserver ends them after its request timeout) so the
    // informer has to resume; a small watch cache lets its resume point fall out of history.
    t = await startTestServer({ storeKind, watchTimeoutSeconds: 1, watchCacheSize: 5 });
    kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'b', server: t.server.url, skipTLSVerify: true }],
      users: [{ name: 'u', token: 'unused' }],
      contexts: [{ name: 'c', cluster: 'b', user: 'u' }],
      currentContext: 'c',
    });
    for (const ns of ['informed', 'elsewhere']) {
      await api(t.server.url, 'POST', '/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: ns },
      });
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  type Job = KubernetesObject & { spec: { instances: number } };
  type Gadget = KubernetesObject & { spec: { size: number } };

  describe('@kubernetes/client-node', () => {
    test('CustomObjectsApi: create, get, list, merge-patch, delete', async () => {
      const objects = kc.makeApiClient(CustomObjectsApi);
      const created = (await objects.createNamespacedCustomObject({
        group,
        version,
        namespace: 'default',
        plural,
        body: jobBody('cn'),
      })) as Job;
      expect(created.metadata?.uid).toBeTruthy();
      const got = (await objects.getNamespacedCustomObject({
        group,
        version,
        namespace: 'default',
        plural,
        name: 'cn',
      })) as Job;
      expect(got.spec.instances).toBe(1);
      const list = (await objects.listNamespacedCustomObject({
        group,
        version,
        namespace: 'default',
        plural,
      })) as { items: Job[] };
      expect(list.items.map((i) => i.metadata?.name)).toContain('cn');
      const patched = (await objects.patchNamespacedCustomObject(
        { group, version, namespace: 'default', plural, name: 'cn', body: { spec: { instances: 3 } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      )) as Job;
      expect(patched.spec.instances).toBe(3);
      await objects.deleteNamespacedCustomObject({
        group,
        version,
        namespace: 'default',
        plural,
        name: 'cn',
      });
      await expect(
        objects.getNamespacedCustomObject({ group, version, namespace: 'default', plural, name: 'cn' }),
      ).rejects.toMatchObject({
        code: 404,
      });
    });

    // KubernetesObjectApi serializes by "<Version><Kind>", so a borealis.dev/v1 Job would go through
    // client-node's batch/v1 Job model and lose its spec; a CRD kind shows the generic path.
    test('KubernetesObjectApi: creates a CRD, then server-side applies its kind', async () => {
      const client = KubernetesObjectApi.makeApiClient(kc);
      await client.create({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'gadgets.example.com' },
        spec: {
          group: 'example.com',
          scope: 'Namespaced',
          names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', listKind: 'GadgetList' },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
                },
              },
            },
          ],
        },
      } as KubernetesObject);
      const gadget = (size: number) =>
        ({
          apiVersion: 'example.com/v1',
          kind: 'Gadget',
          metadata: { name: 'g', namespace: 'default' },
          spec: { size },
        }) as Gadget;
      let first: Gadget | undefined;
      for (let i = 0; i < 20 && first === undefined; i++) {
        first = await client
          .patch(gadget(2), undefined, undefined, 'gitops', true, PatchStrategy.ServerSideApply)
          .then((o) => o as Gadget)
          .catch(async () => {
            await new Promise((r) => setTimeout(r, 100)); // the CRD is being established
            return undefined;
          });
      }
      expect(first?.spec.size).toBe(2);
      const second = (await client.patch(
        gadget(4),
        undefined,
        undefined,
        'gitops',
        true,
        PatchStrategy.ServerSideApply,
      )) as Gadget;
      expect(second.spec.size).toBe(4);
      const read = (await client.read({
        apiVersion: 'example.com/v1',
        kind: 'Gadget',
        metadata: { name: 'g', namespace: 'default' },
      })) as Gadget;
      expect(read.spec.size).toBe(4);
      expect(read.metadata?.managedFields?.map((m) => `${m.manager}/${m.operation}`)).toEqual([
        'gitops/Apply',
      ]);
    });

    test('an informer re-lists after 410 Expired and keeps working', async () => {
      const objects = kc.makeApiClient(CustomObjectsApi);
      const path = '/apis/borealis.dev/v1/namespaces/informed/jobs';
      let lists = 0;
      const informer = makeInformer<Job>(kc, path, () => {
        lists++;
        return objects.listNamespacedCustomObject({ group, version, namespace: 'informed', plural }) as never;
      });
      const added: string[] = [];
      informer.on('add', (o) => added.push(o.metadata?.name ?? ''));
      const create = (ns: string, name: string) =>
        api(t.server.url, 'POST', `/apis/borealis.dev/v1/namespaces/${ns}/jobs`, jobBody(name));
      const until = async (done: () => boolean) => {
        for (let i = 0; i < 60 && !done(); i++) await new Promise((r) => setTimeout(r, 100));
      };
      await create('informed', 'before');
      await informer.start();
      try {
        // While the informer hears nothing, writes elsewhere push its resume point out of the watch
        // cache and compaction out of the store: when its watch times out and resumes, it gets 410.
        for (let i = 0; i < 8; i++) await create('elsewhere', `noise-${i}`);
        await t.store.compact(await t.store.currentRevision());
        await until(() => lists >= 2);
        expect(lists).toBeGreaterThanOrEqual(2);
        expect(informer.list().map((o) => o.metadata?.name)).toEqual(['before']);
        await create('informed', 'after');
        await until(() => added.includes('after'));
        expect(added).toEqual(['before', 'after']);
      } finally {
        await informer.stop();
      }
    });
  });
});
