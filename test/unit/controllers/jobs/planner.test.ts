import { describe, expect, it } from 'vitest';
import { AURORA_HISTORY } from '../../../../controllers/jobs/history.js';
import { planJob } from '../../../../controllers/jobs/planner.js';
import { job, NOW, task } from './fixtures.js';

const ctx = { nowMs: NOW, random: () => 0, history: AURORA_HISTORY };
const names = (xs: readonly { name: string }[]): string[] => xs.map((x) => x.name);

describe('jobs planner', () => {
  it('creates one Pending task per missing instance and adds its finalizer first', () => {
    const plan = planJob(job({ finalizer: false }), [], ctx);
    expect(plan.addFinalizer).toBe(true);
    expect(plan.create.map((c) => [c.instance, c.phase])).toEqual([
      [0, 'Pending'],
      [1, 'Pending'],
      [2, 'Pending'],
    ]);
    expect(plan.status.ready).toBe('0/3');
  });

  it('leaves a converged job alone and reports it Ready', () => {
    const tasks = [0, 1, 2].map((i) => task(i, 'Running'));
    const plan = planJob(job(), tasks, ctx);
    expect(plan.create).toEqual([]);
    expect(plan.kill).toEqual([]);
    expect(plan.status.ready).toBe('3/3');
    expect(plan.status.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(plan.status.conditions?.find((c) => c.type === 'Progressing')?.status).toBe('False');
  });

  it('does not count an unhealthy running task as ready', () => {
    const tasks = [task(0, 'Running', { healthy: false }), task(1, 'Running'), task(2, 'Running')];
    expect(planJob(job(), tasks, ctx).status.ready).toBe('2/3');
  });

  it('scales down by killing the highest instances first and removing unplaced ones', () => {
    const tasks = [
      task(0, 'Running'),
      task(1, 'Running'),
      task(2, 'Pending', { name: 'p2' }),
      task(3, 'Running', { name: 'r3' }),
      task(4, 'Running', { name: 'r4' }),
    ];
    const plan = planJob(job({ instances: 2 }), tasks, ctx);
    expect(names(plan.kill)).toEqual(['r4', 'r3']);
    expect(names(plan.remove)).toEqual(['p2']);
  });

  it('replaces a service task that finished or failed, carrying the failure count and ancestor', () => {
    const failed = task(0, 'Failed', { name: 'f0', startedAgo: 3_600_000, endedAgo: 1000 });
    const plan = planJob(job({ instances: 1 }), [failed], ctx);
    expect(plan.create).toEqual([
      {
        name: expect.stringMatching(/^hello-0-[a-z0-9]{5}$/),
        instance: 0,
        phase: 'Pending',
        failureCount: 1,
        ancestor: 'f0',
        reason: 'service failed',
      },
    ]);
  });

  it('throttles the replacement of a task that failed right after starting, with a growing penalty', () => {
    const first = task(0, 'Failed', { name: 'a', startedAgo: 2000, endedAgo: 1000 });
    const once = planJob(job({ instances: 1 }), [first], ctx);
    expect(once.create[0]?.phase).toBe('Throttled');
    expect(once.create[0]?.throttledUntilMs).toBe(NOW - 1000 + 30_000);
    expect(once.requeueAfterMs).toBe(29_000);
    const second = task(0, 'Failed', {
      name: 'b',
      ancestor: 'a',
      startedAgo: 1500,
      endedAgo: 500,
      createdAgo: 10_000,
    });
    const twice = planJob(job({ instances: 1 }), [first, second], ctx);
    expect(twice.create[0]?.throttledUntilMs).toBe(NOW - 500 + 60_000);
  });

  it('gives a task created without a status (crash between writes) a Pending status, and no duplicate', () => {
    const bare = { ...task(0, 'Pending', { name: 'bare' }), status: {} };
    const plan = planJob(job({ instances: 1 }), [bare], ctx);
    expect(plan.initialize).toEqual(['bare']);
    expect(plan.create).toEqual([]);
  });

  it('does not throttle the replacement of a task that was Lost (not its own failure)', () => {
    const lost = task(0, 'Lost', { name: 'l', startedAgo: 2000, endedAgo: 1000 });
    expect(planJob(job({ instances: 1 }), [lost], ctx).create[0]?.phase).toBe('Pending');
  });

  it('moves a Throttled task to Pending when its penalty is over, not before', () => {
    const waiting = task(0, 'Throttled', { name: 'w', throttledUntil: NOW + 5000, events: ['Throttled'] });
    const early = planJob(job({ instances: 1 }), [waiting], ctx);
    expect(early.unthrottle).toEqual([]);
    expect(early.requeueAfterMs).toBe(5000);
    const later = planJob(job({ instances: 1 }), [waiting], { ...ctx, nowMs: NOW + 5000 });
    expect(later.unthrottle).toEqual(['w']);
  });

  it('retries an adhoc task up to maxTaskFailures, then leaves it Failed and the job Degraded', () => {
    const adhoc = job({ instances: 1, service: false, maxTaskFailures: 2 });
    const first = task(0, 'Failed', { name: 'x1', startedAgo: 3_600_000, endedAgo: 10 });
    expect(planJob(adhoc, [first], ctx).create).toHaveLength(1);
    const second = task(0, 'Failed', {
      name: 'x2',
      ancestor: 'x1',
      failureCount: 1,
      startedAgo: 3_600_000,
      endedAgo: 5,
      createdAgo: 1000,
    });
    const plan = planJob(adhoc, [first, second], ctx);
    expect(plan.create).toEqual([]);
    expect(plan.status.conditions?.find((c) => c.type === 'Degraded')).toMatchObject({
      status: 'True',
      reason: 'InstancesFailed',
    });
  });

  it('does not restart an adhoc task that finished, and counts it ready', () => {
    const plan = planJob(
      job({ instances: 1, service: false }),
      [task(0, 'Finished', { startedAgo: 3_600_000, endedAgo: 10 })],
      ctx,
    );
    expect(plan.create).toEqual([]);
    expect(plan.status.ready).toBe('1/1');
  });

  it('starts a fresh run for an instance killed on scale-down and wanted again; replaces one killed behind its back', () => {
    const onRequest = task(0, 'Killed', {
      name: 'k',
      failureCount: 3,
      events: ['Running', 'Killing', 'Killed'],
      startedAgo: 3_600_000,
      endedAgo: 10,
    });
    expect(planJob(job({ instances: 1 }), [onRequest], ctx).create).toEqual([
      {
        name: expect.stringMatching(/^hello-0-/),
        instance: 0,
        phase: 'Pending',
        failureCount: 0,
        ancestor: 'k',
        reason: 'instance wanted again',
      },
    ]);
    const behindBack = task(0, 'Killed', { startedAgo: 3_600_000, endedAgo: 10 });
    expect(planJob(job({ instances: 1 }), [behindBack], ctx).create).toHaveLength(1);
  });

  it('kills a duplicate active task of an instance, keeping the one furthest along', () => {
    const plan = planJob(
      job({ instances: 1 }),
      [task(0, 'Running', { name: 'keep' }), task(0, 'Assigned', { name: 'dup' })],
      ctx,
    );
    expect(names(plan.kill)).toEqual(['dup']);
    expect(plan.create).toEqual([]);
  });

  it('on deletion kills everything and releases the finalizer only when nothing runs', () => {
    const running = planJob(
      job({ deleting: true }),
      [task(0, 'Running', { name: 'r' }), task(1, 'Pending', { name: 'p' })],
      ctx,
    );
    expect(names(running.kill)).toEqual(['r']);
    expect(names(running.remove)).toEqual(['p']);
    expect(running.removeFinalizer).toBe(false);
    expect(running.create).toEqual([]);
    const done = planJob(
      job({ deleting: true }),
      [task(0, 'Killed', { events: ['Running', 'Killing', 'Killed'] })],
      ctx,
    );
    expect(done.removeFinalizer).toBe(true);
  });

  it('prunes terminal history beyond 2 days or 100 per job, but never the current run', () => {
    const old = Array.from({ length: 3 }, (_, k) =>
      task(0, 'Failed', {
        name: `old${k}`,
        endedAgo: 3 * 24 * 3600 * 1000 + k,
        createdAgo: 4 * 24 * 3600 * 1000,
      }),
    );
    const current = task(0, 'Running', { name: 'now' });
    const plan = planJob(job({ instances: 1 }), [...old, current], ctx);
    expect(names(plan.remove).sort()).toEqual(['old0', 'old1', 'old2']);
    const lastRun = task(0, 'Finished', { name: 'last', endedAgo: 3 * 24 * 3600 * 1000 });
    expect(planJob(job({ instances: 1, service: false }), [lastRun], ctx).remove).toEqual([]);
  });

  it('marks the job Degraded while an instance cannot be placed', () => {
    const plan = planJob(
      job({ instances: 1 }),
      [task(0, 'Pending', { vetoes: true, events: ['Pending'] })],
      ctx,
    );
    expect(plan.status.conditions?.find((c) => c.type === 'Degraded')).toMatchObject({
      status: 'True',
      reason: 'Unschedulable',
    });
  });
});
