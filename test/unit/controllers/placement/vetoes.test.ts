import { describe, expect, it } from 'vitest';
import type { Task } from '../../../../api/v1/task.js';
import { VETO_GRACE_MS, VETO_REFRESH_MS, vetoesToRecord } from '../../../../controllers/placement/vetoes.js';
import { task } from '../jobs/fixtures.js';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const iso = (msAgo: number) => new Date(NOW - msAgo).toISOString();

function waiting(pendingFor: number, vetoes?: { reason: string; observedAgo: number }): Task {
  const t = task(0, 'Pending');
  return {
    ...t,
    status: {
      ...t.status,
      phase: 'Pending',
      lastTransitionTime: iso(pendingFor),
      ...(vetoes ? { vetoes: [{ reason: vetoes.reason }], vetoesObservedAt: iso(vetoes.observedAgo) } : {}),
    },
  };
}

describe('which vetoes placement writes', () => {
  it('not for a task that became Pending a moment ago: it was not refused, just not reached yet', () => {
    const fresh = { task: waiting(VETO_GRACE_MS - 1), reason: 'Insufficient cpus on 3 hosts' };
    expect(vetoesToRecord([fresh], NOW, true)).toEqual([]);
  });

  it('for a task that keeps waiting and has no reason recorded', () => {
    const stuck = { task: waiting(VETO_GRACE_MS + 1), reason: 'Insufficient cpus on 3 hosts' };
    expect(vetoesToRecord([stuck], NOW, true)).toEqual([stuck]);
    // Every offer of the round went to other tasks: it is queued behind them, not refused.
    expect(vetoesToRecord([stuck], NOW, false)).toEqual([]);
  });

  it('not again for the same reason, and a changed reason at most every refresh period', () => {
    const same = {
      task: waiting(60_000, { reason: 'Insufficient cpus on 3 hosts', observedAgo: 60_000 }),
      reason: 'Insufficient cpus on 3 hosts',
    };
    const changedRecently = {
      task: waiting(60_000, { reason: 'Insufficient cpus on 3 hosts', observedAgo: VETO_REFRESH_MS - 1 }),
      reason: 'Insufficient cpus on 2 hosts',
    };
    const changedLongAgo = {
      task: waiting(60_000, { reason: 'Insufficient cpus on 3 hosts', observedAgo: VETO_REFRESH_MS }),
      reason: 'Insufficient cpus on 2 hosts',
    };
    expect(vetoesToRecord([same, changedRecently, changedLongAgo], NOW, true)).toEqual([changedLongAgo]);
  });

  it('corrects an early reason within seconds, a reason recorded after long waiting only every refresh period', () => {
    // Recorded 4 s into the wait, from the one offer in hand; now three hosts have offered.
    const early = (observedAgo: number) => ({
      task: waiting(4_000 + observedAgo, { reason: 'Insufficient cpus on 1 host', observedAgo }),
      reason: 'Insufficient cpus on 3 hosts',
    });
    expect(vetoesToRecord([early(3_999)], NOW, true)).toEqual([]);
    expect(vetoesToRecord([early(4_000)], NOW, true)).toHaveLength(1);
    // Recorded 20 s into the wait: it stands 20 s; 40 s into the wait: it stands the refresh period.
    const later = (waitedBefore: number, observedAgo: number) => ({
      task: waiting(waitedBefore + observedAgo, { reason: 'Insufficient cpus on 2 hosts', observedAgo }),
      reason: 'Insufficient cpus on 3 hosts',
    });
    expect(vetoesToRecord([later(20_000, 19_999)], NOW, true)).toEqual([]);
    expect(vetoesToRecord([later(20_000, 20_000)], NOW, true)).toHaveLength(1);
    expect(vetoesToRecord([later(40_000, VETO_REFRESH_MS - 1)], NOW, true)).toEqual([]);
    expect(vetoesToRecord([later(40_000, VETO_REFRESH_MS)], NOW, true)).toHaveLength(1);
  });
});
