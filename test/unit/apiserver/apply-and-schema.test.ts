import { describe, expect, test } from 'vitest';
import type { JsonSchema } from '../../../api/kind.js';
import { serverSideApply } from '../../../pkg/apiserver/apply.js';
import { duplicateFields } from '../../../pkg/apiserver/duplicate-fields.js';
import { decodeFieldSet, encodeFieldSet, fieldSetOf } from '../../../pkg/apiserver/field-sets.js';
import { mergePatch } from '../../../pkg/apiserver/patch.js';
import { KindSchema } from '../../../pkg/apiserver/schema.js';
import { strategicMergePatch } from '../../../pkg/apiserver/strategic-merge-patch.js';

const schema: JsonSchema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        replicas: { type: 'integer', default: 1, minimum: 0 },
        mode: { type: 'string', enum: ['a', 'b'] },
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['port'],
          items: { type: 'object', properties: { port: { type: 'integer' }, name: { type: 'string' } } },
        },
        tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
  },
};

describe('schema decoding', () => {
  test('unknown fields are found with their paths and pruned; preserved subtrees are kept', () => {
    const s = new KindSchema(schema);
    const obj = {
      metadata: { name: 'x', bogus: 1 },
      spec: { replicas: 2, extra: true, ports: [{ port: 1, nope: 2 }], free: { any: 1 } },
    };
    expect(s.prune(obj).unknownFields).toEqual(['metadata.bogus', 'spec.extra', 'spec.ports[0].nope']);
    expect(obj.spec).toEqual({ replicas: 2, ports: [{ port: 1 }], free: { any: 1 } });
  });

  test('defaults fill what is missing, never what is set', () => {
    const s = new KindSchema(schema);
    const a: Record<string, unknown> = { spec: {} };
    s.applyDefaults(a);
    expect(a).toEqual({ spec: { replicas: 1 } });
    const b = { spec: { replicas: 0 } };
    s.applyDefaults(b);
    expect(b.spec.replicas).toBe(0);
  });

  test('validation reports Kubernetes-style causes', () => {
    const problems = new KindSchema(schema).validate({ spec: { replicas: -1, mode: 'c' } });
    expect(problems.map((p) => `${p.field}:${p.reason}`).sort()).toEqual([
      'spec.mode:FieldValueNotSupported',
      'spec.replicas:FieldValueInvalid',
    ]);
  });
});

describe('field sets', () => {
  test('map lists by key, sets by value, round trip through FieldsV1', () => {
    const set = fieldSetOf(
      {
        apiVersion: 'v',
        kind: 'K',
        metadata: { name: 'n', labels: { a: 'b' } },
        spec: { ports: [{ port: 80, name: 'http' }], tags: ['x'] },
      },
      schema,
      true,
    );
    const fields = encodeFieldSet(set);
    expect(fields).toEqual({
      'f:metadata': { 'f:labels': { 'f:a': {} } },
      'f:spec': {
        'f:ports': { 'k:{"port":80}': { '.': {}, 'f:port': {}, 'f:name': {} } },
        'f:tags': { 'v:"x"': {} },
      },
    });
    expect([...decodeFieldSet(fields)].sort()).toEqual([...set].sort());
  });
});

describe('server-side apply', () => {
  const now = '2026-01-01T00:00:00Z';
  const base = { schema, includeStatus: true, apiVersion: 'v1', now, force: false };
  test('merges map lists by key and removes what the manager stopped applying', () => {
    const first = serverSideApply({
      ...base,
      live: undefined,
      manager: 'a',
      applied: { spec: { replicas: 2, ports: [{ port: 80, name: 'http' }] } },
    });
    const byB = serverSideApply({
      ...base,
      live: first,
      manager: 'b',
      applied: { spec: { ports: [{ port: 443, name: 'https' }] } },
    });
    expect((byB['spec'] as { ports: unknown[] }).ports).toEqual([
      { port: 80, name: 'http' },
      { port: 443, name: 'https' },
    ]);
    const aDropsReplicas = serverSideApply({
      ...base,
      live: byB,
      manager: 'a',
      applied: { spec: { ports: [{ port: 80, name: 'http' }] } },
    });
    expect((aDropsReplicas['spec'] as Record<string, unknown>)['replicas']).toBeUndefined();
    expect((aDropsReplicas['spec'] as { ports: unknown[] }).ports).toHaveLength(2);
  });

  test('changing a field another manager owns conflicts unless forced', () => {
    const live = serverSideApply({
      ...base,
      live: undefined,
      manager: 'a',
      applied: { spec: { replicas: 2 } },
    });
    expect(() =>
      serverSideApply({ ...base, live, manager: 'b', applied: { spec: { replicas: 3 } } }),
    ).toThrow('Apply failed with 1 conflict: conflict with "a": .spec.replicas');
    const same = serverSideApply({ ...base, live, manager: 'b', applied: { spec: { replicas: 2 } } });
    expect((same['spec'] as { replicas: number }).replicas).toBe(2);
    const forced = serverSideApply({
      ...base,
      live,
      manager: 'b',
      force: true,
      applied: { spec: { replicas: 3 } },
    });
    const managers = (forced['metadata'] as { managedFields: { manager: string }[] }).managedFields.map(
      (m) => m.manager,
    );
    expect(managers).toEqual(['b']);
  });
});

describe('merge patch', () => {
  test('null deletes, objects merge, arrays replace', () => {
    expect(mergePatch({ a: 1, b: { c: 2, d: 3 }, e: [1, 2] }, { a: null, b: { c: 5 }, e: [3] })).toEqual({
      b: { c: 5, d: 3 },
      e: [3],
    });
  });
});

describe('duplicate fields', () => {
  test('found with their paths, inside arrays too; strings with quotes and braces do not confuse it', () => {
    const text = '{"a":1,"b":{"c":"x\\"}{,","c":2},"l":[{"k":1},{"k":1,"k":2}],"a":3}';
    expect(duplicateFields(text)).toEqual(['b.c', 'l[1].k', 'a']);
    expect(duplicateFields('{"a":[1,2],"b":{}}')).toEqual([]);
    // Keys are compared decoded: an escaped spelling of a key is the same key.
    expect(duplicateFields('{"a\\u0062":1,"ab":2,"q\\"":3}')).toEqual(['ab']);
    expect(() => duplicateFields('{"unterminated')).toThrow(SyntaxError);
  });
});

describe('strategic merge patch (core kinds)', () => {
  test('map lists merge by key, $patch: delete removes an item, ordering directives are dropped', () => {
    const target = {
      spec: {
        ports: [
          { port: 80, name: 'http' },
          { port: 443, name: 'https' },
        ],
        mode: 'a',
      },
    };
    const patch = {
      spec: {
        $setElementOrder: [{ port: 443 }],
        ports: [
          { port: 443, name: 'tls' },
          { port: 80, $patch: 'delete' },
        ],
        mode: null,
      },
    };
    expect(strategicMergePatch(target, patch, schema)).toEqual({
      spec: { ports: [{ port: 443, name: 'tls' }] },
    });
  });
});
