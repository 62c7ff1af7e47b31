/**
 * Scoring policies: among hosts a task fits on, which one to use. Named and configurable.
 * - pack: the host with the least room left after placing (fewer, fuller hosts; large tasks still
 *   find whole hosts free).
 * - spread: the host with the most room left (tasks of a job and load spread out).
 * Both put hosts in maintenance mode Scheduled after all others, and hosts whose unavailability
 * starts later before earlier ones, as Aurora orders offers.
 */
import type { HostOffer, TaskDemand } from './types.js';

export type ScoringPolicyName = 'pack' | 'spread';

export const SCORING_POLICIES: readonly ScoringPolicyName[] = ['pack', 'spread'];

/** Share of the host's free resources left after the task, 0..1 averaged over cpus, ram and disk. */
function headroom(demand: TaskDemand, host: HostOffer): number {
  const f = host.free;
  const cpus = demand.tier === 'revocable' ? f.revocableCpus : f.cpus;
  const share = (want: number, have: number): number => (have <= 0 ? 0 : Math.max(0, (have - want) / have));
  return (share(demand.cpus, cpus) + share(demand.ramMb, f.ramMb) + share(demand.diskMb, f.diskMb)) / 3;
}

/** Lower sorts first. Returns a tuple compared element by element. */
export function scoreHost(policy: ScoringPolicyName, demand: TaskDemand, host: HostOffer): readonly number[] {
  const maintenance = host.mode === 'Scheduled' ? 1 : 0;
  const unavailability = host.unavailableFromMs === undefined ? 0 : -host.unavailableFromMs;
  const room = headroom(demand, host);
  return [maintenance, unavailability, policy === 'pack' ? room : -room];
}

export function compareScores(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
