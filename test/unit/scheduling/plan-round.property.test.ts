/**
 * Properties of any placement round: no host is overcommitted, no host port is handed out twice,
 * limit constraints hold counting earlier placements, and every task is either placed once or
 * reported unplaced with a reason.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planRound } from '../../../pkg/scheduling/assign.js';
import type { HostOffer, TaskDemand } from '../../../pkg/scheduling/types.js';
import { host, task } from './fixtures.js';

const hostArb = fc
  .record({
    cpus: fc.integer({ min: 0, max: 8 }),
    ramMb: fc.integer({ min: 0, max: 4096 }),
    ports: fc.integer({ min: 0, max: 4 }),
    rack: fc.constantFrom('r1', 'r2'),
  })
  .map((h): Omit<HostOffer, 'hostname' | 'agentId' | 'offerIds'> & { rack: string } => ({
    ...host('x'),
    rack: h.rack,
    free: {
      cpus: h.cpus,
      revocableCpus: 0,
      ramMb: h.ramMb,
      diskMb: 10_000,
      gpus: 0,
      ports: h.ports === 0 ? [] : [{ begin: 31000, end: 31000 + h.ports - 1 }],
    },
  }));

const taskArb = fc.record({
  cpus: fc.constantFrom(0.5, 1, 2, 3),
  ramMb: fc.constantFrom(64, 512, 2048),
  ports: fc.integer({ min: 0, max: 2 }),
  job: fc.constantFrom('a', 'b'),
  limit: fc.option(
    fc.record({ attribute: fc.constantFrom('host', 'rack'), limit: fc.integer({ min: 1, max: 2 }) }),
    { nil: undefined },
  ),
});

describe('planRound properties', () => {
  it('never overcommits, never reuses a port, keeps limits, accounts for every task', () => {
    fc.assert(
      fc.property(fc.array(hostArb, { maxLength: 6 }), fc.array(taskArb, { maxLength: 20 }), (hs, ts) => {
        const hosts: HostOffer[] = hs.map((h, i) => ({
          ...h,
          hostname: `h${i}`,
          agentId: `ag${i}`,
          offerIds: [`o${i}`],
          attributes: { host: [`h${i}`], rack: [h.rack] },
        }));
        // Limits are per job: every task of a job shares its job's constraint.
        const limitOf = new Map<string, TaskDemand['constraints']>();
        const tasks: TaskDemand[] = ts.map((t, i) => {
          if (!limitOf.has(t.job)) limitOf.set(t.job, t.limit ? [t.limit] : []);
          return task(`t${i}`, {
            cpus: t.cpus,
            ramMb: t.ramMb,
            ports: Array.from({ length: t.ports }, (_, p) => `p${p}`),
            jobKey: t.job,
            constraints: limitOf.get(t.job)!,
          });
        });
        const r = planRound({ tasks, hosts, counts: new Map(), policy: 'pack', nowMs: 0 });
        expect(r.assignments.length + r.unplaced.length).toBe(tasks.length);
        expect(new Set(r.assignments.map((a) => a.task)).size).toBe(r.assignments.length);
        for (const u of r.unplaced) expect(u.reason.length).toBeGreaterThan(0);
        const byName = new Map(tasks.map((t) => [t.name, t]));
        for (const h of hosts) {
          const mine = r.assignments.filter((a) => a.hostname === h.hostname);
          const cpus = mine.reduce((s, a) => s + byName.get(a.task)!.cpus, 0);
          const ram = mine.reduce((s, a) => s + byName.get(a.task)!.ramMb, 0);
          expect(cpus).toBeLessThanOrEqual(h.free.cpus + 1e-9);
          expect(ram).toBeLessThanOrEqual(h.free.ramMb);
          const ports = mine.flatMap((a) => Object.values(a.ports));
          expect(new Set(ports).size).toBe(ports.length);
          for (const p of ports) expect(h.free.ports.some((rg) => rg.begin <= p && p <= rg.end)).toBe(true);
        }
        for (const [job, constraints] of limitOf) {
          for (const c of constraints) {
            const perValue = new Map<string, number>();
            for (const a of r.assignments) {
              if (byName.get(a.task)!.jobKey !== job) continue;
              const h = hosts.find((x) => x.hostname === a.hostname)!;
              for (const v of h.attributes[c.attribute] ?? []) perValue.set(v, (perValue.get(v) ?? 0) + 1);
            }
            for (const n of perValue.values()) expect(n).toBeLessThanOrEqual(c.limit!);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
