/** A Task object → what the placement round needs to know about it. */
import type { Task } from '../../api/v1/task.js';
import type { TaskDemand } from '../../pkg/scheduling/types.js';

export function demandOf(task: Task): TaskDemand {
  const r = task.spec.template.resources;
  return {
    name: task.metadata.name ?? '',
    jobKey: `${task.metadata.namespace}/${task.spec.environment}/${task.spec.jobName}`,
    role: task.metadata.namespace ?? '',
    tier: task.spec.tier,
    priority: task.spec.priority,
    cpus: r.cpus,
    ramMb: r.ramMb,
    diskMb: r.diskMb,
    gpus: r.gpus ?? 0,
    ports: r.ports ?? [],
    constraints: task.spec.template.constraints ?? [],
  };
}
