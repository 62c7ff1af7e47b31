/**
 * Offers and suppression: with nothing to place, placement tells the master to stop offering at
 * once, even while it still holds offers (at 10,000 agents the pool was never empty, so offers
 * were never suppressed and every agent's offer cycled through the framework every few seconds);
 * a task that becomes Pending goes onto the held offers at once.
 */
import { describe, expect, it } from 'vitest';
import { waitUntil } from '../mesos/helpers.js';
import { pendingTask, setUp } from './placement-support.js';

describe('placement with nothing to place', () => {
  it('suppresses offers while still holding some, and places a new task on a held offer', async () => {
    const { master, tasks, onAgent, start } = await setUp(60_000);
    start();
    const framework = [...master.state.frameworks.values()][0]!;
    await waitUntil(() => framework.suppressed, 5_000, 'offers suppressed');
    // The agent's offer is still held (outstanding on the master), not declined.
    expect(framework.offers.size).toBe(1);
    await tasks.create(pendingTask('now'));
    await waitUntil(() => onAgent().length > 0, 5_000, 'the task launched');
    expect(onAgent()).toEqual([expect.stringMatching(/__now$/)]);
  }, 20_000);

  it('subscribed suppressed (as after a restart), gets no offer until a task is Pending, then places it', async () => {
    const { master, tasks, onAgent, start } = await setUp(60_000, true);
    start();
    const framework = [...master.state.frameworks.values()][0]!;
    await new Promise((r) => setTimeout(r, 1500)); // a sweep and many allocation rounds
    expect(framework.suppressed).toBe(true);
    expect(framework.offers.size).toBe(0);
    await tasks.create(pendingTask('first'));
    await waitUntil(() => onAgent().length > 0, 5_000, 'the task launched');
    expect(onAgent()).toEqual([expect.stringMatching(/__first$/)]);
  }, 20_000);
});
