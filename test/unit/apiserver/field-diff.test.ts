/**
 * diffFieldSets and encodeFieldSet are the fast forms of two plain definitions; these tests keep
 * them equal to the plain definitions (written out here) over many random pairs of objects.
 */
import { describe, expect, test } from 'vitest';
import type { JsonSchema } from '../../../api/kind.js';
import { diffFieldSets } from '../../../pkg/apiserver/field-diff.js';
import {
  decodeFieldSet,
  encodeFieldSet,
  type FieldSet,
  fieldSetHas,
  fieldSetOf,
  type PathKey,
} from '../../../pkg/apiserver/field-sets.js';
import { jsonEqual, type MutableObject } from '../../../pkg/apiserver/objects.js';
import { valueAt } from '../../../pkg/apiserver/paths.js';

const schema: JsonSchema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        n: { type: 'integer' },
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['port'],
          items: { type: 'object', properties: { port: { type: 'integer' }, name: { type: 'string' } } },
        },
        tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
        sel: { type: 'object', 'x-kubernetes-map-type': 'atomic', additionalProperties: { type: 'string' } },
        env: { type: 'object', additionalProperties: { type: 'string' } },
        args: { type: 'array', items: { type: 'string' } },
      },
    },
    status: { type: 'object', properties: { phase: { type: 'string' }, events: { type: 'array' } } },
  },
};

/** The definition: compare the two whole field sets path by path. */
function naiveFieldDiff(old: MutableObject | undefined, next: MutableObject, includeStatus: boolean) {
  const oldSet = old ? fieldSetOf(old, schema, includeStatus) : new Set<PathKey>();
  const newSet = fieldSetOf(next, schema, includeStatus);
  const extended = (p: PathKey) =>
    [...newSet].some((o) => o.length > p.length && o.startsWith(p.slice(0, -1)));
  const changed = [...newSet].filter(
    (p) => !oldSet.has(p) || (!extended(p) && !jsonEqual(valueAt(old, p), valueAt(next, p))),
  );
  const removed = [...oldSet].filter((p) => !newSet.has(p));
  return { changed, removed };
}

/** The definition of FieldsV1: "." on every path another path of the set extends. */
function naiveEncode(set: FieldSet): MutableObject {
  const root: MutableObject = {};
  const paths = [...set].map((p) => JSON.parse(p) as string[]).sort((a, b) => a.length - b.length);
  for (const path of paths) {
    let node = root;
    for (const seg of path) {
      node[seg] ??= {};
      node = node[seg] as MutableObject;
    }
    if (paths.some((o) => o.length > path.length && path.every((s, i) => o[i] === s))) node['.'] = {};
  }
  return root;
}

/** Small deterministic PRNG (mulberry32), so a failure names a reproducible seed. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomObject(r: () => number): MutableObject {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const maybe = <T>(v: () => T): T | undefined => (r() < 0.6 ? v() : undefined);
  const spec: MutableObject = {};
  const fields: Record<string, () => unknown> = {
    n: () => pick([1, 2]),
    ports: () =>
      Array.from({ length: pick([0, 1, 2]) }, (_, i) =>
        r() < 0.3 ? { port: 80 + i } : { port: 80 + i, name: pick(['a', 'b']) },
      ),
    tags: () => [...new Set(Array.from({ length: pick([0, 1, 2]) }, () => pick(['x', 'y', 'z'])))],
    sel: () => (r() < 0.3 ? {} : { a: pick(['1', '2']) }),
    env: () => (r() < 0.3 ? {} : r() < 0.5 ? { A: pick(['1', '2']) } : { A: '1', B: pick(['1', '2']) }),
    args: () => [pick(['p', 'q'])],
  };
  for (const [k, gen] of Object.entries(fields)) {
    const v = maybe(gen);
    if (v !== undefined) spec[k] = v;
  }
  const obj: MutableObject = {
    apiVersion: 'v1',
    kind: 'X',
    metadata: {
      name: 'x',
      ...(r() < 0.5 ? { labels: { app: pick(['a', 'b']) } } : {}),
      ...(r() < 0.3 ? { finalizers: [pick(['f1', 'f2'])] } : {}),
    },
  };
  if (r() < 0.9) obj['spec'] = r() < 0.1 ? {} : spec;
  if (r() < 0.6)
    obj['status'] = { phase: pick(['A', 'B']), ...(r() < 0.5 ? { events: [pick([1, 2])] } : {}) };
  return obj;
}

describe('managed fields: fast forms equal their definitions', () => {
  test('diffFieldSets = comparing the whole field sets', () => {
    const r = rng(42);
    for (let i = 0; i < 3000; i++) {
      const old = r() < 0.1 ? undefined : randomObject(r);
      const next = r() < 0.3 && old ? { ...old, status: { phase: 'C' } } : randomObject(r);
      const includeStatus = r() < 0.5;
      const want = naiveFieldDiff(old, next, includeStatus);
      const got = diffFieldSets(old, next, schema, includeStatus);
      expect(got.changed, `case ${i}`).toEqual(want.changed);
      expect(new Set(got.removed), `case ${i}`).toEqual(new Set(want.removed));
    }
  });

  test('encodeFieldSet = the FieldsV1 definition, and decoding it gives the set back', () => {
    const r = rng(7);
    for (let i = 0; i < 1000; i++) {
      const set = fieldSetOf(randomObject(r), schema, true);
      set.add(JSON.stringify(['f:spec'])); // an owned path that others extend
      const encoded = encodeFieldSet(set);
      expect(JSON.stringify(encoded)).toBe(JSON.stringify(naiveEncode(set)));
      expect(decodeFieldSet(encoded)).toEqual(set);
      // Re-encoding what was decoded gives the same tree, key order included (stored FieldsV1
      // are written back unchanged on that ground).
      expect(JSON.stringify(encodeFieldSet(decodeFieldSet(encoded)))).toBe(JSON.stringify(encoded));
      // Looking a path up in FieldsV1 answers as the decoded set does.
      const decoded = decodeFieldSet(encoded);
      for (const p of fieldSetOf(randomObject(r), schema, true))
        expect(fieldSetHas(encoded, p), p).toBe(decoded.has(p));
      for (const p of set) expect(fieldSetHas(encoded, p), p).toBe(true);
      for (const p of ['[]', '["f:spec"]', '["f:spec","f:ports"]', '["f:nope"]'])
        expect(fieldSetHas(encoded, p), p).toBe(decoded.has(p));
    }
  });
});
