import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { customResourceDefinitionKind } from '../../../api/apiextensions/v1/custom-resource-definition.js';
import type { KindDefinition } from '../../../api/kind.js';
import { unknownFields } from '../../../api/unknown-fields.js';
import { jobKind } from '../../../api/v1/job.js';

const fixture = (name: string): Record<string, unknown> =>
  parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

// kubectl apply defaults to --validate=strict: any field the schema does not declare is refused,
// so the documents users copy must use exactly the schema's field names.
describe.each([
  ['the contract Job', jobKind, 'hello-job.yaml'],
  ['a real-world CRD manifest', customResourceDefinitionKind, 'widget-crd.yaml'],
] as [string, KindDefinition, string][])('%s', (_, kind, file) => {
  it('uses only fields the schema declares', () => {
    expect(unknownFields(fixture(file), kind.schema)).toEqual([]);
  });
});

describe('unknownFields', () => {
  it('names a misspelt field with its full path, through lists and maps', () => {
    const job = fixture('hello-job.yaml');
    const spec = job['spec'] as { task: Record<string, unknown> };
    spec.task['healtCheck'] = {};
    (spec.task['constraints'] as Record<string, unknown>[])[1]!['negated'] = true;
    expect(unknownFields(job, jobKind.schema)).toEqual([
      'spec.task.constraints[1].negated',
      'spec.task.healtCheck',
    ]);
  });

  it('lets map keys through (env names are data, not fields)', () => {
    const job = fixture('hello-job.yaml');
    (job['spec'] as { task: { env: Record<string, string> } }).task.env['ANYTHING_AT_ALL'] = 'x';
    expect(unknownFields(job, jobKind.schema)).toEqual([]);
  });
});
