/** A planned new task → the Task object to create, owned by its Job. */
import type { Job } from '../../api/v1/job.js';
import type { Task, TaskStatus } from '../../api/v1/task.js';
import type { NewTask } from './planner.js';

export const JOB_LABEL = 'borealis.dev/job';
export const INSTANCE_LABEL = 'borealis.dev/instance';

export function buildTask(job: Job, planned: NewTask): Task {
  const spec: Task['spec'] = {
    jobName: job.metadata.name ?? '',
    environment: job.spec.environment,
    instance: planned.instance,
    templateRevision: job.metadata.generation ?? 1,
    template: job.spec.task,
    service: job.spec.service,
    tier: job.spec.tier,
    priority: job.spec.priority,
    maxTaskFailures: job.spec.maxTaskFailures,
    partitionPolicy: job.spec.partitionPolicy,
    failureCount: planned.failureCount,
  };
  if (planned.ancestor) spec.ancestor = planned.ancestor;
  return {
    apiVersion: 'borealis.dev/v1',
    kind: 'Task',
    metadata: {
      name: planned.name,
      namespace: job.metadata.namespace ?? '',
      labels: { [JOB_LABEL]: job.metadata.name ?? '', [INSTANCE_LABEL]: String(planned.instance) },
      ownerReferences: [
        {
          apiVersion: 'borealis.dev/v1',
          kind: 'Job',
          name: job.metadata.name ?? '',
          uid: job.metadata.uid ?? '',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec,
  };
}

/** The first status of a new task: Pending, or Throttled until its flapping penalty is over. */
export function initialStatus(planned: NewTask, nowIso: string): TaskStatus {
  const status: TaskStatus = {
    phase: planned.phase,
    lastTransitionTime: nowIso,
    events: [{ time: nowIso, phase: planned.phase, message: planned.reason }],
    message: planned.reason,
  };
  if (planned.throttledUntilMs !== undefined)
    status.throttledUntil = new Date(planned.throttledUntilMs).toISOString();
  return status;
}
