/**
 * A placed Task → the Mesos TaskInfo that launches it: resources taken from the chosen host's
 * offers (carrying their allocation role), the command with its environment, named ports in
 * DiscoveryInfo (the executor exports them as PORT_<NAME>), the health check translated from
 * Aurora terms, and the kill grace period.
 */

import type { Task } from '../../api/v1/task.js';
import type { HealthCheck as BorealisHealthCheck } from '../../api/v1/task-template.js';
import type { HealthCheck, Resource, ResourceAllocationInfo, TaskInfo } from '../../pkg/mesos/types.js';
import type { Assignment } from '../../pkg/scheduling/index.js';
import { mesosIdOfTask } from '../shared/task-ids.js';

const scalar = (
  name: string,
  value: number,
  alloc: ResourceAllocationInfo | undefined,
  revocable = false,
): Resource => ({
  name,
  type: 'SCALAR',
  scalar: { value },
  ...(alloc ? { allocation_info: alloc } : {}),
  ...(revocable ? { revocable: {} } : {}),
});

/**
 * Aurora's maxConsecutiveFailures counts failures tolerated (0 = the first failure is fatal);
 * Mesos's consecutive_failures counts failures that kill. Aurora's initial delay is a grace period
 * during which failures do not count.
 */
export function mesosHealthCheck(
  hc: BorealisHealthCheck,
  ports: Readonly<Record<string, number>>,
): HealthCheck {
  const timing = {
    delay_seconds: hc.initialDelaySeconds,
    interval_seconds: hc.intervalSeconds,
    timeout_seconds: hc.timeoutSeconds,
    consecutive_failures: hc.maxConsecutiveFailures + 1,
    grace_period_seconds: hc.initialDelaySeconds,
  };
  if (hc.http) {
    const port = ports[hc.http.port];
    if (port === undefined) throw new Error(`health check port "${hc.http.port}" was not assigned`);
    return { ...timing, type: 'HTTP', http: { scheme: 'http', port, path: hc.http.path } };
  }
  return { ...timing, type: 'COMMAND', command: { shell: true, value: hc.shell?.command ?? 'true' } };
}

export function taskInfoFor(
  task: Task,
  placed: Assignment,
  allocation: ResourceAllocationInfo | undefined,
): TaskInfo {
  const ns = task.metadata.namespace ?? '';
  const t = task.spec.template;
  const id = mesosIdOfTask(task);
  const resources: Resource[] = [
    scalar('cpus', t.resources.cpus, allocation, task.spec.tier === 'revocable'),
    scalar('mem', t.resources.ramMb, allocation),
    scalar('disk', t.resources.diskMb, allocation),
  ];
  if ((t.resources.gpus ?? 0) > 0) resources.push(scalar('gpus', t.resources.gpus ?? 0, allocation));
  const portNumbers = Object.values(placed.ports);
  if (portNumbers.length > 0) {
    resources.push({
      name: 'ports',
      type: 'RANGES',
      ranges: { range: portNumbers.map((p) => ({ begin: p, end: p })) },
      ...(allocation ? { allocation_info: allocation } : {}),
    });
  }
  const info: TaskInfo = {
    name: `${ns}/${task.spec.environment}/${task.spec.jobName}/${task.spec.instance}`,
    task_id: { value: id },
    agent_id: { value: placed.agentId },
    resources,
    command: {
      shell: true,
      value: t.command,
      environment: {
        variables: Object.entries(t.env ?? {}).map(([name, value]) => ({ name, type: 'VALUE', value })),
      },
      ...(t.fetch && t.fetch.length > 0
        ? {
            uris: t.fetch.map((f) => ({
              value: f.uri,
              extract: f.extract,
              executable: f.executable,
              cache: f.cache,
            })),
          }
        : {}),
    },
    kill_policy: { grace_period: { nanoseconds: t.gracefulShutdownSeconds * 1e9 } },
    discovery: {
      visibility: 'FRAMEWORK',
      name: `${ns}.${task.spec.environment}.${task.spec.jobName}`,
      ports: {
        ports: Object.entries(placed.ports).map(([name, number]) => ({ number, name, protocol: 'tcp' })),
      },
    },
    labels: {
      labels: [
        { key: 'borealis.dev/job', value: `${ns}/${task.spec.environment}/${task.spec.jobName}` },
        { key: 'borealis.dev/instance', value: String(task.spec.instance) },
        ...Object.entries(t.metadata ?? {}).map(([key, value]) => ({ key, value })),
      ],
    },
  };
  if (t.healthCheck) info.health_check = mesosHealthCheck(t.healthCheck, placed.ports);
  return info;
}
