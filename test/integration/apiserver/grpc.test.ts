/**
 * The gRPC resource service with a real grpc-js client: apply, get, list, watch and delete reach
 * the same objects and rules as REST, and the bearer token is checked the same way.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadResourcesService } from '../../../pkg/apiserver/grpc.js';
import { startTestServer, type TestServer } from './support/harness.js';
import { api } from './support/http.js';
import { jobYaml } from './support/manifests.js';

let t: TestServer;
let client: grpc.Client;
let tokenDir: string;
const ref = (name = '') => ({
  group: 'borealis.dev',
  version: 'v1',
  resource: 'jobs',
  namespace: 'default',
  name,
});

type Unary = (
  req: unknown,
  md: grpc.Metadata,
  cb: (err: grpc.ServiceError | null, res: { json: string }) => void,
) => void;
function rpc<T>(method: string, req: unknown, token = 'grpc-admin'): Promise<T> {
  const md = new grpc.Metadata();
  md.set('authorization', `Bearer ${token}`);
  const fn = (client as unknown as Record<string, Unary>)[method]!.bind(client);
  return new Promise((resolve, reject) => fn(req, md, (err, res) => (err ? reject(err) : resolve(res as T))));
}

beforeAll(async () => {
  tokenDir = await mkdtemp(join(tmpdir(), 'borealis-grpc-'));
  const tokenFile = join(tokenDir, 'tokens.csv');
  await writeFile(tokenFile, 'grpc-admin,admin,1,"system:masters"\ngrpc-viewer,viewer,2\n');
  t = await startTestServer({ grpcPort: 0, tokenFile });
  const Ctor = grpc.makeGenericClientConstructor(loadResourcesService(), 'Resources');
  client = new Ctor(`127.0.0.1:${t.server.grpcPort}`, grpc.credentials.createInsecure());
});
afterAll(async () => {
  client?.close();
  await t?.close();
  await rm(tokenDir, { recursive: true, force: true });
});

describe('gRPC resource service', () => {
  test('Apply creates through server-side apply; Get and List see it; REST sees it too', async () => {
    const applied = await rpc<{ json: string }>('Apply', {
      ref: ref('rpc'),
      manifest: jobYaml('rpc'),
      fieldManager: 'grpc-test',
    });
    expect(JSON.parse(applied.json).metadata.managedFields[0].manager).toBe('grpc-test');
    const got = JSON.parse((await rpc<{ json: string }>('Get', { ref: ref('rpc') })).json);
    expect(got.spec.instances).toBe(2);
    const list = await rpc<{ items: { json: string }[]; resourceVersion: string }>('List', {
      ref: ref(),
      labelSelector: 'app=rpc',
    });
    expect(list.items.map((i) => JSON.parse(i.json).metadata.name)).toEqual(['rpc']);
    expect(Number(list.resourceVersion)).toBeGreaterThan(0);
    const rest = await api(
      t.server.url,
      'GET',
      '/apis/borealis.dev/v1/namespaces/default/jobs/rpc',
      undefined,
      {
        Authorization: 'Bearer grpc-admin',
      },
    );
    expect((rest.body['metadata'] as { uid: string }).uid).toBe(got.metadata.uid);
  });

  test('Watch streams ADDED for existing objects, then changes', async () => {
    await rpc('Apply', { ref: ref('watched'), manifest: jobYaml('watched'), fieldManager: 'grpc-test' });
    const md = new grpc.Metadata();
    md.set('authorization', 'Bearer grpc-admin');
    const stream = (
      client as unknown as Record<
        string,
        (
          req: unknown,
          md: grpc.Metadata,
        ) => grpc.ClientReadableStream<{ type: string; object: { json: string } }>
      >
    )['Watch']!.call(client, { ref: ref(), fieldSelector: 'metadata.name=watched' }, md);
    const events: string[] = [];
    const done = new Promise<void>((resolve) => {
      stream.on('data', (e: { type: string; object: { json: string } }) => {
        events.push(`${e.type}:${JSON.parse(e.object.json).spec.instances}`);
        if (events.length === 2) resolve();
      });
    });
    stream.on('error', () => {});
    await new Promise((r) => setTimeout(r, 200));
    await rpc('Apply', {
      ref: ref('watched'),
      manifest: jobYaml('watched', { instances: 5 }),
      fieldManager: 'grpc-test',
    });
    await done;
    stream.cancel();
    expect(events).toEqual(['ADDED:2', 'MODIFIED:5']);
  });

  test('errors carry gRPC codes; a bad token is UNAUTHENTICATED, a viewer PERMISSION_DENIED', async () => {
    await expect(rpc('Get', { ref: ref('missing') })).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
    await expect(rpc('Get', { ref: ref('rpc') }, 'nope')).rejects.toMatchObject({
      code: grpc.status.UNAUTHENTICATED,
    });
    await expect(rpc('Delete', { ref: ref('rpc') }, 'grpc-viewer')).rejects.toMatchObject({
      code: grpc.status.PERMISSION_DENIED,
    });
    await expect(
      rpc('Apply', { ref: ref('bad'), manifest: jobYaml('bad', { instances: -1 }), fieldManager: 'x' }),
    ).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
  });

  test('Delete removes the object', async () => {
    await rpc('Apply', { ref: ref('gone'), manifest: jobYaml('gone'), fieldManager: 'grpc-test' });
    await rpc('Delete', { ref: ref('gone') });
    await expect(rpc('Get', { ref: ref('gone') })).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
  });
});
