/**
 * Validation of one TaskInfo in a LAUNCH, in the order and with the texts of Mesos's master
 * (src/master/validation.cpp). The first problem found is the TASK_ERROR message.
 */
import type { TaskInfo } from '../mesos/types.js';
import { taskPorts } from './agents.js';
import { parseHealthCheck } from './executors/process.js';
import type { AgentNode, FrameworkRecord } from './model.js';
import { formatRanges } from './ranges.js';
import { containsResources, type Resources } from './resources.js';
import { resourcesFromWire } from './resources-wire.js';

function idError(id: string): string | undefined {
  if (id === '') return 'ID must not be empty';
  if (id.length > 255) return 'ID must not be greater than 255 characters';
  if (id === '.' || id === '..') return `'${id}' is disallowed`;
  for (const ch of id) {
    const code = ch.charCodeAt(0);
    if (ch === '/' || ch === '\\' || code < 0x20 || code === 0x7f)
      return `'${id}' contains invalid characters`;
  }
  return undefined;
}

/** Resources as Mesos prints them: "cpus(allocated: *):0.5; mem(allocated: *):128; ports(...):[...]". */
export function mesosResourcesText(r: Resources, role: string): string {
  const tag = `(allocated: ${role})`;
  const parts: string[] = [];
  if (r.cpus > 0) parts.push(`cpus${tag}:${r.cpus}`);
  if (r.mem > 0) parts.push(`mem${tag}:${r.mem}`);
  if (r.disk > 0) parts.push(`disk${tag}:${r.disk}`);
  if (r.gpus > 0) parts.push(`gpus${tag}:${r.gpus}`);
  if (r.ports.length > 0) parts.push(`ports${tag}:${formatRanges(r.ports)}`);
  if (r.revocableCpus > 0) parts.push(`cpus${tag}{REV}:${r.revocableCpus}`);
  return parts.join('; ');
}

export function taskError(
  fw: FrameworkRecord,
  agent: AgentNode,
  info: TaskInfo,
  offered: Resources,
): string | undefined {
  const id = info.task_id.value;
  const invalidId = idError(id);
  if (invalidId !== undefined) return invalidId;
  const existing = fw.tasks.get(id);
  if (existing !== undefined) {
    return existing.unreachableSince === undefined
      ? `Task has duplicate ID: ${id}`
      : `Task reuses the ID of an unreachable task: ${id}`;
  }
  if (info.agent_id.value !== agent.id) {
    return `Task uses invalid agent ${info.agent_id.value} while agent ${agent.id} is expected`;
  }
  const grace = info.kill_policy?.grace_period?.nanoseconds;
  if (grace !== undefined && Number(grace) < 0)
    return "Task's 'kill_policy.grace_period' must be non-negative";
  if (info.health_check !== undefined) {
    try {
      // The executors' own parser: what it rejects could never be health-checked.
      parseHealthCheck(info.health_check, taskPorts(info));
    } catch (err) {
      return `Task uses invalid health check: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  if ((info.resources ?? []).length === 0) return 'Task uses no resources';
  if ((info.command === undefined) === (info.executor === undefined)) {
    return 'Task should have at least one (but not both) of CommandInfo or ExecutorInfo present';
  }
  const { resources, unsatisfiable } = resourcesFromWire(info.resources);
  const revocableRefused = resources.revocableCpus > 0 && !fw.hasCapability('REVOCABLE_RESOURCES');
  if (revocableRefused || unsatisfiable.length > 0 || !containsResources(offered, resources)) {
    const total = [mesosResourcesText(resources, fw.role), ...unsatisfiable]
      .filter((s) => s !== '')
      .join('; ');
    return `Total resources ${total} required by task and its executor is more than available ${mesosResourcesText(offered, fw.role)}`;
  }
  return undefined;
}
