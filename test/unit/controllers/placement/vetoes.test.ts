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
});
