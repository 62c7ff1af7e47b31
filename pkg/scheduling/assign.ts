/**
 * One placement round, pure: pending tasks (highest priority first, production before the rest)
 * are matched to the hosts that offered resources. A host can take many tasks; its free resources
 * shrink as it does, and limit constraints count the tasks placed earlier in the round. Tasks that
 * fit nowhere come back with a summary of why, host by host.
 */
import { countPlacement, type LimitCounts } from './constraints.js';
import { subtract, takePorts } from './resources.js';
import { compareScores, type ScoringPolicyName, scoreHost } from './scoring.js';
import type { HostOffer, TaskDemand, Veto } from './types.js';
import { summarizeVetoes, vetoesFor } from './vetoes.js';

export interface Assignment {
  readonly task: string;
  readonly hostname: string;
  readonly agentId: string;
  /** Named port → host port. */
  readonly ports: Readonly<Record<string, number>>;
}

export interface Unplaced {
  readonly task: string;
  /** e.g. "Insufficient cpus on 3 hosts; limit host:1 on 2 hosts"; "No offers" when no host offered. */
  readonly reason: string;
  /** Every veto on every host, for callers that want the detail. */
  readonly vetoes: ReadonlyMap<string, readonly Veto[]>;
}

export interface RoundInput {
  readonly tasks: readonly TaskDemand[];
  readonly hosts: readonly HostOffer[];
  /** Active tasks per job per attribute value before this round (from the task cache). */
  readonly counts: LimitCounts;
  readonly policy: ScoringPolicyName;
  readonly nowMs: number;
}

export interface RoundResult {
  readonly assignments: readonly Assignment[];
  readonly unplaced: readonly Unplaced[];
  /** Hosts (by hostname) that received at least one task; their offers are accepted. */
  readonly usedHosts: ReadonlySet<string>;
}

const TIER_ORDER: Record<TaskDemand['tier'], number> = { preferred: 0, preemptible: 1, revocable: 2 };

export function planRound(input: RoundInput): RoundResult {
  const hosts = input.hosts.map((h) => ({ ...h }));
  const counts = cloneCounts(input.counts);
  const order = [...input.tasks].sort(
    (a, b) =>
      TIER_ORDER[a.tier] - TIER_ORDER[b.tier] || b.priority - a.priority || (a.name < b.name ? -1 : 1),
  );
  const assignments: Assignment[] = [];
  const unplaced: Unplaced[] = [];
  const usedHosts = new Set<string>();
  for (const task of order) {
    const vetoesByHost = new Map<string, Veto[]>();
    let best: { index: number; score: readonly number[] } | undefined;
    for (const [index, host] of hosts.entries()) {
      const vetoes = vetoesFor(task, host, counts, input.nowMs);
      if (vetoes.length > 0) {
        vetoesByHost.set(host.hostname, vetoes);
        continue;
      }
      const score = scoreHost(input.policy, task, host);
      if (!best || compareScores(score, best.score) < 0) best = { index, score };
    }
    if (!best) {
      const reason = hosts.length === 0 ? 'No offers' : summarizeVetoes([...vetoesByHost.values()]);
      unplaced.push({ task: task.name, reason, vetoes: vetoesByHost });
      continue;
    }
    const host = hosts[best.index]!;
    const { assigned, left } = takePorts(task.ports, host.free.ports);
    hosts[best.index] = { ...host, free: subtract(host.free, task, left) };
    countPlacement(counts, task.jobKey, host.attributes);
    usedHosts.add(host.hostname);
    assignments.push({ task: task.name, hostname: host.hostname, agentId: host.agentId, ports: assigned });
  }
  return { assignments, unplaced, usedHosts };
}

function cloneCounts(counts: LimitCounts): LimitCounts {
  const copy: LimitCounts = new Map();
  for (const [job, byAttr] of counts) {
    const a = new Map<string, Map<string, number>>();
    for (const [attr, byValue] of byAttr) a.set(attr, new Map(byValue));
    copy.set(job, a);
  }
  return copy;
}
