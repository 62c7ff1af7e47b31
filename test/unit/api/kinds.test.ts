import { describe, expect, it } from 'vitest';
import {
  apiVersionOf,
  builtinKinds,
  kindByApiVersion,
  kindsByName,
  kindsInCategory,
} from '../../../api/index.js';
import type { JsonSchema, KindDefinition } from '../../../api/kind.js';
import { newAjv } from './admit.js';

/** Resolve a printer-column / selectable-field JSONPath (.a.b, .a[*].b, .a[?(@.type=="X")].b) in a schema. */
function schemaAt(schema: JsonSchema, jsonPath: string): JsonSchema | undefined {
  let node: JsonSchema | undefined = schema;
  for (const m of jsonPath.matchAll(/\.([A-Za-z0-9_-]+)|\[[^\]]*\]/g)) {
    if (node === undefined) return undefined;
    if (m[1] === undefined) {
      node = node.items;
    } else {
      const ap: JsonSchema | boolean | undefined = node.additionalProperties;
      node = node.properties?.[m[1]] ?? (typeof ap === 'object' ? ap : undefined);
    }
  }
  return node;
}

/** Every schema node with the path to it, for checks that hold everywhere. */
function* walk(s: JsonSchema, path: string): Generator<[string, JsonSchema]> {
  yield [path, s];
  for (const [k, v] of Object.entries(s.properties ?? {})) yield* walk(v, `${path}.${k}`);
  if (s.items !== undefined) yield* walk(s.items, `${path}[]`);
  if (typeof s.additionalProperties === 'object') yield* walk(s.additionalProperties, `${path}{}`);
}

const name = (k: KindDefinition) => `${apiVersionOf(k)} ${k.kind}`;

describe.each(builtinKinds.map((k) => [name(k), k] as const))('%s', (_, kind) => {
  it('has a schema ajv compiles', () => {
    expect(() => newAjv().compile(kind.schema)).not.toThrow();
  });

  it('is named the way kubectl expects', () => {
    expect(kind.plural).toMatch(/^[a-z][a-z0-9]*$/);
    expect(kind.singular).toBe(kind.kind.toLowerCase());
    expect(kind.kind).toMatch(/^[A-Z][A-Za-z0-9]*$/);
    expect(kind.listKind).toBe(`${kind.kind}List`);
    for (const s of kind.shortNames) expect(s).toMatch(/^[a-z][a-z0-9]*$/);
  });

  it('has printer columns that point at schema fields, without a Name column (the server adds it)', () => {
    for (const c of kind.printerColumns) {
      expect(schemaAt(kind.schema, c.jsonPath), `${c.name} → ${c.jsonPath}`).toBeDefined();
      expect(c.name.toLowerCase()).not.toBe('name');
    }
    expect(new Set(kind.printerColumns.map((c) => c.name)).size).toBe(kind.printerColumns.length);
  });

  it('has selectable fields that exist and are scalars', () => {
    for (const f of kind.selectableFields) {
      const field = schemaAt(kind.schema, f);
      expect(field, f).toBeDefined();
      expect(['string', 'integer', 'boolean'], f).toContain(field?.type);
    }
  });

  it('has a status schema exactly when it has a status subresource', () => {
    expect(kind.schema.properties?.['status'] !== undefined).toBe(kind.statusSubresource);
  });

  it('describes every field (kubectl explain shows the descriptions)', () => {
    const undescribed = [...walk(kind.schema, '')].filter(([, s]) => !s.description).map(([p]) => p);
    expect(undescribed).toEqual([]);
  });

  it('keys list-map lists by fields every item must have (server-side apply merges by them)', () => {
    for (const [path, s] of walk(kind.schema, '')) {
      if (s['x-kubernetes-list-type'] !== 'map') continue;
      for (const key of s['x-kubernetes-list-map-keys'] ?? []) {
        expect(s.items?.required ?? [], `${path} key ${key}`).toContain(key);
      }
    }
  });

  it('has defaults that are valid values of their own fields', () => {
    const ajv = newAjv();
    for (const [path, s] of walk(kind.schema, '')) {
      if (s.default === undefined) continue;
      const { default: value, ...rest } = s;
      expect(ajv.validate(rest, structuredClone(value)), `${path}: ${ajv.errorsText()}`).toBe(true);
    }
  });
});

describe('the built-in kinds together', () => {
  it('have unique resources, kinds and short names', () => {
    const resources = builtinKinds.map((k) => `${k.group}/${k.version}/${k.plural}`);
    expect(new Set(resources).size).toBe(resources.length);
    const kinds = builtinKinds.map((k) => `${k.group}/${k.kind}`);
    expect(new Set(kinds).size).toBe(kinds.length);
    const short = builtinKinds.flatMap((k) => k.shortNames);
    expect(new Set(short).size).toBe(short.length);
  });

  it("never give a short name that is another kind's plural or singular", () => {
    const names = new Set(builtinKinds.flatMap((k) => [k.plural, k.singular]));
    for (const s of builtinKinds.flatMap((k) => k.shortNames)) expect(names.has(s), s).toBe(false);
  });

  it('resolve every name a kubectl user types to exactly one kind', () => {
    for (const k of builtinKinds) {
      for (const typed of [k.plural, k.singular, k.kind, ...k.shortNames, `${k.plural}.${k.group}`]) {
        if (k.group === '' && typed.endsWith('.')) continue;
        expect(kindsByName(typed).map(name), typed).toEqual([name(k)]);
      }
    }
  });

  it('are found by the apiVersion and kind of a manifest', () => {
    expect(kindByApiVersion('borealis.dev/v1', 'Job')?.plural).toBe('jobs');
    expect(kindByApiVersion('v1', 'Namespace')?.plural).toBe('namespaces');
    expect(kindByApiVersion('batch/v1', 'Job')).toBeUndefined();
  });

  it('put the workload kinds in kubectl get all', () => {
    expect(kindsInCategory('all').map((k) => k.plural)).toEqual(expect.arrayContaining(['jobs', 'tasks']));
  });

  it('put core kinds in the core group and Borealis kinds in borealis.dev', () => {
    const byGroup = (g: string) => builtinKinds.filter((k) => k.group === g).map((k) => k.kind);
    expect(byGroup('')).toEqual(expect.arrayContaining(['Namespace', 'Event']));
    expect(byGroup('borealis.dev')).toEqual(expect.arrayContaining(['Job', 'Task']));
  });
});
