/**
 * Conversion between `Resources` and Mesos's JSON `Resource[]`. Agents here hold only
 * unreserved ("*") resources; a task or offer naming anything else is answered as Mesos would
 * answer a request for resources the offer does not hold.
 */
import type { Resource } from '../mesos/types.js';
import { normalizeRanges } from './ranges.js';
import { makeResources, type Resources, roundScalar } from './resources.js';

export interface WireResourceOptions {
  /** Set `allocation_info.role` on every resource (only for MULTI_ROLE frameworks, as Mesos does). */
  readonly allocationRole?: string;
}

function scalar(name: string, value: number, opts: WireResourceOptions, revocable = false): Resource {
  const r: Resource = { name, type: 'SCALAR', scalar: { value: roundScalar(value) }, role: '*' };
  if (opts.allocationRole !== undefined) r.allocation_info = { role: opts.allocationRole };
  if (revocable) r.revocable = {};
  return r;
}

export function resourcesToWire(res: Resources, opts: WireResourceOptions = {}): Resource[] {
  const out: Resource[] = [];
  if (res.cpus > 0) out.push(scalar('cpus', res.cpus, opts));
  if (res.mem > 0) out.push(scalar('mem', res.mem, opts));
  if (res.disk > 0) out.push(scalar('disk', res.disk, opts));
  if (res.gpus > 0) out.push(scalar('gpus', res.gpus, opts));
  if (res.ports.length > 0) {
    const ports: Resource = {
      name: 'ports',
      type: 'RANGES',
      ranges: { range: res.ports.map((r) => ({ begin: r.begin, end: r.end })) },
      role: '*',
    };
    if (opts.allocationRole !== undefined) ports.allocation_info = { role: opts.allocationRole };
    out.push(ports);
  }
  if (res.revocableCpus > 0) out.push(scalar('cpus', res.revocableCpus, opts, true));
  return out;
}

export interface ParsedResources {
  readonly resources: Resources;
  /** Resources this master never has (reserved roles, unknown names, sets): why they cannot fit. */
  readonly unsatisfiable: readonly string[];
}

/** Read a task's or operator's `Resource[]`. */
export function resourcesFromWire(list: readonly Resource[] | undefined): ParsedResources {
  const acc = { cpus: 0, mem: 0, disk: 0, gpus: 0, revocableCpus: 0 };
  const ports: { begin: number; end: number }[] = [];
  const unsatisfiable: string[] = [];
  for (const r of list ?? []) {
    const reservedRole = r.role !== undefined && r.role !== '*';
    if (reservedRole || (r.reservations?.length ?? 0) > 0) {
      unsatisfiable.push(`${r.name} reserved for role '${r.role ?? r.reservations?.[0]?.role ?? ''}'`);
      continue;
    }
    if (r.type === 'SCALAR') {
      const value = r.scalar?.value ?? 0;
      if (r.name === 'cpus' && r.revocable !== undefined) acc.revocableCpus += value;
      else if (r.name === 'cpus' || r.name === 'mem' || r.name === 'disk' || r.name === 'gpus')
        acc[r.name] += value;
      else unsatisfiable.push(`${r.name}:${value}`);
    } else if (r.type === 'RANGES' && r.name === 'ports') {
      for (const range of r.ranges?.range ?? []) ports.push({ begin: range.begin, end: range.end });
    } else {
      unsatisfiable.push(r.name);
    }
  }
  return { resources: makeResources({ ...acc, ports: normalizeRanges(ports) }), unsatisfiable };
}

/** The flat map /master/state prints: {"cpus": 4, "mem": 8192, "ports": "[31000-32000]"}. */
export function resourcesToStateJson(res: Resources): Record<string, number | string> {
  const out: Record<string, number | string> = {
    cpus: res.cpus,
    mem: res.mem,
    disk: res.disk,
    gpus: res.gpus,
  };
  if (res.ports.length > 0) out['ports'] = `[${res.ports.map((r) => `${r.begin}-${r.end}`).join(', ')}]`;
  return out;
}
