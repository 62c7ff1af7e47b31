/**
 * The placement planner, pure: pending tasks + the offers in hand + what already runs where →
 * which offers to accept with which tasks, which to decline, and what to write on each task
 * (Assigned with host and ports, or the veto summary for a task that fits nowhere).
 */
import type { Host, HostMode } from '../../api/v1/host.js';
import type { Task } from '../../api/v1/task.js';
import type { Offer, TaskInfo } from '../../pkg/mesos/types.js';
import {
  type Assignment,
  countPlacement,
  type LimitCounts,
  planRound,
  type ScoringPolicyName,
} from '../../pkg/scheduling/index.js';
import { isActive } from '../../pkg/taskstate/index.js';
import { demandOf } from './demand.js';
import { hostsFromOffers } from './offers.js';
import { taskInfoFor } from './task-info.js';

export interface PlacementInput {
  readonly pending: readonly Task[];
  /** Every task of the jobs involved (for limit constraints); only active ones on a host count. */
  readonly jobTasks: readonly Task[];
  readonly hosts: ReadonlyMap<string, Host>;
  readonly offers: readonly Offer[];
  readonly role: string;
  readonly policy: ScoringPolicyName;
  readonly nowMs: number;
}

export interface Launch {
  readonly offerIds: readonly string[];
  readonly agentId: string;
  readonly tasks: readonly {
    readonly task: Task;
    readonly assignment: Assignment;
    readonly info: TaskInfo;
  }[];
}

export interface PlacementPlan {
  readonly launches: readonly Launch[];
  /** Offers no task was placed on. */
  readonly decline: readonly string[];
  /** Tasks that fit nowhere, with the reason to show on their status. */
  readonly unplaced: readonly { readonly task: Task; readonly reason: string }[];
}

/** Active tasks per job per attribute value, from the hosts they run on. */
export function limitCounts(tasks: readonly Task[], hosts: ReadonlyMap<string, Host>): LimitCounts {
  const counts: LimitCounts = new Map();
  for (const t of tasks) {
    const hostname = t.status?.host;
    if (!hostname || !isActive(t.status?.phase ?? 'Pending')) continue;
    const attributes = { ...(hosts.get(hostname)?.spec.attributes ?? {}), host: [hostname] };
    countPlacement(counts, demandOf(t).jobKey, attributes);
  }
  return counts;
}

export function planPlacement(input: PlacementInput): PlacementPlan {
  const modes = new Map<string, HostMode>();
  for (const [name, h] of input.hosts) modes.set(name, h.status?.mode ?? 'None');
  const hostOffers = hostsFromOffers(input.offers, input.role, modes);
  const round = planRound({
    tasks: input.pending.map(demandOf),
    hosts: hostOffers,
    counts: limitCounts(input.jobTasks, input.hosts),
    policy: input.policy,
    nowMs: input.nowMs,
  });
  const byName = new Map(input.pending.map((t) => [t.metadata.name ?? '', t]));
  const offersByAgent = new Map<string, Offer[]>();
  for (const o of input.offers)
    offersByAgent.set(o.agent_id.value, [...(offersByAgent.get(o.agent_id.value) ?? []), o]);
  const launches = new Map<
    string,
    { offerIds: string[]; agentId: string; tasks: Launch['tasks'][number][] }
  >();
  for (const a of round.assignments) {
    const task = byName.get(a.task)!;
    const agentOffers = offersByAgent.get(a.agentId) ?? [];
    const allocation = agentOffers[0]?.resources?.find((r) => r.allocation_info)?.allocation_info;
    const launch = launches.get(a.agentId) ?? {
      offerIds: agentOffers.map((o) => o.id.value),
      agentId: a.agentId,
      tasks: [],
    };
    launch.tasks.push({ task, assignment: a, info: taskInfoFor(task, a, allocation) });
    launches.set(a.agentId, launch);
  }
  const used = new Set([...launches.values()].flatMap((l) => l.offerIds));
  return {
    launches: [...launches.values()],
    decline: input.offers.map((o) => o.id.value).filter((id) => !used.has(id)),
    unplaced: round.unplaced.map((u) => ({ task: byName.get(u.task)!, reason: u.reason })),
  };
}
