/**
 * The everyday kubectl workflow against a real server: apply, get (every output), label, patch,
 * edit, replace, diff, explain, describe with events, wait and delete, as a platform team uses it.
 */
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { STORE_KINDS, startTestServer, type TestServer } from './support/harness.js';
import { type JobJson, jobYaml } from './support/manifests.js';

describe.each(STORE_KINDS)('on the %s store', (storeKind) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ storeKind });
  });
  afterAll(async () => {
    await t?.close();
  });

  const rvOf = (name: string) => t.k(['get', 'job', name, '-o', 'jsonpath={.metadata.resourceVersion}']);
  const jsonOf = async (name: string) => JSON.parse(await t.k(['get', 'job', name, '-o', 'json'])) as JobJson;

  describe('kubectl against Borealis', () => {
    test('api-resources lists the Borealis kinds with their short names', async () => {
      const out = await t.k(['api-resources']);
      expect(out).toMatch(/^jobs\s+jb\s+borealis\.dev\/v1\s+true\s+Job$/m);
      expect(out).toMatch(/^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);
      expect(out).toMatch(/^customresourcedefinitions\s+crd,crds\s+apiextensions\.k8s\.io\/v1\s+false/m);
    });

    test('apply creates, then updates, and an unchanged apply writes nothing', async () => {
      expect(await t.k(['apply', '-f', '-'], { stdin: jobYaml('web') })).toContain(
        'job.borealis.dev/web created',
      );
      const created = await jsonOf('web');
      expect(created.metadata.generation).toBe(1);
      expect(created.spec.tier).toBe('preemptible'); // defaulted from the schema
      const rv = await rvOf('web');
      expect(await t.k(['apply', '-f', '-'], { stdin: jobYaml('web') })).toContain(
        'job.borealis.dev/web unchanged',
      );
      expect(await rvOf('web')).toBe(rv);
      expect(await t.k(['apply', '-f', '-'], { stdin: jobYaml('web', { instances: 3 }) })).toContain(
        'configured',
      );
      const updated = await jsonOf('web');
      expect(updated.spec.instances).toBe(3);
      expect(updated.metadata.generation).toBe(2);
      expect(Number(updated.metadata.resourceVersion)).toBeGreaterThan(Number(rv));
    });

    test('get prints printer columns, -o wide adds priority columns, -A adds the namespace', async () => {
      await t.k(['apply', '-f', '-'], { stdin: jobYaml('lister', { instances: 4 }) });
      const plain = await t.k(['get', 'jobs']);
      expect(plain.split('\n')[0]).toMatch(/^NAME\s+READY\s+ENV\s+TIER\s+AGE$/);
      expect(plain).toMatch(/^lister\s+prod\s+preemptible\s+\d+s$/m);
      const wide = await t.k(['get', 'jobs', '-o', 'wide']);
      expect(wide.split('\n')[0]).toContain('INSTANCES');
      expect(wide).toMatch(/^lister\s+prod\s+preemptible\s+\d+s\s+4\s/m);
      const all = await t.k(['get', 'jobs', '-A']);
      expect(all.split('\n')[0]).toMatch(/^NAMESPACE\s+NAME/);
      expect(all).toMatch(/^default\s+lister\s/m);
      const yaml = parseYaml(await t.k(['get', 'job', 'lister', '-o', 'yaml'])) as JobJson;
      expect(yaml.kind).toBe('Job');
      expect(yaml.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
      expect(yaml.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    });

    test('label adds and removes labels, and selectors find them', async () => {
      await t.k(['apply', '-f', '-'], { stdin: jobYaml('labelled') });
      expect(await t.k(['label', 'job', 'labelled', 'team=blue'])).toContain('labeled');
      expect(await t.k(['get', 'jobs', '-l', 'team=blue', '-o', 'name'])).toBe('job.borealis.dev/labelled\n');
      expect(await t.k(['get', 'jobs', '-l', 'team in (red,blue),app', '-o', 'name'])).toBe(
        'job.borealis.dev/labelled\n',
      );
      expect(await t.k(['get', 'jobs', '-l', '!team', '-o', 'name'])).not.toContain('labelled');
      await t.k(['label', 'job', 'labelled', 'team-']);
      expect(await t.k(['get', 'jobs', '-l', 'team', '-o', 'name'])).toBe('');
    });

    test('patch --type=merge and --type=json change spec; --subresource=status changes only status', async () => {
      await t.k(['apply', '-f', '-'], { stdin: jobYaml('patched') });
      await t.k(['patch', 'job', 'patched', '--type=merge', '-p', '{"spec":{"instances":5}}']);
      expect((await jsonOf('patched')).spec.instances).toBe(5);
      await t.k([
        'patch',
        'job',
        'patched',
        '--type=json',
        '-p',
        '[{"op":"replace","path":"/spec/instances","value":6}]',
      ]);
      const afterJson = await jsonOf('patched');
      expect(afterJson.spec.instances).toBe(6);
      // A status write through the main resource is ignored...
      await t.k(['patch', 'job', 'patched', '--type=merge', '-p', '{"status":{"observedGeneration":99}}']);
      expect((await jsonOf('patched')).status?.observedGeneration).toBeUndefined();
      // ...and through /status it changes status but not spec, and generation stays.
      const status = '{"status":{"observedGeneration":3},"spec":{"instances":1}}';
      await t.k(['patch', 'job', 'patched', '--subresource=status', '--type=merge', '-p', status]);
      const afterStatus = await jsonOf('patched');
      expect(afterStatus.status?.observedGeneration).toBe(3);
      expect(afterStatus.spec.instances).toBe(6);
      expect(afterStatus.metadata.generation).toBe(afterJson.metadata.generation);
    });

    test('replace needs the live resourceVersion; a stale one is a conflict', async () => {
      await t.k(['apply', '-f', '-'], { stdin: jobYaml('replaced') });
      const live = await jsonOf('replaced');
      live.spec.instances = 9;
      expect(await t.k(['replace', '-f', '-'], { stdin: JSON.stringify(live) })).toContain('replaced');
      expect((await jsonOf('replaced')).spec.instances).toBe(9);
      live.spec.instances = 10; // still carries the old resourceVersion
      const stale = await t.kubectl(['replace', '-f', '-'], { stdin: JSON.stringify(live) });
      expect(stale.code).not.toBe(0);
      expect(stale.stderr).toContain(
        'Operation cannot be fulfilled on jobs.borealis.dev "replaced": the object has been modified; please apply your changes to the latest version and try again',
      );
      expect((await jsonOf('replaced')).spec.instances).toBe(9);
    });

    test('edit through KUBE_EDITOR saves the change', async () => {
      await t.k(['apply', '-f', '-'], { stdin: jobYaml('edited', { instances: 2 }) });
      const editor = join(t.dir, 'editor.sh');
      await writeFile(editor, '#!/bin/sh\nsed -i "s/instances: 2/instances: 7/" "$1"\n');
      await chmod(editor, 0o755);
      const out = await t.k(['edit', 'job', 'edited'], { env: { KUBE_EDITOR: editor } });
      expect(out).toContain('job.borealis.dev/edited edited');
      expect((await jsonOf('edited')).spec.instances).toBe(7);
    });

    test('diff shows the change a manifest would make, without making it', async () => {
      await t.k(['apply', '-f', '-'], { stdin: jobYaml('diffed', { instances: 2 }) });
      const rv = await rvOf('diffed');
      const r = await t.kubectl(['diff', '-f', '-'], { stdin: jobYaml('diffed', { instances: 8 }) });
      expect(r.code).toBe(1); // kubectl diff: 1 = differences found
      expect(r.stdout).toMatch(/^-\s+instances: 2$/m);
      expect(r.stdout).toMatch(/^\+\s+instances: 8$/m);
      expect(await rvOf('diffed')).toBe(rv);
      const none = await t.kubectl(['diff', '-f', '-'], { stdin: jobYaml('diffed', { instances: 2 }) });
      expect(none.code).toBe(0);
    });

    test('explain describes fields from the OpenAPI schema', async () => {
      const out = await t.k(['explain', 'jobs.spec.instances']);
      expect(out).toMatch(/KIND:\s+Job/);
      expect(out).toMatch(/FIELD:\s+instances <integer>/);
      const top = await t.k(['explain', 'job']);
      expect(top).toMatch(/metadata\s+<ObjectMeta>/);
    });

    test('describe shows the events recorded about the object', async () => {
      await t.k(['apply', '-f', '-'], { stdin: jobYaml('described') });
      const uid = await t.k(['get', 'job', 'described', '-o', 'jsonpath={.metadata.uid}']);
      const event = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: 'described.1', namespace: 'default' },
        involvedObject: {
          apiVersion: 'borealis.dev/v1',
          kind: 'Job',
          name: 'described',
          namespace: 'default',
          uid,
        },
        reason: 'TasksPlaced',
        message: 'placed 2 instances',
        type: 'Normal',
        firstTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        lastTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        count: 1,
        source: { component: 'jobs-controller' },
      };
      await t.k(['create', '-f', '-'], { stdin: JSON.stringify(event) });
      const out = await t.k(['describe', 'job', 'described']);
      expect(out).toMatch(/^Events:/m);
      expect(out).toMatch(/Normal\s+TasksPlaced\s+.*jobs-controller\s+placed 2 instances/);
    });

    test('wait --for=condition=Ready returns once a controller reports Ready', async () => {
      await t.k(['apply', '-f', '-'], { stdin: jobYaml('waited') });
      const waiting = t.kubectl(['wait', '--for=condition=Ready', 'job/waited', '--timeout=20s']);
      await new Promise((r) => setTimeout(r, 700));
      const ready = {
        status: {
          observedGeneration: 1,
          conditions: [
            {
              type: 'Ready',
              status: 'True',
              observedGeneration: 1,
              lastTransitionTime: '2026-01-01T00:00:00Z',
              reason: 'AllRunning',
              message: 'all up',
            },
          ],
        },
      };
      await t.k([
        'patch',
        'job',
        'waited',
        '--subresource=status',
        '--type=merge',
        '-p',
        JSON.stringify(ready),
      ]);
      const r = await waiting;
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('job.borealis.dev/waited condition met');
    });

    test('create namespace (sent as protobuf) and delete namespace with everything in it', async () => {
      expect(await t.k(['create', 'namespace', 'team'])).toBe('namespace/team created\n');
      await t.k(['apply', '-n', 'team', '-f', '-'], { stdin: jobYaml('inside') });
      expect(await t.k(['delete', 'namespace', 'team', '--timeout=20s'])).toBe('namespace "team" deleted\n');
      expect((await t.kubectl(['get', 'namespace', 'team'])).stderr).toContain('namespaces "team" not found');
      expect((await t.kubectl(['get', 'job', 'inside', '-n', 'team'])).stderr).toContain('not found');
    });

    test('core kinds take the strategic merge patches kubectl sends them: re-apply and patch a Namespace', async () => {
      const ns = (tier: string) =>
        `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: smp\n  labels: {tier: ${tier}}\n`;
      await t.k(['apply', '-f', '-'], { stdin: ns('a') });
      expect(await t.k(['apply', '-f', '-'], { stdin: ns('b') })).toBe('namespace/smp configured\n');
      await t.k(['patch', 'namespace', 'smp', '-p', '{"metadata":{"labels":{"extra":"1"}}}']);
      expect(await t.k(['get', 'namespace', 'smp', '-o', 'jsonpath={.metadata.labels}'])).toBe(
        '{"extra":"1","tier":"b"}',
      );
    });

    test('delete removes the object', async () => {
      await t.k(['apply', '-f', '-'], { stdin: jobYaml('deleted') });
      expect(await t.k(['delete', 'job', 'deleted'])).toContain('job.borealis.dev "deleted" deleted');
      const r = await t.kubectl(['get', 'job', 'deleted']);
      expect(r.stderr).toContain('jobs.borealis.dev "deleted" not found');
    });
  });
});
