/**
 * The jobs controller: keeps each Job's instances running through its Task objects. Thin: it
 * reads the cached Job and Tasks, asks the pure planner what to do, and writes the plan through
 * the client (creates, kills as status → Killing, deletes, status, finalizer). Every write is
 * guarded by the resourceVersion it read, so a stale cache costs a retry, never a wrong write.
 */
import type { Job } from '../../api/v1/job.js';
import type { Task } from '../../api/v1/task.js';
import { type EventRecorder, involvedOf } from '../../pkg/client/events.js';
import { JOBS, TASKS } from '../../pkg/client/refs.js';
import type { BorealisClient } from '../../pkg/client/types.js';
import { objectKey } from '../../pkg/runtime/cache.js';
import type { Clock } from '../../pkg/runtime/clock.js';
import { Controller, type ReconcileResult } from '../../pkg/runtime/controller.js';
import { jsonEqual } from '../../pkg/runtime/json-equal.js';
import type { FlappingLimits } from '../../pkg/taskstate/index.js';
import { jobKeyOfTask, type SharedInformers, TASKS_BY_JOB } from '../shared/informers.js';
import { idempotent, inParallel } from '../shared/writes.js';
import { withPhase } from '../tasks/status-update.js';
import { CreationExpectations, EXPECTATION_TIMEOUT_MS } from './expectations.js';
import { AURORA_HISTORY, type HistoryLimits } from './history.js';
import { JOB_FINALIZER, type JobPlan, planJob } from './planner.js';
import { buildTask, initialStatus } from './task-builder.js';

export const FIELD_MANAGER = 'borealis-jobs-controller';
const WRITE_PARALLELISM = 32;
/** Task changes are coalesced: a job is looked at again at most this often for them. */
const TASK_EVENT_DELAY_MS = 50;

export interface JobsControllerOptions {
  readonly client: BorealisClient;
  readonly informers: SharedInformers;
  readonly clock: Clock;
  readonly random?: () => number;
  readonly history?: HistoryLimits;
  readonly flapping?: FlappingLimits;
  readonly workers?: number;
  /** Where replacements, throttling and kills are told (kubectl describe job). */
  readonly events?: EventRecorder;
}

export function createJobsController(o: JobsControllerOptions): Controller {
  const jobs = o.client.resource<Job>(JOBS);
  const tasks = o.client.resource<Task>(TASKS);
  const opts = { write: { fieldManager: FIELD_MANAGER } };
  const random = o.random ?? Math.random;
  const expectations = new CreationExpectations(o.clock);

  const recordReplacement = (job: Job, planned: JobPlan['create'][number]): void => {
    const throttled = planned.throttledUntilMs !== undefined;
    const wait = throttled
      ? `; throttled ${Math.round(((planned.throttledUntilMs ?? 0) - o.clock.now()) / 1000)}s (flapping)`
      : '';
    const message = `instance ${planned.instance}: ${planned.reason}; task ${planned.ancestor} replaced by ${planned.name}${wait}`;
    o.events?.record(
      involvedOf('Job', job),
      throttled ? 'Warning' : 'Normal',
      throttled ? 'Throttled' : 'Rescheduled',
      message,
    );
  };

  const apply = async (job: Job, plan: JobPlan): Promise<void> => {
    const ns = job.metadata.namespace ?? '';
    const nowIso = new Date(o.clock.now()).toISOString();
    await inParallel(plan.create, WRITE_PARALLELISM, async (planned) => {
      // Born with its first status (Task has statusOnCreate): one write per new task.
      const task = { ...buildTask(job, planned), status: initialStatus(planned, nowIso) };
      expectations.expect(objectKey(job), planned.name);
      let created: Task | undefined;
      try {
        created = await idempotent(() => tasks.create(task, opts.write));
      } catch (err) {
        expectations.observed(objectKey(job), planned.name); // not created: nothing to wait for
        throw err;
      }
      if (!created) return;
      if (planned.ancestor) recordReplacement(job, planned);
    });
    const cached = (name: string): Task | undefined => o.informers.tasks.get(`${ns}/${name}`);
    await inParallel(plan.kill, WRITE_PARALLELISM, async ({ name, reason }) => {
      const t = cached(name);
      if (!t) return;
      await tasks.updateStatus(
        { ...t, status: withPhase(t.status ?? {}, 'Killing', nowIso, reason) },
        opts.write,
      );
      const message = `killing task ${name} (instance ${t.spec.instance}): ${reason}`;
      o.events?.record(involvedOf('Job', job), 'Normal', 'Killing', message);
    });
    await inParallel(plan.initialize, WRITE_PARALLELISM, async (name) => {
      const t = cached(name);
      if (t)
        await tasks.updateStatus(
          { ...t, status: withPhase({}, 'Pending', nowIso, 'status initialized') },
          opts.write,
        );
    });
    await inParallel(plan.unthrottle, WRITE_PARALLELISM, async (name) => {
      const t = cached(name);
      if (t)
        await tasks.updateStatus(
          { ...t, status: withPhase(t.status ?? {}, 'Pending', nowIso, 'flapping penalty over') },
          opts.write,
        );
    });
    await inParallel(plan.remove, WRITE_PARALLELISM, async ({ name }) => {
      await idempotent(() => tasks.delete(ns, name));
    });
    if (!jsonEqual(job.status, plan.status)) {
      await jobs.updateStatus({ ...job, status: plan.status }, opts.write);
    }
  };

  const reconcile = async (key: string): Promise<ReconcileResult> => {
    const job = o.informers.jobs.get(key);
    if (!job) {
      expectations.forget(key);
      return {}; // gone: its tasks are garbage collected through their owner reference
    }
    // Its last creations are not in the cache yet: their ADDED events bring the job back here.
    if (!expectations.satisfied(key)) return { requeueAfterMs: EXPECTATION_TIMEOUT_MS };
    const ns = job.metadata.namespace;
    const name = job.metadata.name ?? '';
    const plan = planJob(job, o.informers.tasks.byIndex(TASKS_BY_JOB, key), {
      nowMs: o.clock.now(),
      random,
      history: o.history ?? AURORA_HISTORY,
      ...(o.flapping ? { flapping: o.flapping } : {}),
    });
    if (plan.addFinalizer) {
      // The finalizer goes on before any task exists, so deleting the Job always kills its tasks.
      const finalizers = [...(job.metadata.finalizers ?? []), JOB_FINALIZER];
      await jobs.patch(
        ns,
        name,
        { metadata: { finalizers, resourceVersion: job.metadata.resourceVersion } },
        opts.write,
      );
      return {};
    }
    await apply(job, plan);
    if (plan.removeFinalizer) {
      const finalizers = (job.metadata.finalizers ?? []).filter((f) => f !== JOB_FINALIZER);
      await idempotent(() =>
        jobs.patch(
          ns,
          name,
          { metadata: { finalizers, resourceVersion: job.metadata.resourceVersion } },
          opts.write,
        ),
      );
    }
    return plan.requeueAfterMs === undefined ? {} : { requeueAfterMs: plan.requeueAfterMs };
  };

  const controller = new Controller({
    name: 'jobs',
    workers: o.workers ?? 4,
    clock: o.clock,
    reconcile,
    waitFor: [o.informers.jobs, o.informers.tasks],
  });
  o.informers.jobs.addEventHandler({
    onAdd: (j) => controller.enqueue(objectKey(j)),
    onUpdate: (_old, j) => controller.enqueue(objectKey(j)),
    onDelete: (j) => controller.enqueue(objectKey(j)),
    onResync: (j) => controller.enqueue(objectKey(j)),
  });
  const seen = (t: Task): void => {
    expectations.observed(jobKeyOfTask(t), t.metadata.name ?? '');
    controller.enqueueAfter(jobKeyOfTask(t), TASK_EVENT_DELAY_MS);
  };
  o.informers.tasks.addEventHandler({
    onAdd: seen,
    onUpdate: (_old, t) => seen(t),
    onDelete: seen,
  });
  return controller;
}
