import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { CustomResourceDefinition } from '../../../api/apiextensions/v1/custom-resource-definition.js';
import { validateStructural } from '../../../api/apiextensions/v1/custom-resource-definition-validation.js';
import { kindsFromCrd } from '../../../api/apiextensions/v1/kind-from-crd.js';
import { builtinKinds } from '../../../api/index.js';
import { type Job, jobKind } from '../../../api/v1/job.js';
import { admit, variant } from './admit.js';

const fixture = (name: string): unknown =>
  parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const hello = fixture('hello-job.yaml') as Job;

describe('set and map lists (server-side apply merges them, so repeats are refused)', () => {
  it('refuses two constraints on the same attribute, naming the second', () => {
    const twice = variant(hello, (j) => {
      j.spec.task.constraints!.push({ attribute: 'host', limit: 2 });
    });
    expect(admit(jobKind, twice).errors).toEqual([
      'spec.task.constraints[2]: Duplicate value: {"attribute":"host"}',
    ]);
  });

  it('refuses a repeated value in a constraint', () => {
    const twice = variant(hello, (j) => {
      j.spec.task.constraints![1]!.values = ['r1', 'r1'];
    });
    expect(admit(jobKind, twice).errors).toEqual([
      'spec.task.constraints[1].values[1]: Duplicate value: "r1"',
    ]);
  });

  it('refuses a repeated finalizer and owner, like any Kubernetes object', () => {
    const owner = { apiVersion: 'borealis.dev/v1', kind: 'CronJob', name: 'c', uid: 'u1' };
    const twice = variant(hello, (j) => {
      j.metadata.finalizers = ['borealis.dev/kill-tasks', 'borealis.dev/kill-tasks'];
      j.metadata.ownerReferences = [owner, { ...owner, name: 'd' }];
    });
    expect(admit(jobKind, twice).errors).toEqual([
      'metadata.finalizers[1]: Duplicate value: "borealis.dev/kill-tasks"',
      'metadata.ownerReferences[1]: Duplicate value: {"uid":"u1"}',
    ]);
  });

  it('applies to custom resources too', () => {
    const [widgetKind] = kindsFromCrd(fixture('widget-crd.yaml') as CustomResourceDefinition);
    const w = {
      apiVersion: 'example.com/v1alpha1',
      kind: 'Widget',
      metadata: { name: 'w' },
      spec: { size: 1, tags: ['a', 'a'] },
    };
    expect(admit(widgetKind!, w).errors).toEqual(['spec.tags[1]: Duplicate value: "a"']);
  });
});

describe('built-in schemas', () => {
  it.each(builtinKinds.map((k) => [k.kind, k] as const))(
    '%s is structural, so it can be published like a CRD schema',
    (_, k) => {
      expect(validateStructural(k.schema, 'schema', true)).toEqual([]);
    },
  );
});
