import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Job } from '../../../api/v1/job.js';
import {
  type JobUpdate,
  jobUpdateKind,
  UPDATE_TRANSITIONS,
  type UpdatePhase,
} from '../../../api/v1/job-update.js';
import { admit, variant } from './admit.js';

const hello = parse(readFileSync(new URL('./fixtures/hello-job.yaml', import.meta.url), 'utf8')) as Job;

/** The update the jobs controller creates when hello's command changes (generation 1 → 2). */
const update = {
  apiVersion: 'borealis.dev/v1',
  kind: 'JobUpdate',
  metadata: { name: 'hello-2', namespace: 'www-data' },
  spec: {
    jobName: 'hello',
    targetRevision: 2,
    instances: 3,
    template: { ...hello.spec.task, command: 'python3 -m http.server $PORT_HTTP' },
    initial: [{ revision: 1, instances: [{ first: 0, last: 2 }] }],
  },
  status: { phase: 'RollingForward', progress: '0/3' },
} as unknown as JobUpdate;

const stored = admit(jobUpdateKind, update).object;
const withPhase = (phase: UpdatePhase) =>
  variant(update, (u) => {
    Object.assign(u.status!, { phase });
  });

describe('JobUpdate', () => {
  it("is accepted with the Aurora client's update settings and not paused", () => {
    const { object, errors } = admit(jobUpdateKind, update);
    expect(errors).toEqual([]);
    expect((object as unknown as JobUpdate).spec).toMatchObject({
      strategy: { batchSize: 1, watchSeconds: 45, maxFailedInstances: 0, rollbackOnFailure: true },
      paused: false,
      abort: false,
      rollback: false,
    });
  });

  it('lets an operator pause, pulse and roll back an active update', () => {
    const steered = variant(update, (u) => {
      Object.assign(u.spec, { paused: true, rollback: true, lastPulseTime: '2026-11-22T02:00:00Z' });
    });
    expect(admit(jobUpdateKind, steered, stored).errors).toEqual([]);
  });

  it('refuses to change what the update rolls out once it exists', () => {
    const retargeted = variant(update, (u) => {
      Object.assign(u.spec, { targetRevision: 3 });
    });
    expect(admit(jobUpdateKind, retargeted, stored).errors).toEqual([
      'spec.targetRevision: Invalid value: 3: field is immutable',
    ]);
  });

  it('refuses to undo an abort', () => {
    const aborted = admit(
      jobUpdateKind,
      variant(update, (u) => {
        Object.assign(u.spec, { abort: true });
      }),
    ).object;
    expect(admit(jobUpdateKind, update, aborted).errors).toEqual([
      'spec.abort: Forbidden: an abort cannot be undone',
    ]);
  });

  it("allows exactly Aurora's update state transitions", () => {
    const from = admit(jobUpdateKind, withPhase('RollForwardPaused')).object;
    for (const to of [
      'RollingForward',
      'RollingBack',
      'RollForwardAwaitingPulse',
      'Aborted',
      'Error',
    ] as const) {
      expect(admit(jobUpdateKind, withPhase(to), from).errors, to).toEqual([]);
    }
    expect(admit(jobUpdateKind, withPhase('RolledForward'), from).errors).toEqual([
      'status.phase: Invalid value: "RolledForward": cannot go from RollForwardPaused to RolledForward',
    ]);
  });

  it('never leaves a terminal phase', () => {
    const done = admit(jobUpdateKind, withPhase('RolledForward')).object;
    expect(UPDATE_TRANSITIONS.RolledForward).toEqual([]);
    expect(admit(jobUpdateKind, withPhase('RollingForward'), done).errors).toHaveLength(1);
  });

  it('rejects a batch size of 0 and an inverted instance range, naming both', () => {
    const bad = variant(update, (u) => {
      Object.assign(u.spec, { strategy: { batchSize: 0 }, onlyInstances: [{ first: 2, last: 1 }] });
    });
    expect(admit(jobUpdateKind, bad).errors).toEqual([
      'spec.strategy.batchSize: Invalid value: 0: spec.strategy.batchSize in body should be greater than or equal to 1',
    ]);
    const inverted = variant(update, (u) => {
      Object.assign(u.spec, { onlyInstances: [{ first: 2, last: 1 }] });
    });
    expect(admit(jobUpdateKind, inverted).errors).toEqual([
      'spec.onlyInstances[0].last: Invalid value: 1: must be at least first (2)',
    ]);
  });
});
