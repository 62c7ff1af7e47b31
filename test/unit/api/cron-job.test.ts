import { describe, expect, it } from 'vitest';
import { type CronJob, cronJobKind } from '../../../api/v1/cron-job.js';
import { cronScheduleProblem } from '../../../api/v1/cron-schedule.js';
import { admit, variant } from './admit.js';

const nightly = {
  apiVersion: 'borealis.dev/v1',
  kind: 'CronJob',
  metadata: { name: 'nightly-report', namespace: 'www-data' },
  spec: {
    schedule: '30 2 * * MON-FRI',
    jobTemplate: {
      spec: {
        environment: 'prod',
        instances: 1,
        task: { command: './report.sh', resources: { cpus: 0.5, ramMb: 128, diskMb: 128 } },
      },
    },
  },
} as unknown as CronJob;

describe('CronJob', () => {
  it('defaults to UTC, KillExisting, not suspended, and an adhoc job', () => {
    const { object, errors } = admit(cronJobKind, nightly);
    expect(errors).toEqual([]);
    const spec = (object as unknown as CronJob).spec;
    expect(spec).toMatchObject({ timeZone: 'UTC', concurrencyPolicy: 'KillExisting', suspend: false });
    expect(spec.jobTemplate.spec).toMatchObject({ service: false, maxTaskFailures: 1, tier: 'preemptible' });
  });

  it('rejects a service job template: cron runs must end', () => {
    const svc = variant(nightly, (c) => {
      c.spec.jobTemplate.spec.service = true;
    });
    expect(admit(cronJobKind, svc).errors).toEqual([
      'spec.jobTemplate.spec.service: Forbidden: a cron job cannot be a service',
    ]);
  });

  it('rejects RunOverlap, as Aurora did, listing what is supported', () => {
    const overlap = variant(nightly, (c) => {
      c.spec.concurrencyPolicy = 'RunOverlap' as never;
    });
    expect(admit(cronJobKind, overlap).errors).toEqual([
      'spec.concurrencyPolicy: Unsupported value: "RunOverlap": supported values: "KillExisting", "CancelNew"',
    ]);
  });

  it("rejects Aurora's upper-case policy names with the CamelCase ones listed", () => {
    const upper = variant(nightly, (c) => {
      c.spec.concurrencyPolicy = 'KILL_EXISTING' as never;
    });
    expect(admit(cronJobKind, upper).errors[0]).toMatch(
      /^spec\.concurrencyPolicy: Unsupported value: "KILL_EXISTING"/,
    );
  });

  it('names the broken schedule field, time zone and template field', () => {
    const bad = variant(nightly, (c) => {
      c.spec.schedule = '61 * * * *';
      c.spec.timeZone = 'Mars/Olympus';
      c.spec.jobTemplate.spec.task.resources.cpus = 0;
    });
    expect(admit(cronJobKind, bad).errors).toEqual([
      'spec.schedule: Invalid value: "61 * * * *": minute: "61" is outside 0-59',
      'spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone',
      'spec.jobTemplate.spec.task.resources.cpus: Invalid value: 0: must be greater than 0',
    ]);
  });
});

describe('cron schedule syntax', () => {
  it.each(['* * * * *', '*/15 0-6 1,15 JAN-MAR sun', '0 0 * * 7', '@daily', '5 4 * * 0-6/2'])(
    'accepts %s',
    (s) => {
      expect(cronScheduleProblem(s)).toBeUndefined();
    },
  );

  it.each([
    ['* * * *', 'expected 5 fields (minute hour day-of-month month day-of-week), got 4'],
    ['0 24 * * *', 'hour: "24" is outside 0-23'],
    ['0 0 0 * *', 'day of month: "0" is outside 1-31'],
    ['0 0 * FOO *', 'month: cannot parse "FOO"'],
    ['*/0 * * * *', 'minute: bad step in "*/0"'],
    ['0 0 * * 5-1', 'day of week: "5-1" is outside 0-7'],
    ['@sometimes', 'unknown macro "@sometimes"'],
  ])('rejects %s: %s', (s, problem) => {
    expect(cronScheduleProblem(s)).toBe(problem);
  });
});
