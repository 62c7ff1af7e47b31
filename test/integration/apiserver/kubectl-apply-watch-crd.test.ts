/**
 * Server-side apply between field managers, watching with `get -w`, pruning with an allowlist,
 * and a CRD registered and then used by kubectl like any built-in kind.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { STORE_KINDS, startTestServer, type TestServer } from './support/harness.js';
import { type JobJson, jobYaml } from './support/manifests.js';

const widgetCrd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: widgets.example.com }
spec:
  group: example.com
  scope: Namespaced
  names: { plural: widgets, singular: widget, kind: Widget, listKind: WidgetList, shortNames: [wd] }
  versions:
    - name: v1
      served: true
      storage: true
      subresources: { status: {} }
      additionalPrinterColumns:
        - { name: Size, type: integer, jsonPath: .spec.size }
        - { name: Color, type: string, jsonPath: .spec.color, priority: 1 }
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [size]
              properties:
                size: { type: integer, minimum: 1, description: How big the widget is. }
                color: { type: string, default: blue }
            status:
              type: object
              properties:
                phase: { type: string }
`;

describe.each(STORE_KINDS)('on the %s store', (storeKind) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ storeKind });
  });
  afterAll(async () => {
    await t?.close();
  });

  const jsonOf = async (name: string) => JSON.parse(await t.k(['get', 'job', name, '-o', 'json'])) as JobJson;

  describe('server-side apply', () => {
    test('a second field manager conflicts on fields another owns, until it forces', async () => {
      await t.k(['apply', '--server-side', '--field-manager=team-a', '-f', '-'], {
        stdin: jobYaml('shared', { instances: 2 }),
      });
      const rv = (await jsonOf('shared')).metadata.resourceVersion;
      const r = await t.kubectl(['apply', '--server-side', '--field-manager=team-b', '-f', '-'], {
        stdin: jobYaml('shared', { instances: 5 }),
      });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('Apply failed with 1 conflict: conflict with "team-a": .spec.instances');
      expect((await jsonOf('shared')).metadata.resourceVersion).toBe(rv);

      await t.k(['apply', '--server-side', '--force-conflicts', '--field-manager=team-b', '-f', '-'], {
        stdin: jobYaml('shared', { instances: 5 }),
      });
      const forced = JSON.parse(
        await t.k(['get', 'job', 'shared', '-o', 'json', '--show-managed-fields']),
      ) as JobJson;
      expect(forced.spec.instances).toBe(5);
      const owners = Object.fromEntries(
        (forced.metadata.managedFields ?? []).map((m) => [m.manager, JSON.stringify(m.fieldsV1)]),
      );
      expect(owners['team-b']).toContain('"f:instances"');
      expect(owners['team-a']).not.toContain('"f:instances"');
      expect(owners['team-a']).toContain('"f:environment"'); // still co-owned: same value
    });

    test('moving from client-side to server-side apply hands the fields over (kubectl rewrites managedFields)', async () => {
      await t.k(['apply', '-f', '-'], { stdin: jobYaml('migrated', { instances: 2 }) });
      // Same values: co-owned, no conflict; kubectl then moves the client-side manager's fields.
      await t.k(['apply', '--server-side', '-f', '-'], { stdin: jobYaml('migrated', { instances: 2 }) });
      const out = await t.k(['apply', '--server-side', '-f', '-'], {
        stdin: jobYaml('migrated', { instances: 3 }),
      });
      expect(out).toContain('job.borealis.dev/migrated serverside-applied');
      const live = JSON.parse(
        await t.k(['get', 'job', 'migrated', '-o', 'json', '--show-managed-fields']),
      ) as JobJson;
      expect(live.spec.instances).toBe(3);
      expect(live.metadata.managedFields?.map((m) => m.manager)).not.toContain('kubectl-client-side-apply');
    });

    test('an unchanged server-side apply keeps the resourceVersion; dropped fields are removed', async () => {
      const withPriority = jobYaml('ssa', { extra: '  priority: 5\n' });
      await t.k(['apply', '--server-side', '-f', '-'], { stdin: withPriority });
      const rv = (await jsonOf('ssa')).metadata.resourceVersion;
      await t.k(['apply', '--server-side', '-f', '-'], { stdin: withPriority });
      expect((await jsonOf('ssa')).metadata.resourceVersion).toBe(rv);
      expect((await jsonOf('ssa')).spec.priority).toBe(5);
      await t.k(['apply', '--server-side', '-f', '-'], { stdin: jobYaml('ssa') });
      expect((await jsonOf('ssa')).spec.priority).toBe(0); // removed by the manager, then defaulted again
    });
  });

  describe('watch', () => {
    test('get -w prints changes as they happen', async () => {
      await t.k(['apply', '-f', '-'], { stdin: jobYaml('watched', { instances: 1 }) });
      const child = spawn('/usr/bin/kubectl', [
        '--kubeconfig',
        t.kubeconfig,
        '--cache-dir',
        join(t.dir, 'cache'),
        'get',
        'jobs',
        '-w',
        '-o',
        'wide',
      ]);
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
      });
      const waitFor = async (re: RegExp) => {
        for (let i = 0; i < 100 && !re.test(out); i++) await new Promise((r) => setTimeout(r, 100));
        return out;
      };
      try {
        expect(await waitFor(/^watched\s.*\s1\s/m)).toMatch(/^NAME\s+READY/);
        await t.k(['patch', 'job', 'watched', '--type=merge', '-p', '{"spec":{"instances":4}}']);
        expect(await waitFor(/^watched\s.*\s4\s/m)).toMatch(/^watched\s.*\s4\s/m);
        await t.k(['apply', '-f', '-'], { stdin: jobYaml('arrived') });
        expect(await waitFor(/^arrived\s/m)).toMatch(/^arrived\s/m);
      } finally {
        child.kill();
      }
    });
  });

  describe('apply --prune', () => {
    test('removes objects of allowed kinds that left the manifest set', async () => {
      const set = (names: string[]) =>
        names.map((n) => jobYaml(n, { labels: { suite: 'prune' } })).join('\n---\n');
      await t.k(['apply', '-f', '-'], { stdin: set(['keep', 'drop']) });
      const out = await t.k(
        ['apply', '--prune', '-l', 'suite=prune', '--prune-allowlist=borealis.dev/v1/Job', '-f', '-'],
        {
          stdin: set(['keep']),
        },
      );
      expect(out).toContain('job.borealis.dev/drop pruned');
      expect(await t.k(['get', 'jobs', '-l', 'suite=prune', '-o', 'name'])).toBe('job.borealis.dev/keep\n');
    });
  });

  describe('CustomResourceDefinition', () => {
    test('a registered CRD is established and its kind served to kubectl', async () => {
      await t.k(['apply', '-f', '-'], { stdin: widgetCrd });
      const established = await t.k([
        'wait',
        '--for=condition=Established',
        'crd/widgets.example.com',
        '--timeout=10s',
      ]);
      expect(established).toContain('condition met');
      const crd = JSON.parse(await t.k(['get', 'crd', 'widgets.example.com', '-o', 'json'])) as {
        status: { acceptedNames: { kind: string }; conditions: { type: string; status: string }[] };
      };
      expect(crd.status.acceptedNames.kind).toBe('Widget');
      expect(crd.status.conditions.find((c) => c.type === 'NamesAccepted')?.status).toBe('True');

      expect(await t.k(['api-resources', '--api-group=example.com'])).toMatch(
        /^widgets\s+wd\s+example\.com\/v1\s+true\s+Widget$/m,
      );
      const widget = 'apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w1 }\nspec: { size: 3 }\n';
      expect(await t.k(['apply', '-f', '-'], { stdin: widget })).toContain('widget.example.com/w1 created');
      expect(await t.k(['get', 'wd'])).toMatch(/^w1\s+3$/m);
      expect(await t.k(['get', 'wd', '-o', 'wide'])).toMatch(/^w1\s+3\s+blue$/m);
      expect(await t.k(['explain', 'widgets.spec.size'])).toContain('How big the widget is.');

      const bad = await t.kubectl(['apply', '-f', '-'], {
        stdin: 'apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w2 }\nspec: { size: 0 }\n',
      });
      expect(bad.stderr).toContain('spec.size');
      const unknown = await t.kubectl(['apply', '-f', '-'], {
        stdin:
          'apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w3 }\nspec: { size: 1, shape: round }\n',
      });
      expect(unknown.stderr).toContain('unknown field "spec.shape"');

      await t.k([
        'patch',
        'wd',
        'w1',
        '--subresource=status',
        '--type=merge',
        '-p',
        '{"status":{"phase":"Polished"}}',
      ]);
      expect(await t.k(['get', 'wd', 'w1', '-o', 'jsonpath={.status.phase}'])).toBe('Polished');

      await t.k(['delete', 'crd', 'widgets.example.com']);
      const gone = await t.kubectl(['get', 'widgets.example.com']);
      expect(gone.code).not.toBe(0);
    });
  });
});
