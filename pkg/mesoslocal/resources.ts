/**
 * Resource arithmetic for one agent's unreserved resources: scalars kept to Mesos's three
 * decimal places, port ranges as normalized range sets. Offers, tasks, filters and the
 * agent's free pool are all `Resources` values; wire conversion lives in resources-wire.ts.
 */
import { addRanges, containsRanges, normalizeRanges, type Range, subtractRanges } from './ranges.js';

export interface Resources {
  readonly cpus: number;
  readonly mem: number;
  readonly disk: number;
  readonly gpus: number;
  /** Revocable cpus (offered only to frameworks with REVOCABLE_RESOURCES). */
  readonly revocableCpus: number;
  readonly ports: readonly Range[];
}

export const SCALAR_NAMES = ['cpus', 'mem', 'disk', 'gpus', 'revocableCpus'] as const;
type ScalarName = (typeof SCALAR_NAMES)[number];

/** Mesos stores scalars as fixed point with three decimals; so do we, to avoid drift. */
export function roundScalar(value: number): number {
  return Math.round(value * 1000) / 1000;
}

export const EMPTY_RESOURCES: Resources = { cpus: 0, mem: 0, disk: 0, gpus: 0, revocableCpus: 0, ports: [] };

export function makeResources(partial: Partial<Resources>): Resources {
  return {
    cpus: roundScalar(partial.cpus ?? 0),
    mem: roundScalar(partial.mem ?? 0),
    disk: roundScalar(partial.disk ?? 0),
    gpus: roundScalar(partial.gpus ?? 0),
    revocableCpus: roundScalar(partial.revocableCpus ?? 0),
    ports: normalizeRanges(partial.ports ?? []),
  };
}

function combine(a: Resources, b: Resources, sign: 1 | -1): Resources {
  const scalar = (name: ScalarName): number => roundScalar(a[name] + sign * b[name]);
  return {
    cpus: scalar('cpus'),
    mem: scalar('mem'),
    disk: scalar('disk'),
    gpus: scalar('gpus'),
    revocableCpus: scalar('revocableCpus'),
    ports: sign === 1 ? addRanges(a.ports, b.ports) : subtractRanges(a.ports, b.ports),
  };
}

export function addResources(a: Resources, b: Resources): Resources {
  return combine(a, b, 1);
}

/** `a - b`; callers check `containsResources(a, b)` first. */
export function subtractResources(a: Resources, b: Resources): Resources {
  return combine(a, b, -1);
}

export function containsResources(outer: Resources, inner: Resources): boolean {
  for (const name of SCALAR_NAMES) {
    if (inner[name] > outer[name] + 1e-9) return false;
  }
  return containsRanges(outer.ports, inner.ports);
}

export function isEmptyResources(r: Resources): boolean {
  return SCALAR_NAMES.every((name) => r[name] <= 0) && r.ports.length === 0;
}

/**
 * Mesos's allocator does not offer crumbs: an agent is offered only when its free resources hold
 * at least 0.01 cpus or 32 MB of memory (or disk).
 */
export function isAllocatable(r: Resources): boolean {
  return r.cpus >= 0.01 || r.mem >= 32 || r.disk >= 32 || r.revocableCpus >= 0.01;
}

/** Drop what a framework may not receive: revocable cpus without REVOCABLE_RESOURCES. */
export function withoutRevocable(r: Resources): Resources {
  return { ...r, revocableCpus: 0 };
}
