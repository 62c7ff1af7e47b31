/**
 * Reconciliation per the reference's table, for PARTITION_AWARE frameworks and others: known
 * tasks answer with the last state sent (which can lag the agent), unknown tasks by what the
 * master knows of their agent; implicit reconciliation covers every known task.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FrameworkInfo, TaskStatus } from '../../../pkg/mesos/types.js';
import { type MesosLocal, startMesosLocal } from '../../../pkg/mesoslocal/index.js';
import {
  FRAMEWORK,
  isType,
  isUpdate,
  launchCall,
  rawPost,
  type Subscription,
  sleep,
  subscribe,
  takeOffers,
  taskInfo,
  withCapabilities,
} from './raw-client.js';

let master: MesosLocal;
const subs: Subscription[] = [];

beforeEach(async () => {
  master = await startMesosLocal({
    agents: 3,
    allocationIntervalMs: 20,
    statusUpdateRetryMs: 100,
    agentPingTimeoutMs: 100,
    agentReregisterDelayMs: 1000,
  });
});
afterEach(async () => {
  for (const s of subs.splice(0)) s.close();
  await master.stop();
});

async function framework(info: FrameworkInfo, frameworkId?: string): Promise<Subscription> {
  const sub = await subscribe(master.url, info, frameworkId === undefined ? {} : { frameworkId });
  subs.push(sub);
  await sub.waitFor(isType('SUBSCRIBED'));
  return sub;
}

/** Send an explicit reconciliation and collect the answers that arrive within `ms`. */
/**
 * Send a RECONCILE and return the updates that follow, once `expected` reconciliation answers
 * are in (default one per listed task). With `expected` 0 it waits a fixed while and returns
 * whatever came, to show that nothing did.
 */
async function reconcile(
  sub: Subscription,
  tasks: { task_id: { value: string }; agent_id?: { value: string } }[],
  expected = tasks.length,
) {
  const mark = sub.events.length;
  expect((await sub.call('RECONCILE', { reconcile: { tasks } })).status).toBe(202);
  const answers = () =>
    sub.events.slice(mark).filter((e) => e.update?.status.reason === 'REASON_RECONCILIATION');
  if (expected === 0) await sleep(150);
  else await sub.waitFor(() => answers().length >= expected, 3000, mark);
  return sub.events
    .slice(mark)
    .filter((e) => e.type === 'UPDATE')
    .map((e) => e.update!.status);
}

const stateOf = (answers: TaskStatus[], id: string) => answers.find((s) => s.task_id.value === id)?.state;

const agentIds = () => master.state.agentIds();

describe.each([
  [
    'PARTITION_AWARE',
    withCapabilities('PARTITION_AWARE'),
    'TASK_GONE',
    'TASK_UNREACHABLE',
    'TASK_GONE_BY_OPERATOR',
    'TASK_UNKNOWN',
  ],
  ['not partition-aware', FRAMEWORK, 'TASK_LOST', 'TASK_LOST', 'TASK_LOST', 'TASK_LOST'],
] as const)('explicit reconciliation, %s', (_name, info, registered, unreachable, gone, unknown) => {
  it('answers unknown tasks from the state of their agent, from the master, without uuid', async () => {
    const sub = await framework(info);
    const [a0, a1, a2] = agentIds();
    master.faults.partitionAgent(a1!);
    await rawPost(
      master.url,
      '/api/v1',
      JSON.stringify({ type: 'DRAIN_AGENT', drain_agent: { agent_id: { value: a2 }, mark_gone: true } }),
    );
    await sleep(200); // past the ping timeout
    const answers = await reconcile(sub, [
      { task_id: { value: 'on-registered' }, agent_id: { value: a0! } },
      { task_id: { value: 'on-unreachable' }, agent_id: { value: a1! } },
      { task_id: { value: 'on-gone' }, agent_id: { value: a2! } },
      { task_id: { value: 'nowhere' }, agent_id: { value: 'no-such-agent' } },
      { task_id: { value: 'no-agent' } },
    ]);
    expect(stateOf(answers, 'on-registered')).toBe(registered);
    expect(stateOf(answers, 'on-unreachable')).toBe(unreachable);
    expect(stateOf(answers, 'on-gone')).toBe(gone);
    expect(stateOf(answers, 'nowhere')).toBe(unknown);
    expect(stateOf(answers, 'no-agent')).toBe(unknown);
    expect(answers.find((s) => s.task_id.value === 'on-unreachable')?.unreachable_time).toBeDefined();
    expect(answers.find((s) => s.task_id.value === 'no-agent')?.agent_id).toBeUndefined();
    for (const status of answers) {
      expect(status.source).toBe('SOURCE_MASTER');
      expect(status.reason).toBe('REASON_RECONCILIATION');
      expect(status.uuid).toBeUndefined();
    }
  });

  it('gives no answer while the agent is still recovering after a master restart', async () => {
    const first = await framework(info);
    const agent = agentIds()[0]!;
    const fid = first.frameworkId;
    master.faults.restartMaster({ keepState: false });
    await first.ended;
    const sub = await framework(info, fid);
    const during = await reconcile(sub, [{ task_id: { value: 'x' }, agent_id: { value: agent } }], 0);
    expect(during).toEqual([]);
    await sleep(1000); // the agents have re-registered by now
    const after = await reconcile(sub, [{ task_id: { value: 'x' }, agent_id: { value: agent } }]);
    expect(stateOf(after, 'x')).toBe(registered);
  });
});

describe('known tasks', () => {
  it('answers with the last state sent to the framework, which lags the agent until acknowledged', async () => {
    const sub = await framework(FRAMEWORK);
    const offer = (await takeOffers(sub))[0]!;
    await sub.call('ACCEPT', launchCall([offer], [taskInfo(offer, 'lagging')]));
    const starting = (await sub.waitFor(isUpdate('lagging', 'TASK_STARTING'))).update!.status;
    // The agent has the task RUNNING, but RUNNING waits behind the unacknowledged STARTING.
    let answers = await reconcile(sub, [{ task_id: { value: 'lagging' } }]);
    expect(answers.find((s) => s.reason === 'REASON_RECONCILIATION')?.state).toBe('TASK_STARTING');
    await sub.call('ACKNOWLEDGE', {
      acknowledge: { agent_id: starting.agent_id, task_id: starting.task_id, uuid: starting.uuid },
    });
    await sub.waitFor(isUpdate('lagging', 'TASK_RUNNING'));
    answers = await reconcile(sub, [{ task_id: { value: 'lagging' }, agent_id: offer.agent_id }]);
    const answer = answers.find((s) => s.reason === 'REASON_RECONCILIATION')!;
    expect(answer.state).toBe('TASK_RUNNING');
    expect(answer.agent_id?.value).toBe(offer.agent_id.value);
  });

  it('a task on an unreachable agent is answered from the agent state, and left out of implicit reconciliation', async () => {
    const sub = await framework(withCapabilities('PARTITION_AWARE'));
    const offer = (await takeOffers(sub))[0]!;
    await sub.call('ACCEPT', launchCall([offer], [taskInfo(offer, 'cut-off')]));
    await sub.waitFor(isUpdate('cut-off', 'TASK_STARTING'));
    master.faults.partitionAgent(offer.agent_id.value);
    await sub.waitFor(isUpdate('cut-off', 'TASK_UNREACHABLE'), 2000);
    const explicit = await reconcile(sub, [{ task_id: { value: 'cut-off' }, agent_id: offer.agent_id }]);
    expect(explicit[0]?.state).toBe('TASK_UNREACHABLE');
    expect(explicit[0]?.message).toBe('Reconciliation: Task is unreachable');
    const implicit = await reconcile(sub, [], 0);
    expect(implicit.filter((s) => s.reason === 'REASON_RECONCILIATION')).toEqual([]);
  });

  it('implicit reconciliation (empty list) answers once per known task', async () => {
    const sub = await framework(FRAMEWORK);
    const offers = await takeOffers(sub);
    for (const [i, offer] of offers.entries()) {
      await sub.call('ACCEPT', launchCall([offer], [taskInfo(offer, `implicit-${i}`)]));
    }
    for (const i of offers.keys()) await sub.waitFor(isUpdate(`implicit-${i}`, 'TASK_STARTING'));
    const answers = (await reconcile(sub, [], offers.length)).filter(
      (s) => s.reason === 'REASON_RECONCILIATION',
    );
    expect(answers.map((s) => s.task_id.value).sort()).toEqual(offers.map((_, i) => `implicit-${i}`).sort());
    expect(answers.every((s) => s.state === 'TASK_STARTING')).toBe(true);
  });
});
