/**
 * The informers the controllers share (one list+watch per kind per process), with the indexes
 * they look things up by: tasks by job (`<namespace>/<jobName>`), by phase and by host; and the
 * Task writes the tasks informer has not shown yet.
 */
import type { Host } from '../../api/v1/host.js';
import type { Job } from '../../api/v1/job.js';
import type { Task } from '../../api/v1/task.js';
import { clientListWatch } from '../../pkg/client/list-watch.js';
import { HOSTS, JOBS, TASKS } from '../../pkg/client/refs.js';
import type { BorealisClient } from '../../pkg/client/types.js';
import type { Clock } from '../../pkg/runtime/clock.js';
import { dropManagedFields, Informer } from '../../pkg/runtime/informer.js';
import { RecentWrites } from '../../pkg/runtime/recent-writes.js';

export const TASKS_BY_JOB = 'job';
export const TASKS_BY_PHASE = 'phase';
export const TASKS_BY_HOST = 'host';

export interface SharedInformers {
  readonly jobs: Informer<Job>;
  readonly tasks: Informer<Task>;
  readonly hosts: Informer<Host>;
  /** Task writes of this process the tasks informer has not shown yet (every Task writer feeds it). */
  readonly taskWrites: RecentWrites<Task>;
  readonly all: readonly Informer<Job | Task | Host>[];
}

export function jobKeyOfTask(t: Task): string {
  return `${t.metadata.namespace}/${t.spec.jobName}`;
}

export function buildInformers(client: BorealisClient, clock: Clock): SharedInformers {
  const jobs = new Informer<Job>({
    name: 'jobs',
    source: clientListWatch(client.resource<Job>(JOBS)),
    clock,
  });
  const tasks = new Informer<Task>({
    name: 'tasks',
    source: clientListWatch(client.resource<Task>(TASKS)),
    clock,
    // No controller reads managedFields, and updates that leave them out keep the stored ones.
    transform: dropManagedFields,
    indexers: {
      [TASKS_BY_JOB]: (t) => [jobKeyOfTask(t)],
      // A task the jobs controller has not yet given a status is 'New': not placeable yet (it may
      // be meant to start Throttled).
      [TASKS_BY_PHASE]: (t) => [t.status?.phase ?? 'New'],
      [TASKS_BY_HOST]: (t) => (t.status?.host ? [t.status.host] : []),
    },
  });
  const hosts = new Informer<Host>({
    name: 'hosts',
    source: clientListWatch(client.resource<Host>(HOSTS)),
    clock,
  });
  return {
    jobs,
    tasks,
    hosts,
    // Registered before any controller's handlers, so it has caught up when they run.
    taskWrites: new RecentWrites(tasks, clock),
    all: [jobs, tasks, hosts] as readonly Informer<Job | Task | Host>[],
  };
}
