/**
 * A CRD serving two versions: both serve the same objects (Kubernetes' "None" conversion, only
 * apiVersion differs), discovery lists both, and deleting the CRD stops serving and removes them.
 * Registration logic is store-independent, so the memory store only.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from './support/harness.js';
import { api } from './support/http.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

const version = (name: string, storage: boolean) => ({
  name,
  served: true,
  storage,
  schema: {
    openAPIV3Schema: {
      type: 'object',
      properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
    },
  },
});
const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'gizmos.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'gizmos', singular: 'gizmo', kind: 'Gizmo', listKind: 'GizmoList' },
    versions: [version('v1alpha1', false), version('v1', true)],
  },
};

describe('CRD with two versions', () => {
  test('both versions serve the same objects under their own apiVersion', async () => {
    expect(
      (await api(t.server.url, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd))
        .status,
    ).toBe(201);
    const alpha = '/apis/example.com/v1alpha1/namespaces/default/gizmos';
    let created = 0;
    for (let i = 0; i < 20 && created !== 201; i++) {
      created = (
        await api(t.server.url, 'POST', alpha, {
          apiVersion: 'example.com/v1alpha1',
          kind: 'Gizmo',
          metadata: { name: 'g' },
          spec: { size: 1 },
        })
      ).status;
      if (created !== 201) await new Promise((r) => setTimeout(r, 50));
    }
    expect(created).toBe(201);
    const v1 = await api(t.server.url, 'GET', '/apis/example.com/v1/namespaces/default/gizmos/g');
    expect(v1.body['apiVersion']).toBe('example.com/v1');
    const list = await api(t.server.url, 'GET', '/apis/example.com/v1/gizmos');
    expect((list.body['items'] as { apiVersion: string }[]).map((i) => i.apiVersion)).toEqual([
      'example.com/v1',
    ]);
    const group = await api(t.server.url, 'GET', '/apis/example.com');
    expect((group.body['versions'] as { version: string }[]).map((v) => v.version)).toEqual([
      'v1',
      'v1alpha1',
    ]);
    expect((group.body['preferredVersion'] as { version: string }).version).toBe('v1');

    expect(
      (
        await api(
          t.server.url,
          'DELETE',
          '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gizmos.example.com',
        )
      ).status,
    ).toBe(200);
    let gone = 0;
    for (let i = 0; i < 20 && gone !== 404; i++) {
      gone = (await api(t.server.url, 'GET', '/apis/example.com/v1/namespaces/default/gizmos/g')).status;
      if (gone !== 404) await new Promise((r) => setTimeout(r, 50));
    }
    expect(gone).toBe(404);
  });
});
