import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type Job, jobKind } from '../../../api/v1/job.js';
import type { Constraint } from '../../../api/v1/task-template.js';
import { admit, variant } from './admit.js';

const hello = parse(readFileSync(new URL('./fixtures/hello-job.yaml', import.meta.url), 'utf8')) as Job;

/** hello (role www-data) with one more constraint; its errors. */
const withConstraint = (c: Constraint): readonly string[] =>
  admit(
    jobKind,
    variant(hello, (j) => {
      j.spec.task.constraints!.push(c);
    }),
  ).errors;

describe('dedicated constraints (Aurora: hosts reserved for a role)', () => {
  it("accepts this role's dedicated hosts and shared ones", () => {
    expect(withConstraint({ attribute: 'dedicated', values: ['www-data/hello'] })).toEqual([]);
    expect(withConstraint({ attribute: 'dedicated', values: ['*/gpu'] })).toEqual([]);
  });

  it("refuses another role's dedicated hosts", () => {
    expect(withConstraint({ attribute: 'dedicated', values: ['payments/api'] })).toEqual([
      'spec.task.constraints[2].values[0]: Invalid value: "payments/api": only role www-data (this namespace) or * may be named',
    ]);
  });

  it('refuses a dedicated limit, a negated dedicated, and several dedicated values', () => {
    expect(withConstraint({ attribute: 'dedicated', limit: 1 })).toEqual([
      'spec.task.constraints[2].limit: Forbidden: a dedicated constraint must be a value constraint',
    ]);
    expect(withConstraint({ attribute: 'dedicated', values: ['*/gpu'], negate: true })).toEqual([
      'spec.task.constraints[2].negate: Forbidden: a dedicated constraint cannot be negated',
    ]);
    expect(withConstraint({ attribute: 'dedicated', values: ['*/gpu', 'www-data/x'] })).toEqual([
      'spec.task.constraints[2].values: Invalid value: ["*/gpu","www-data/x"]: a dedicated constraint must have exactly one value',
    ]);
  });
});

describe('other constraints', () => {
  it('accept "not in" value constraints', () => {
    expect(withConstraint({ attribute: 'zone', values: ['us-east-1a'], negate: true })).toEqual([]);
  });

  it('refuse negate on a limit constraint', () => {
    expect(withConstraint({ attribute: 'zone', limit: 2, negate: false })).toEqual([
      'spec.task.constraints[2].negate: Forbidden: negate applies only to a value constraint',
    ]);
  });

  it('refuse a limit of 0 (no instance could ever be placed)', () => {
    expect(withConstraint({ attribute: 'zone', limit: 0 })).toEqual([
      'spec.task.constraints[2].limit: Invalid value: 0: spec.task.constraints[2].limit in body should be greater than or equal to 1',
    ]);
  });
});
