/**
 * Placement against the embedded master (one agent), through the real API server, when a call
 * never reaches the master. A lost ACCEPT must not cost the agent its offers: the master keeps an
 * offer outstanding until the framework answers it (no --offer_timeout), so an offer dropped by
 * the scheduler takes that agent out of the cluster for good. A lost REVIVE must not leave the
 * framework suppressed while placement believes it revived: nothing would be offered again.
 */
import { describe, expect, it } from 'vitest';
import { waitUntil } from '../mesos/helpers.js';
import { pendingTask, setUp } from './placement-support.js';

describe('placement when a call to the master is lost', () => {
  it('declines a failed launch’s offers, so the agent is offered again and the next task runs there', async () => {
    const { master, mesos, informers, tasks, agent, onAgent, start } = await setUp();
    // The first ACCEPT is lost on the way (as a connection reset would lose it); the rest go through.
    const launch = mesos.calls.launch.bind(mesos.calls);
    const lostOfferIds: string[] = [];
    let launches = 0;
    mesos.calls.launch = async (offerIds, ...rest) => {
      if (launches++ === 0) {
        lostOfferIds.push(...offerIds.map((id) => (typeof id === 'string' ? id : id.value)));
        throw new Error('socket hang up');
      }
      return launch(offerIds, ...rest);
    };
    start();
    await tasks.create(pendingTask('first'));
    await waitUntil(
      () => informers.tasks.list().some((t) => t.status?.phase === 'Lost'),
      10_000,
      'the first task marked Lost after its launch failed',
    );
    await tasks.create(pendingTask('second'));
    await waitUntil(() => onAgent().length > 0, 15_000, 'a task launched on the only agent');
    expect(onAgent()).toEqual([expect.stringMatching(/__second$/)]);
    const second = informers.tasks.list().find((t) => t.metadata.name === 'second');
    expect(second?.status).toMatchObject({ phase: 'Assigned', host: agent.hostname });
    expect(launches).toBe(2);
    // Nothing of the failed launch is left outstanding on the master.
    expect(lostOfferIds).toHaveLength(1);
    expect(lostOfferIds.filter((id) => master.state.offers.has(id))).toEqual([]);
  }, 30_000);

  it('sends a lost REVIVE again, so a task that becomes Pending while offers are suppressed is placed', async () => {
    const { master, mesos, tasks, onAgent, start } = await setUp();
    const revive = mesos.calls.revive.bind(mesos.calls);
    let revives = 0;
    mesos.calls.revive = async (...args) => {
      if (revives++ === 0) throw new Error('socket hang up');
      return revive(...args);
    };
    start();
    // Nothing pending: the held offers are declined and offers suppressed.
    const framework = [...master.state.frameworks.values()][0]!;
    await waitUntil(() => framework.suppressed, 10_000, 'offers suppressed while nothing is pending');
    await tasks.create(pendingTask('late'));
    await waitUntil(() => onAgent().length > 0, 15_000, 'the task launched on the only agent');
    expect(onAgent()).toEqual([expect.stringMatching(/__late$/)]);
    expect(revives).toBe(2);
  }, 30_000);
});
