/**
 * Property: whatever tasks a job has, applying the plan leaves every instance below N with at
 * most one task that is active and not being killed, no live task at or above N, and nothing new
 * created for an instance that already has an active task.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTIVE_PHASES, TASK_PHASES, type TaskPhase } from '../../../../api/v1/task.js';
import { AURORA_HISTORY } from '../../../../controllers/jobs/history.js';
import { planJob } from '../../../../controllers/jobs/planner.js';
import { isTerminal } from '../../../../pkg/taskstate/index.js';
import { job, NOW, task } from './fixtures.js';

const phase = fc.constantFrom<TaskPhase>(...TASK_PHASES);

describe('jobs planner properties', () => {
  it('converges every instance to exactly one live task and nothing beyond N', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        fc.array(fc.record({ instance: fc.integer({ min: 0, max: 6 }), phase }), { maxLength: 14 }),
        fc.boolean(),
        (instances, specs, service) => {
          const tasks = specs.map((s, i) =>
            task(s.instance, s.phase, {
              name: `t${i}`,
              createdAgo: 1000 * (i + 1),
              startedAgo: 3_600_000,
              endedAgo: 60_000,
              throttledUntil: NOW + 1000,
              events: ['Running', s.phase],
            }),
          );
          const plan = planJob(job({ instances, service }), tasks, {
            nowMs: NOW,
            random: () => 0.5,
            history: AURORA_HISTORY,
          });
          const killed = new Set([...plan.kill, ...plan.remove].map((k) => k.name));
          const live = (i: number): number =>
            tasks.filter(
              (t) =>
                t.spec.instance === i &&
                !killed.has(t.metadata.name!) &&
                ACTIVE_PHASES.includes(t.status!.phase as (typeof ACTIVE_PHASES)[number]) &&
                t.status!.phase !== 'Killing',
            ).length + plan.create.filter((c) => c.instance === i).length;
          for (let i = 0; i < 7; i++) {
            if (i >= instances) expect(live(i)).toBe(0);
            else expect(live(i)).toBeLessThanOrEqual(1);
          }
          for (const c of plan.create) {
            const hasActive = tasks.some(
              (t) => t.spec.instance === c.instance && !isTerminal(t.status!.phase!),
            );
            expect(hasActive).toBe(false);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
