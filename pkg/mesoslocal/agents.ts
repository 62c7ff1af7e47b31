/**
 * Agents: registering them (resources, attributes, executor, update manager) and turning a
 * TaskInfo into the executor's task spec.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Attribute, TaskInfo } from '../mesos/types.js';
import { ProcessExecutor } from './executors/process.js';
import { SimExecutor } from './executors/sim.js';
import type { Executor, ExecutorTaskSpec } from './executors/types.js';
import type { Master } from './master.js';
import { AgentNode, type TaskRecord } from './model.js';
import { normalizeRanges, sliceRanges } from './ranges.js';
import { makeResources } from './resources.js';
import { forwardAgentUpdate } from './task-updates.js';
import { StatusUpdateManager } from './update-manager.js';

function makeExecutor(m: Master): Executor {
  const kind = m.options.executor;
  const context = { clock: m.clock, sandboxRoot: m.options.sandboxRoot };
  if (kind === 'sim') return new SimExecutor(m.clock);
  if (kind === 'process') return new ProcessExecutor({ clock: m.clock });
  return kind(context);
}

function attributeOf(name: string, value: string): Attribute {
  // Mesos parses numeric attribute values as SCALAR and everything else as TEXT.
  const n = Number(value);
  if (value.trim() !== '' && Number.isFinite(n)) return { name, type: 'SCALAR', scalar: { value: n } };
  return { name, type: 'TEXT', text: { value } };
}

/** Attributes of agent `index`: list values spread agents over them (value index mod n). */
export function agentAttributes(m: Master, index: number, hostname: string): Attribute[] {
  const out: Attribute[] = [];
  const given = m.options.attributes;
  if (given['host'] === undefined) out.push(attributeOf('host', hostname));
  for (const [name, value] of Object.entries(given)) {
    const values = typeof value === 'string' ? [value] : value;
    const picked = values[index % Math.max(1, values.length)];
    if (picked !== undefined) out.push(attributeOf(name, picked));
  }
  return out;
}

/** Create and register agent number `index` (a fresh agent id each time, as a new agent process gets). */
export function addAgent(m: Master, index: number): AgentNode {
  const r = m.options.agentResources;
  const ports =
    m.options.portsPerAgent === 'split'
      ? sliceRanges(r.ports, m.options.agents, index)
      : normalizeRanges(r.ports);
  const hostname = `${m.options.hostnamePrefix}${index}`;
  const agent = new AgentNode(
    m.ids.agent(),
    index,
    hostname,
    m.options.host,
    agentAttributes(m, index, hostname),
    makeResources({ ...r, ports }),
    m.clock.now(),
  );
  m.agents.set(agent.id, agent);
  m.executors.set(agent.id, makeExecutor(m));
  m.updateManagers.set(
    agent.id,
    new StatusUpdateManager(m.clock, m.options.statusUpdateRetryMs, m.options.statusUpdateRetryMaxMs, {
      forward: (task, status) => forwardAgentUpdate(m, task, status),
      canForward: () => agent.reachable && agent.networkUp && agent.processUp,
    }),
  );
  m.allocationCandidates.add(agent.id);
  return agent;
}

/** The task's ports in order, named from its DiscoveryInfo where it names them. */
export function taskPorts(info: TaskInfo): ExecutorTaskSpec['ports'] {
  const names = new Map<number, string>();
  for (const p of info.discovery?.ports?.ports ?? []) if (p.name !== undefined) names.set(p.number, p.name);
  const out: { number: number; name?: string }[] = [];
  for (const r of info.resources ?? []) {
    if (r.name !== 'ports') continue;
    for (const range of r.ranges?.range ?? []) {
      for (let port = range.begin; port <= range.end && out.length < 1000; port++) {
        const name = names.get(port);
        out.push(name === undefined ? { number: port } : { number: port, name });
      }
    }
  }
  return out;
}

export function taskSpec(m: Master, task: TaskRecord, agent: AgentNode): ExecutorTaskSpec {
  const info = task.info;
  const command = info.command ?? info.executor?.command;
  const env: Record<string, string> = {};
  for (const v of command?.environment?.variables ?? []) if (v.value !== undefined) env[v.name] = v.value;
  const labels: Record<string, string> = {};
  for (const l of info.labels?.labels ?? []) labels[l.key] = l.value ?? '';
  const graceNanos = info.kill_policy?.grace_period?.nanoseconds;
  const sandboxDir = join(m.options.sandboxRoot, agent.id, 'frameworks', task.frameworkId, task.taskId);
  if (m.options.executor !== 'sim') mkdirSync(sandboxDir, { recursive: true });
  const spec: ExecutorTaskSpec = {
    taskId: task.taskId,
    agentId: agent.id,
    hostname: agent.hostname,
    command: command?.value ?? '',
    env,
    ports: taskPorts(info),
    sandboxDir,
    labels,
    killGracePeriodMs: graceNanos === undefined ? 3000 : Number(graceNanos) / 1e6,
  };
  return info.health_check === undefined ? spec : { ...spec, healthCheck: info.health_check };
}
