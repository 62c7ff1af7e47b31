/**
 * Constraint checks with Aurora's rules: dedicated hosts, value constraints (attribute in a set,
 * optionally negated) and limit constraints (at most N instances of the job per attribute value,
 * counting tasks placed earlier in the same round).
 */
import type { Constraint } from '../../api/v1/task-template.js';
import type { HostOffer, TaskDemand, Veto } from './types.js';

export const DEDICATED = 'dedicated';

/** Task counts per job, per attribute, per value: jobKey → attribute → value → count. */
export type LimitCounts = Map<string, Map<string, Map<string, number>>>;

/**
 * A host carrying `dedicated` takes only tasks with a matching dedicated value constraint; the
 * value is `<role>/<name>` or `*\/<name>` (any role).
 */
export function dedicatedVeto(demand: TaskDemand, host: HostOffer): Veto | undefined {
  const hostValues = host.attributes[DEDICATED];
  if (!hostValues || hostValues.length === 0) return undefined;
  const wanted = demand.constraints.find((c) => c.attribute === DEDICATED && c.values && !c.negate);
  const ok = wanted?.values?.some(
    (v) => hostValues.includes(v) && (v.startsWith(`${demand.role}/`) || v.startsWith('*/')),
  );
  return ok ? undefined : { kind: 'dedicated', reason: 'Host is dedicated' };
}

export function valueVeto(c: Constraint, host: HostOffer): Veto | undefined {
  if (!c.values) return undefined;
  const hostValues = host.attributes[c.attribute] ?? [];
  const matches = hostValues.some((v) => c.values!.includes(v));
  if (matches !== Boolean(c.negate)) return undefined;
  const op = c.negate ? 'not in' : 'in';
  return { kind: 'constraint', reason: `constraint ${c.attribute} ${op} [${c.values.join(',')}]` };
}

export function limitVeto(
  c: Constraint,
  demand: TaskDemand,
  host: HostOffer,
  counts: LimitCounts,
): Veto | undefined {
  if (c.limit === undefined) return undefined;
  const hostValues = host.attributes[c.attribute];
  // A host without the attribute cannot be counted against the limit, so it cannot satisfy it.
  if (!hostValues || hostValues.length === 0)
    return { kind: 'limit', reason: `limit ${c.attribute}:${c.limit}` };
  const byValue = counts.get(demand.jobKey)?.get(c.attribute);
  const used = Math.max(0, ...hostValues.map((v) => byValue?.get(v) ?? 0));
  return used >= c.limit ? { kind: 'limit', reason: `limit ${c.attribute}:${c.limit}` } : undefined;
}

/** Record that a task of `jobKey` runs on a host with these attributes (for limit checks). */
export function countPlacement(
  counts: LimitCounts,
  jobKey: string,
  attributes: Readonly<Record<string, readonly string[]>>,
): void {
  let byAttribute = counts.get(jobKey);
  if (!byAttribute) {
    byAttribute = new Map();
    counts.set(jobKey, byAttribute);
  }
  for (const [attribute, values] of Object.entries(attributes)) {
    let byValue = byAttribute.get(attribute);
    if (!byValue) {
      byValue = new Map();
      byAttribute.set(attribute, byValue);
    }
    for (const v of values) byValue.set(v, (byValue.get(v) ?? 0) + 1);
  }
}
