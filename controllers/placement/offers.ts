/**
 * Mesos offers → the hosts a placement round works on. Offers from one agent are merged into one
 * host (Mesos may send several); only resources usable by our role count (unreserved "*" or
 * reserved for the role); revocable cpus are kept apart for the revocable tier. Text, scalar and
 * set attributes become string values; `host` is always the agent's hostname.
 */
import type { HostMode } from '../../api/v1/host.js';
import type { Attribute, Offer, Resource } from '../../pkg/mesos/types.js';
import type { HostOffer, PortRange } from '../../pkg/scheduling/types.js';

function usable(r: Resource, role: string): boolean {
  const reservedFor =
    r.reservations?.[r.reservations.length - 1]?.role ?? (r.role && r.role !== '*' ? r.role : undefined);
  return reservedFor === undefined || reservedFor === role;
}

function attributeValues(a: Attribute): string[] {
  if (a.text) return [a.text.value];
  if (a.scalar) return [String(a.scalar.value)];
  if (a.set) return [...a.set.item];
  if (a.ranges) return a.ranges.range.map((r) => `${r.begin}-${r.end}`);
  return [];
}

/** Unavailability start in ms since epoch (Mesos TimeInfo is nanoseconds, possibly a string). */
export function unavailabilityStartMs(offer: Offer): number | undefined {
  const ns = offer.unavailability?.start.nanoseconds;
  if (ns === undefined) return undefined;
  return Number(BigInt(ns) / 1_000_000n);
}

export function hostsFromOffers(
  offers: readonly Offer[],
  role: string,
  modes: ReadonlyMap<string, HostMode>,
): HostOffer[] {
  const byAgent = new Map<string, { offers: Offer[] }>();
  for (const o of offers) {
    const entry = byAgent.get(o.agent_id.value) ?? { offers: [] };
    entry.offers.push(o);
    byAgent.set(o.agent_id.value, entry);
  }
  const hosts: HostOffer[] = [];
  for (const [agentId, { offers: list }] of byAgent) {
    const first = list[0]!;
    let cpus = 0;
    let revocableCpus = 0;
    let ramMb = 0;
    let diskMb = 0;
    let gpus = 0;
    const ports: PortRange[] = [];
    for (const o of list) {
      for (const r of o.resources ?? []) {
        if (!usable(r, role)) continue;
        const v = r.scalar?.value ?? 0;
        if (r.name === 'cpus') {
          if (r.revocable) revocableCpus += v;
          else cpus += v;
        } else if (r.name === 'mem') ramMb += v;
        else if (r.name === 'disk') diskMb += v;
        else if (r.name === 'gpus') gpus += v;
        else if (r.name === 'ports')
          for (const range of r.ranges?.range ?? []) ports.push({ begin: range.begin, end: range.end });
      }
    }
    const attributes: Record<string, string[]> = { host: [first.hostname] };
    for (const a of first.attributes ?? []) attributes[a.name] = attributeValues(a);
    const unavailableFromMs = unavailabilityStartMs(first);
    hosts.push({
      hostname: first.hostname,
      agentId,
      offerIds: list.map((o) => o.id.value),
      attributes,
      free: { cpus, revocableCpus, ramMb, diskMb, gpus, ports },
      mode: modes.get(first.hostname) ?? 'None',
      ...(unavailableFromMs === undefined ? {} : { unavailableFromMs }),
    });
  }
  return hosts;
}
