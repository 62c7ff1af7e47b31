/**
 * The hosts planner, pure: Mesos agents (operator GET_AGENTS) and the active tasks on them → the
 * Host objects that should exist and what their spec and status should say. Maintenance mode and
 * the Maintenance that set it belong to the maintenance controller and are carried over untouched.
 * A host whose agent is gone stays (its history and maintenance matter) but is marked not Ready.
 */
import type { Host, HostResources, HostSpec, HostStatus } from '../../api/v1/host.js';
import type { Task } from '../../api/v1/task.js';
import type { Attribute, OperatorAgent, Resource } from '../../pkg/mesos/types.js';
import { jsonEqual } from '../../pkg/runtime/json-equal.js';
import { isActive } from '../../pkg/taskstate/index.js';

export interface HostWrite {
  readonly name: string;
  readonly spec: HostSpec;
  readonly status: HostStatus;
  /** Present when the Host exists: the revision read, for compare-and-swap. */
  readonly existing?: Host;
}

export interface HostsPlan {
  readonly create: readonly HostWrite[];
  readonly updateSpec: readonly HostWrite[];
  readonly updateStatus: readonly HostWrite[];
}

function totals(resources: readonly Resource[] | undefined): HostResources {
  const t = { cpus: 0, ramMb: 0, diskMb: 0, gpus: 0, ports: 0 };
  for (const r of resources ?? []) {
    const v = r.scalar?.value ?? 0;
    if (r.name === 'cpus') t.cpus += v;
    else if (r.name === 'mem') t.ramMb += v;
    else if (r.name === 'disk') t.diskMb += v;
    else if (r.name === 'gpus') t.gpus += v;
    else if (r.name === 'ports')
      for (const range of r.ranges?.range ?? []) t.ports += range.end - range.begin + 1;
  }
  return {
    cpus: Math.round(t.cpus * 1000) / 1000,
    ramMb: Math.round(t.ramMb),
    diskMb: Math.round(t.diskMb),
    gpus: t.gpus,
    ports: t.ports,
  };
}

function attributes(list: readonly Attribute[] | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const a of list ?? []) {
    out[a.name] = a.text
      ? [a.text.value]
      : a.set
        ? [...a.set.item]
        : a.scalar
          ? [String(a.scalar.value)]
          : [];
  }
  return out;
}

/**
 * A host's usage (allocated resources, active tasks) is informational and changes with every
 * task placed: it is written at most this often — as the kubelet reports an unchanged node
 * status every 5 minutes (nodeStatusReportFrequency) — so a busy cluster does not rewrite every
 * Host on every poll (1,000 Host writes per 10 s poll during a 10,000-task launch; at 10,000
 * hosts a 1-minute refresh was still 166 writes/s). Readiness, totals and attributes are written
 * as soon as they change.
 */
export const USAGE_REFRESH_MS = 5 * 60_000;

/**
 * Usage-only writes one poll may make: enough to refresh every host once per USAGE_REFRESH_MS,
 * spread evenly. Hosts registered together fall due together: at 10,000 hosts, 5 minutes after
 * they appeared, one poll wrote all 10,000 (a burst that cost the API server 12 % of a core for
 * half a minute); with this budget a poll writes at most 334, the most overdue first.
 */
export function usageWritesPerPoll(hosts: number, pollIntervalMs: number): number {
  return Math.max(1, Math.ceil((hosts * pollIntervalMs) / USAGE_REFRESH_MS));
}

function allocated(tasks: readonly Task[]): { resources: HostResources; count: number } {
  let cpus = 0;
  let ramMb = 0;
  let diskMb = 0;
  let gpus = 0;
  let ports = 0;
  for (const t of tasks) {
    const r = t.spec.template.resources;
    cpus += r.cpus;
    ramMb += r.ramMb;
    diskMb += r.diskMb;
    gpus += r.gpus ?? 0;
    ports += r.ports?.length ?? 0;
  }
  return {
    resources: { cpus: Math.round(cpus * 1000) / 1000, ramMb, diskMb, gpus, ports },
    count: tasks.length,
  };
}

export function planHosts(
  agents: readonly OperatorAgent[],
  hosts: readonly Host[],
  tasks: readonly Task[],
  nowIso: string,
  usageBudget = Number.POSITIVE_INFINITY,
): HostsPlan {
  const nowMs = Date.parse(nowIso);
  const byName = new Map(hosts.map((h) => [h.metadata.name ?? '', h]));
  const tasksByHost = new Map<string, Task[]>();
  for (const t of tasks) {
    const host = t.status?.host;
    if (!host || !isActive(t.status?.phase ?? 'Pending')) continue;
    const onHost = tasksByHost.get(host);
    if (onHost) onHost.push(t);
    else tasksByHost.set(host, [t]);
  }
  const create: HostWrite[] = [];
  const updateSpec: HostWrite[] = [];
  const updateStatus: HostWrite[] = [];
  const usageOnly: { write: HostWrite; lastWrite: number }[] = [];
  const seen = new Set<string>();
  for (const agent of agents) {
    const name = agent.agent_info.hostname;
    seen.add(name);
    const spec: HostSpec = { hostname: name, attributes: attributes(agent.agent_info.attributes) };
    if (agent.agent_info.id) spec.agentId = agent.agent_info.id.value;
    const existing = byName.get(name);
    const alloc = allocated(tasksByHost.get(name) ?? []);
    const total = totals(agent.total_resources ?? agent.agent_info.resources);
    const condition = readyCondition(existing, agent.active, nowIso);
    const status = (): HostStatus => ({
      ...existing?.status,
      mode: existing?.status?.mode ?? 'None',
      total,
      allocated: alloc.resources,
      activeTasks: alloc.count,
      conditions: [condition],
      lastSeenTime: nowIso,
    });
    if (!existing) {
      create.push({ name, spec, status: status() });
      continue;
    }
    const old = existing.status;
    if (!jsonEqual(existing.spec, spec)) updateSpec.push({ name, spec, status: status(), existing });
    // Anything but usage and lastSeenTime differs: mode (set here only when missing), totals or
    // readiness. Field by field: building and deep-comparing two whole statuses per host was
    // most of a 10,000-host poll (≈ 110 ms).
    const news =
      old?.mode === undefined || !jsonEqual(old.total, total) || !jsonEqual(old.conditions, [condition]);
    const usageChanged = old?.activeTasks !== alloc.count || !jsonEqual(old?.allocated, alloc.resources);
    if (news) {
      updateStatus.push({ name, spec, status: status(), existing });
    } else if (usageChanged) {
      const lastWrite = Date.parse(old?.lastSeenTime ?? '');
      if (Number.isNaN(lastWrite) || nowMs - lastWrite >= USAGE_REFRESH_MS)
        usageOnly.push({ write: { name, spec, status: status(), existing }, lastWrite });
    }
  }
  // Most overdue first; NaN (never written) sorts as the oldest.
  usageOnly.sort((a, b) => (a.lastWrite || 0) - (b.lastWrite || 0));
  for (const { write } of usageOnly.slice(0, usageBudget)) updateStatus.push(write);
  for (const h of hosts) {
    const name = h.metadata.name ?? '';
    if (seen.has(name)) continue;
    const ready = h.status?.conditions?.find((c) => c.type === 'Ready');
    if (ready?.status === 'False') continue;
    updateStatus.push({
      name,
      spec: h.spec,
      status: { ...h.status, conditions: [readyCondition(h, false, nowIso)] },
      existing: h,
    });
  }
  return { create, updateSpec, updateStatus };
}

function readyCondition(
  existing: Host | undefined,
  ready: boolean,
  nowIso: string,
): NonNullable<HostStatus['conditions']>[number] {
  const old = existing?.status?.conditions?.find((c) => c.type === 'Ready');
  const status = ready ? 'True' : 'False';
  return {
    type: 'Ready',
    status,
    reason: ready ? 'AgentRegistered' : 'AgentGone',
    message: ready
      ? 'the Mesos agent is registered and active'
      : 'the Mesos agent is not registered or not active',
    lastTransitionTime: old?.status === status && old.lastTransitionTime ? old.lastTransitionTime : nowIso,
  };
}
