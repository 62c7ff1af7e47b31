/**
 * planRound evaluates each host once per run of identical demands and then only the host a task
 * went to. This checks it against the plain algorithm (every task against every host, as it was
 * written first) on random rounds: the same assignments, ports and unplaced reasons.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planRound, type RoundInput, type RoundResult } from '../../../pkg/scheduling/assign.js';
import { countPlacement, type LimitCounts } from '../../../pkg/scheduling/constraints.js';
import { subtract, takePorts } from '../../../pkg/scheduling/resources.js';
import { compareScores, scoreHost } from '../../../pkg/scheduling/scoring.js';
import type { HostOffer, TaskDemand, Veto } from '../../../pkg/scheduling/types.js';
import { summarizeVetoes, vetoesFor } from '../../../pkg/scheduling/vetoes.js';
import { host, task } from './fixtures.js';

const TIER_ORDER = { preferred: 0, preemptible: 1, revocable: 2 } as const;

/** The first implementation: O(tasks x hosts) evaluations. */
function referencePlan(input: RoundInput): Omit<RoundResult, 'usedHosts'> {
  const hosts = input.hosts.map((h) => ({ ...h }));
  const counts: LimitCounts = new Map();
  for (const [job, byAttr] of input.counts) {
    const a = new Map<string, Map<string, number>>();
    for (const [attr, byValue] of byAttr) a.set(attr, new Map(byValue));
    counts.set(job, a);
  }
  const order = [...input.tasks].sort(
    (a, b) =>
      TIER_ORDER[a.tier] - TIER_ORDER[b.tier] || b.priority - a.priority || (a.name < b.name ? -1 : 1),
  );
  const assignments: RoundResult['assignments'][number][] = [];
  const unplaced: RoundResult['unplaced'][number][] = [];
  for (const t of order) {
    const vetoesByHost = new Map<string, Veto[]>();
    let best: { index: number; score: readonly number[] } | undefined;
    for (const [index, h] of hosts.entries()) {
      const vetoes = vetoesFor(t, h, counts, input.nowMs);
      if (vetoes.length > 0) {
        vetoesByHost.set(h.hostname, vetoes);
        continue;
      }
      const score = scoreHost(input.policy, t, h);
      if (!best || compareScores(score, best.score) < 0) best = { index, score };
    }
    if (!best) {
      const reason = hosts.length === 0 ? 'No offers' : summarizeVetoes([...vetoesByHost.values()]);
      unplaced.push({ task: t.name, reason, vetoes: vetoesByHost });
      continue;
    }
    const h = hosts[best.index]!;
    const { assigned, left } = takePorts(t.ports, h.free.ports);
    hosts[best.index] = { ...h, free: subtract(h.free, t, left) };
    countPlacement(counts, t.jobKey, h.attributes);
    assignments.push({ task: t.name, hostname: h.hostname, agentId: h.agentId, ports: assigned });
  }
  return { assignments, unplaced };
}

const hostArb = fc.record({
  cpus: fc.integer({ min: 0, max: 6 }),
  ramMb: fc.integer({ min: 0, max: 4096 }),
  ports: fc.integer({ min: 0, max: 3 }),
  rack: fc.constantFrom('r1', 'r2'),
  mode: fc.constantFrom('None', 'None', 'Scheduled', 'Draining') as fc.Arbitrary<HostOffer['mode']>,
});

const taskArb = fc.record({
  cpus: fc.constantFrom(0.5, 1, 2),
  ramMb: fc.constantFrom(64, 512, 2048),
  ports: fc.integer({ min: 0, max: 2 }),
  job: fc.constantFrom('a', 'b', 'c'),
  priority: fc.constantFrom(0, 0, 1),
});

describe('planRound against the reference algorithm', () => {
  it('makes the same plan, with and without limit and value constraints', () => {
    fc.assert(
      fc.property(
        fc.array(hostArb, { maxLength: 8 }),
        fc.array(taskArb, { maxLength: 30 }),
        fc.constantFrom('none', 'limit', 'value'),
        fc.constantFrom('pack', 'spread') as fc.Arbitrary<'pack' | 'spread'>,
        (hs, ts, constraint, policy) => {
          const hosts: HostOffer[] = hs.map((h, i) => ({
            ...host(`h${i}`),
            mode: h.mode,
            attributes: { host: [`h${i}`], rack: [h.rack] },
            offerIds: [`o${i}`],
            agentId: `ag${i}`,
            free: {
              cpus: h.cpus,
              revocableCpus: 0,
              ramMb: h.ramMb,
              diskMb: 10_000,
              gpus: 0,
              ports: h.ports === 0 ? [] : [{ begin: 31000, end: 31000 + h.ports - 1 }],
            },
          }));
          const constraintsOf = (job: string): TaskDemand['constraints'] => {
            if (constraint === 'limit' && job === 'a') return [{ attribute: 'rack', limit: 2 }];
            if (constraint === 'value' && job !== 'c') return [{ attribute: 'rack', values: ['r1'] }];
            return [];
          };
          // A job's instances share one demand (as Tasks of one Job do), but for the name.
          const tasks: TaskDemand[] = ts.map((t, i) =>
            task(`t${String(i).padStart(2, '0')}`, {
              jobKey: `ns/prod/${t.job}`,
              cpus: t.job === 'a' ? 1 : t.cpus,
              ramMb: t.job === 'a' ? 512 : t.ramMb,
              ports: t.job === 'a' ? ['http'] : Array.from({ length: t.ports }, (_, p) => `p${p}`),
              priority: t.job === 'a' ? 0 : t.priority,
              constraints: constraintsOf(t.job),
            }),
          );
          const input: RoundInput = { tasks, hosts, counts: new Map(), policy, nowMs: 0 };
          const got = planRound(input);
          const want = referencePlan(input);
          expect(got.assignments).toEqual(want.assignments);
          expect(got.unplaced.map((u) => [u.task, u.reason])).toEqual(
            want.unplaced.map((u) => [u.task, u.reason]),
          );
          expect(got.unplaced.map((u) => [...u.vetoes])).toEqual(want.unplaced.map((u) => [...u.vetoes]));
        },
      ),
      { numRuns: 400 },
    );
  });
});
