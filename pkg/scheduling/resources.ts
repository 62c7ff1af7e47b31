/** Resource arithmetic: does a demand fit what a host has free, and what is left after it. */
import type { HostResources, PortRange, TaskDemand, Veto } from './types.js';

/** Mesos scalar values are fixed-point with three decimals; compare with that tolerance. */
const EPSILON = 0.0005;

export function portCount(ranges: readonly PortRange[]): number {
  let n = 0;
  for (const r of ranges) n += r.end - r.begin + 1;
  return n;
}

/** The resource vetoes of a demand on a host (empty: it fits). Revocable-tier tasks use revocable cpus only. */
export function resourceVetoes(demand: TaskDemand, free: HostResources): Veto[] {
  const vetoes: Veto[] = [];
  const cpus = demand.tier === 'revocable' ? free.revocableCpus : free.cpus;
  if (demand.cpus > cpus + EPSILON) {
    vetoes.push({
      kind: 'resource',
      reason: demand.tier === 'revocable' ? 'Insufficient revocable cpus' : 'Insufficient cpus',
    });
  }
  if (demand.ramMb > free.ramMb + EPSILON) vetoes.push({ kind: 'resource', reason: 'Insufficient ram' });
  if (demand.diskMb > free.diskMb + EPSILON) vetoes.push({ kind: 'resource', reason: 'Insufficient disk' });
  if (demand.gpus > free.gpus + EPSILON) vetoes.push({ kind: 'resource', reason: 'Insufficient gpus' });
  if (demand.ports.length > portCount(free.ports))
    vetoes.push({ kind: 'resource', reason: 'Insufficient ports' });
  return vetoes;
}

/** Take the lowest free ports, one per name, and return them with the ranges left over. */
export function takePorts(
  names: readonly string[],
  ranges: readonly PortRange[],
): { assigned: Record<string, number>; left: PortRange[] } {
  const assigned: Record<string, number> = {};
  const left: { begin: number; end: number }[] = ranges
    .map((r) => ({ ...r }))
    .sort((a, b) => a.begin - b.begin);
  for (const name of names) {
    const range = left.find((r) => r.begin <= r.end);
    if (!range) throw new Error(`no free port left for "${name}" (callers check resourceVetoes first)`);
    assigned[name] = range.begin;
    range.begin += 1;
  }
  return { assigned, left: left.filter((r) => r.begin <= r.end) };
}

/** What remains on a host after placing a demand (ports are taken by takePorts). */
export function subtract(
  free: HostResources,
  demand: TaskDemand,
  portsLeft: readonly PortRange[],
): HostResources {
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  return {
    cpus: demand.tier === 'revocable' ? free.cpus : round(free.cpus - demand.cpus),
    revocableCpus: demand.tier === 'revocable' ? round(free.revocableCpus - demand.cpus) : free.revocableCpus,
    ramMb: round(free.ramMb - demand.ramMb),
    diskMb: round(free.diskMb - demand.diskMb),
    gpus: round(free.gpus - demand.gpus),
    ports: portsLeft,
  };
}
