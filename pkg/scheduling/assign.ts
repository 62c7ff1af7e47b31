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
  const evaluate = (task: TaskDemand, host: HostOffer): HostEval => {
    const vetoes = vetoesFor(task, host, counts, input.nowMs);
    return vetoes.length > 0 ? { vetoes } : { vetoes, score: scoreHost(input.policy, task, host) };
  };
  // Tasks sort by job, so runs of identical demands (a job's instances) are the rule. Within a
  // run, a host's vetoes and score change only when a task is placed on it, so only that host is
  // evaluated again: O(hosts) evaluations per run instead of per task. Limit constraints depend
  // on counts that every placement changes, so such tasks are evaluated in full, as before.
  let run: { shape: string; evals: HostEval[]; unplaced?: Omit<Unplaced, 'task'> | undefined } | undefined;
  let changed: number | undefined;
  for (const task of order) {
    const shape = shapeOf(task);
    let evals: HostEval[];
    if (run === undefined || shape === undefined || run.shape !== shape) {
      evals = hosts.map((h) => evaluate(task, h));
      run = shape === undefined ? undefined : { shape, evals };
    } else {
      evals = run.evals;
      if (changed !== undefined) {
        evals[changed] = evaluate(task, hosts[changed]!);
        run.unplaced = undefined;
      } else if (run.unplaced) {
        // Nothing changed since the same demand fitted nowhere: the same answer.
        unplaced.push({ task: task.name, ...run.unplaced });
        continue;
      }
    }
    changed = undefined;
    if (!placeOne(task, evals) && run) {
      const { reason, vetoes } = unplaced[unplaced.length - 1]!;
      run.unplaced = { reason, vetoes };
    }
  }
  return { assignments, unplaced, usedHosts };

  /** Place `task` on the best host by `evals`, or record why it fits nowhere (false). */
  function placeOne(task: TaskDemand, evals: readonly HostEval[]): boolean {
    let best: { index: number; score: readonly number[] } | undefined;
    for (let index = 0; index < evals.length; index++) {
      const score = evals[index]!.score;
      if (score === undefined) continue;
      if (!best || compareScores(score, best.score) < 0) best = { index, score };
    }
    if (!best) {
      const vetoesByHost = new Map<string, Veto[]>();
      for (const [i, e] of evals.entries())
        if (e.score === undefined) vetoesByHost.set(hosts[i]!.hostname, e.vetoes);
      const reason = hosts.length === 0 ? 'No offers' : summarizeVetoes([...vetoesByHost.values()]);
      unplaced.push({ task: task.name, reason, vetoes: vetoesByHost });
      return false;
    }
    const host = hosts[best.index]!;
    const { assigned, left } = takePorts(task.ports, host.free.ports);
    hosts[best.index] = { ...host, free: subtract(host.free, task, left) };
    countPlacement(counts, task.jobKey, host.attributes);
    usedHosts.add(host.hostname);
    assignments.push({ task: task.name, hostname: host.hostname, agentId: host.agentId, ports: assigned });
    changed = best.index;
    return true;
  }
}

interface HostEval {
  readonly vetoes: Veto[];
  /** Set when the host has no veto. */
  readonly score?: readonly number[];
}

/** Everything about a demand but its name (undefined: it has a limit constraint, never shared). */
function shapeOf(task: TaskDemand): string | undefined {
  if (task.constraints.some((c) => c.limit !== undefined)) return undefined;
  const { name: _name, ...rest } = task;
  return JSON.stringify(rest);
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
