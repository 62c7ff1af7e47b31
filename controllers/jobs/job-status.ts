/**
 * The Job's status as GitOps tools and `kubectl get jobs` read it: counts by phase, ready
 * instances, and the Ready / Progressing / Degraded conditions (lastTransitionTime kept while a
 * condition's status does not change).
 */
import type { Condition } from '../../api/meta.js';
import type { Job, JobStatus, TaskCountKey, TaskCounts } from '../../api/v1/job.js';
import type { Task } from '../../api/v1/task.js';
import { jsonEqual } from '../../pkg/runtime/json-equal.js';
import type { InstanceTasks } from './instances.js';

export interface InstanceVerdicts {
  readonly ready: number;
  readonly settling: number;
  readonly throttled: number;
  readonly failedOut: number;
  readonly unschedulable: number;
}

function countKey(phase: string): TaskCountKey {
  return (phase.charAt(0).toLowerCase() + phase.slice(1)) as TaskCountKey;
}

export function isReady(task: Task, service: boolean): boolean {
  const phase = task.status?.phase;
  // With a health check, a task is ready once a check passed; without one, once it runs.
  if (phase === 'Running')
    return task.spec.template.healthCheck ? task.status?.healthy === true : task.status?.healthy !== false;
  return !service && phase === 'Finished';
}

export function judgeInstances(
  job: Job,
  instances: ReadonlyMap<number, InstanceTasks>,
  failedOut: ReadonlySet<number>,
): InstanceVerdicts {
  let ready = 0;
  let settling = 0;
  let throttled = 0;
  let unschedulable = 0;
  for (let i = 0; i < job.spec.instances; i++) {
    const current = instances.get(i)?.runs[0];
    if (!current) {
      if (!failedOut.has(i)) settling++;
      continue;
    }
    const phase = current.status?.phase ?? 'Pending';
    if (isReady(current, job.spec.service)) ready++;
    else if (!failedOut.has(i)) settling++;
    if (phase === 'Throttled') throttled++;
    if (phase === 'Pending' && (current.status?.vetoes?.length ?? 0) > 0) unschedulable++;
  }
  return { ready, settling, throttled, failedOut: failedOut.size, unschedulable };
}

function condition(
  prev: readonly Condition[] | undefined,
  next: Omit<Condition, 'lastTransitionTime'>,
  nowIso: string,
): Condition {
  const old = prev?.find((c) => c.type === next.type);
  const lastTransitionTime =
    old && old.status === next.status && old.lastTransitionTime ? old.lastTransitionTime : nowIso;
  return { ...next, lastTransitionTime };
}

export function computeJobStatus(
  job: Job,
  tasks: readonly Task[],
  instances: ReadonlyMap<number, InstanceTasks>,
  v: InstanceVerdicts,
  nowIso: string,
): JobStatus {
  const counts: TaskCounts = {};
  for (const t of tasks) {
    const key = countKey(t.status?.phase ?? 'Pending');
    counts[key] = (counts[key] ?? 0) + 1;
  }
  const generation = job.metadata.generation ?? 0;
  const n = job.spec.instances;
  const prev = job.status?.conditions;
  const ready = v.ready === n;
  const progressing = v.settling > 0;
  const degraded = v.throttled > 0 || v.failedOut > 0 || v.unschedulable > 0;
  const degradedReason = v.failedOut > 0 ? 'InstancesFailed' : v.throttled > 0 ? 'Flapping' : 'Unschedulable';
  const degradedMessage =
    v.failedOut > 0
      ? `${v.failedOut} instance(s) failed more than maxTaskFailures allows`
      : v.throttled > 0
        ? `${v.throttled} instance(s) throttled after failing quickly`
        : `${v.unschedulable} instance(s) cannot be placed; see the tasks' vetoes`;
  const conditions: Condition[] = [
    condition(
      prev,
      {
        type: 'Ready',
        status: ready ? 'True' : 'False',
        reason: ready ? 'AllInstancesReady' : 'InstancesNotReady',
        message: `${v.ready} of ${n} instances ready`,
        observedGeneration: generation,
      },
      nowIso,
    ),
    condition(
      prev,
      {
        type: 'Progressing',
        status: progressing ? 'True' : 'False',
        reason: progressing ? 'Converging' : 'Converged',
        message: progressing ? `${v.settling} instance(s) not yet running` : 'every instance is settled',
        observedGeneration: generation,
      },
      nowIso,
    ),
    condition(
      prev,
      degraded
        ? {
            type: 'Degraded',
            status: 'True',
            reason: degradedReason,
            message: degradedMessage,
            observedGeneration: generation,
          }
        : {
            type: 'Degraded',
            status: 'False',
            reason: 'Healthy',
            message: 'no instance is failing',
            observedGeneration: generation,
          },
      nowIso,
    ),
  ];
  // Up to date: the instance's current task runs exactly the Job's task template.
  // Tasks decoded from the store share one copy of an equal template (pkg/runtime/shared-json.ts),
  // so a template found equal once needs no second comparison.
  let updated = 0;
  let matching: unknown;
  for (let i = 0; i < n; i++) {
    const template = instances.get(i)?.runs[0]?.spec.template;
    if (template === undefined) continue;
    if (template === matching || jsonEqual(template, job.spec.task)) {
      matching = template;
      updated++;
    }
  }
  const status: JobStatus = {
    observedGeneration: generation,
    ready: `${v.ready}/${n}`,
    readyInstances: v.ready,
    updatedInstances: updated,
    taskCounts: counts,
    conditions,
  };
  if (job.status?.activeUpdate !== undefined) status.activeUpdate = job.status.activeUpdate;
  return status;
}
