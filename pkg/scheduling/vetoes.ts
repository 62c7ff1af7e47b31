/**
 * Every reason a task cannot go on a host, in Aurora's veto order: dedicated host, host in
 * maintenance, unavailability soon, value constraints, limit constraints, resources. A static veto
 * (anything but resources) means the host can never take the task as things stand; resource vetoes
 * may clear when other tasks end.
 */
import { dedicatedVeto, type LimitCounts, limitVeto, valueVeto } from './constraints.js';
import { resourceVetoes } from './resources.js';
import type { HostOffer, TaskDemand, Veto } from './types.js';

/** Aurora refuses hosts whose unavailability starts within this window. */
export const UNAVAILABILITY_THRESHOLD_MS = 6 * 60 * 1000;

export function vetoesFor(demand: TaskDemand, host: HostOffer, counts: LimitCounts, nowMs: number): Veto[] {
  const vetoes: Veto[] = [];
  const dedicated = dedicatedVeto(demand, host);
  if (dedicated) vetoes.push(dedicated);
  if (host.mode === 'Draining' || host.mode === 'Drained') {
    vetoes.push({ kind: 'maintenance', reason: `Host ${host.mode.toLowerCase()}` });
  }
  if (host.unavailableFromMs !== undefined && host.unavailableFromMs - nowMs < UNAVAILABILITY_THRESHOLD_MS) {
    vetoes.push({ kind: 'unavailable', reason: 'Host unavailable soon' });
  }
  for (const c of demand.constraints) {
    if (c.attribute === 'dedicated') continue; // handled above, with Aurora's special rule
    const v = valueVeto(c, host) ?? limitVeto(c, demand, host, counts);
    if (v) vetoes.push(v);
  }
  vetoes.push(...resourceVetoes(demand, host.free));
  return vetoes;
}

/**
 * One line for a pending task's status: each distinct reason with the number of hosts it applied
 * to, most common first, e.g. "Insufficient cpus on 3 hosts; limit host:1 on 2 hosts".
 */
export function summarizeVetoes(perHost: readonly (readonly Veto[])[]): string {
  const counts = new Map<string, number>();
  for (const vetoes of perHost) {
    for (const reason of new Set(vetoes.map((v) => v.reason)))
      counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([reason, n]) => `${reason} on ${n} host${n === 1 ? '' : 's'}`)
    .join('; ');
}
