import type { Job } from '../../../../api/v1/job.js';
import type { Task, TaskEvent, TaskPhase } from '../../../../api/v1/task.js';
import { JOB_FINALIZER } from '../../../../controllers/jobs/planner.js';

export const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
export const iso = (msAgo: number): string => new Date(NOW - msAgo).toISOString();

const template = {
  command: 'python3 -m http.server $PORT_HTTP',
  resources: { cpus: 0.1, ramMb: 64, diskMb: 64, ports: ['http'] },
  gracefulShutdownSeconds: 5,
};

export function job(
  over: {
    instances?: number;
    service?: boolean;
    maxTaskFailures?: number;
    deleting?: boolean;
    finalizer?: boolean;
  } = {},
): Job {
  return {
    apiVersion: 'borealis.dev/v1',
    kind: 'Job',
    metadata: {
      name: 'hello',
      namespace: 'www-data',
      uid: 'job-uid',
      generation: 1,
      finalizers: over.finalizer === false ? [] : [JOB_FINALIZER],
      ...(over.deleting ? { deletionTimestamp: iso(0) } : {}),
    },
    spec: {
      environment: 'prod',
      instances: over.instances ?? 3,
      service: over.service ?? true,
      tier: 'preferred',
      priority: 0,
      maxTaskFailures: over.maxTaskFailures ?? 1,
      task: template,
      updateStrategy: {
        batchSize: 1,
        watchSeconds: 45,
        maxPerInstanceFailures: 0,
        maxFailedInstances: 0,
        rollbackOnFailure: true,
      },
      partitionPolicy: { reschedule: true, delaySeconds: 0 },
    } as Job['spec'],
  };
}

let seq = 0;
export function task(
  instance: number,
  phase: TaskPhase,
  over: {
    name?: string;
    ancestor?: string;
    failureCount?: number;
    createdAgo?: number;
    startedAgo?: number;
    endedAgo?: number;
    events?: TaskPhase[];
    throttledUntil?: number;
    healthy?: boolean;
    vetoes?: boolean;
  } = {},
): Task {
  seq++;
  const events: TaskEvent[] = (over.events ?? ['Pending', 'Assigned', 'Starting', 'Running', phase]).map(
    (p) => ({ time: iso(0), phase: p }),
  );
  return {
    apiVersion: 'borealis.dev/v1',
    kind: 'Task',
    metadata: {
      name: over.name ?? `hello-${instance}-t${seq}`,
      namespace: 'www-data',
      creationTimestamp: iso(over.createdAgo ?? 60_000),
    },
    spec: {
      jobName: 'hello',
      environment: 'prod',
      instance,
      templateRevision: 1,
      template,
      service: true,
      tier: 'preferred',
      priority: 0,
      maxTaskFailures: 1,
      failureCount: over.failureCount ?? 0,
      ...(over.ancestor ? { ancestor: over.ancestor } : {}),
    } as Task['spec'],
    status: {
      phase,
      events,
      ...(over.startedAgo !== undefined ? { startedAt: iso(over.startedAgo) } : {}),
      ...(over.endedAgo !== undefined ? { finishedAt: iso(over.endedAgo) } : {}),
      ...(over.throttledUntil !== undefined
        ? { throttledUntil: new Date(over.throttledUntil).toISOString() }
        : {}),
      ...(over.healthy !== undefined ? { healthy: over.healthy } : {}),
      ...(over.vetoes ? { vetoes: [{ reason: 'Insufficient cpus on 3 hosts' }] } : {}),
    },
  };
}
