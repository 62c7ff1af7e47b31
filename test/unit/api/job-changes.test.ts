import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type Job, jobKind } from '../../../api/v1/job.js';
import { admit, variant } from './admit.js';

const hello = parse(readFileSync(new URL('./fixtures/hello-job.yaml', import.meta.url), 'utf8')) as Job;
const stored = admit(jobKind, hello).object;

describe('Job: changing an existing job', () => {
  it('allows scaling, a new command and a new tier (rolled out by an update)', () => {
    const changed = variant(hello, (j) => {
      j.spec.instances = 5;
      j.spec.task.command = 'python3 -m http.server $PORT_HTTP';
      j.spec.priority = 10;
    });
    expect(admit(jobKind, changed, stored).errors).toEqual([]);
  });

  it('refuses to move a job to another environment: that is another Aurora job key', () => {
    const moved = variant(hello, (j) => {
      j.spec.environment = 'devel';
    });
    expect(admit(jobKind, moved, stored).errors).toEqual([
      'spec.environment: Invalid value: "devel": field is immutable',
    ]);
  });
});
