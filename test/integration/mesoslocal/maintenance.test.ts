/**
 * Maintenance through the operator API: a schedule rescinds offers and re-offers with
 * `unavailability`, sends INVERSE_OFFERS to frameworks with tasks there, records the answers in
 * GET_MAINTENANCE_STATUS; START_MAINTENANCE takes machines down (tasks lost), STOP brings them
 * back; DRAIN_AGENT kills an agent's tasks with REASON_AGENT_DRAINING. All answer 200.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TaskStatus } from '../../../pkg/mesos/types.js';
import { type MesosLocal, startMesosLocal } from '../../../pkg/mesoslocal/index.js';
import { accountingErrors } from './accounting.js';
import {
  FRAMEWORK,
  isType,
  isUpdate,
  launchCall,
  rawPost,
  type Subscription,
  subscribe,
  takeOffers,
  taskInfo,
} from './raw-client.js';

let master: MesosLocal;
let sub: Subscription;

beforeEach(async () => {
  master = await startMesosLocal({ agents: 2, allocationIntervalMs: 20 });
  sub = await subscribe(master.url, FRAMEWORK);
});
afterEach(async () => {
  sub.close();
  // Whatever happened in the test, the master's resource books must balance.
  const errors = accountingErrors(master.state.agents.values());
  await master.stop();
  expect(errors).toEqual([]);
});

const operator = (body: unknown) => rawPost(master.url, '/api/v1', JSON.stringify(body));
const ack = (s: TaskStatus) =>
  sub.call('ACKNOWLEDGE', { acknowledge: { agent_id: s.agent_id, task_id: s.task_id, uuid: s.uuid } });

/** Launch one task on agent-0 and acknowledge it to RUNNING; other offers are declined for good. */
async function taskOnAgent0(id: string) {
  const offers = await takeOffers(sub);
  const offer = offers.find((o) => o.hostname === 'agent-0')!;
  await sub.call('ACCEPT', launchCall([offer], [taskInfo(offer, id)], 0));
  const rest = offers.filter((o) => o !== offer).map((o) => o.id);
  if (rest.length > 0)
    await sub.call('DECLINE', { decline: { offer_ids: rest, filters: { refuse_seconds: 0 } } });
  await ack((await sub.waitFor(isUpdate(id, 'TASK_STARTING'))).update!.status);
  await ack((await sub.waitFor(isUpdate(id, 'TASK_RUNNING'))).update!.status);
  return offer;
}

const start = { nanoseconds: 1_900_000_000_000_000_000 };
const schedule = (hostname: string) => ({
  type: 'UPDATE_MAINTENANCE_SCHEDULE',
  update_maintenance_schedule: {
    schedule: { windows: [{ machine_ids: [{ hostname, ip: '127.0.0.1' }], unavailability: { start } }] },
  },
});

describe('maintenance schedule', () => {
  it('drains: RESCIND, offers with unavailability, INVERSE_OFFERS; answers show in the status', async () => {
    const offer = await taskOnAgent0('m1');
    const mark = sub.events.length;
    const res = await operator(schedule('agent-0'));
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    const inverse = (await sub.waitFor(isType('INVERSE_OFFERS'), 2000, mark)).inverse_offers!
      .inverse_offers[0]!;
    expect(inverse.agent_id?.value).toBe(offer.agent_id.value);
    expect(inverse.unavailability.start.nanoseconds).toBe(start.nanoseconds);
    expect(inverse.resources).toBeUndefined(); // the whole agent
    const reoffered = await sub.waitFor(
      (e) => (e.offers?.offers ?? []).some((o) => o.hostname === 'agent-0' && o.unavailability !== undefined),
      2000,
      mark,
    );
    expect(reoffered.offers!.offers.find((o) => o.hostname === 'agent-0')!.unavailability!.start).toEqual(
      start,
    );

    expect(
      (
        await sub.call('DECLINE_INVERSE_OFFERS', {
          decline_inverse_offers: { inverse_offer_ids: [inverse.id] },
        })
      ).status,
    ).toBe(202);
    const status = JSON.parse((await operator({ type: 'GET_MAINTENANCE_STATUS' })).body);
    expect(status.type).toBe('GET_MAINTENANCE_STATUS');
    const draining = status.get_maintenance_status.status.draining_machines;
    expect(draining).toHaveLength(1);
    expect(draining[0].id).toEqual({ hostname: 'agent-0', ip: '127.0.0.1' });
    expect(draining[0].statuses[0].status).toBe('DECLINE');
    expect(draining[0].statuses[0].framework_id.value).toBe(sub.frameworkId);

    const got = JSON.parse((await operator({ type: 'GET_MAINTENANCE_SCHEDULE' })).body);
    expect(got.get_maintenance_schedule.schedule.windows[0].machine_ids[0].hostname).toBe('agent-0');
  });

  it('re-sends an inverse offer after refuse_seconds, and to frameworks that start using the machine later', async () => {
    await operator(schedule('agent-0'));
    const offers = await takeOffers(sub);
    expect(sub.events.some((e) => e.type === 'INVERSE_OFFERS')).toBe(false); // no tasks there yet
    const offer = offers.find((o) => o.hostname === 'agent-0')!;
    await sub.call('ACCEPT', launchCall([offer], [taskInfo(offer, 'late')], 0));
    const first = (await sub.waitFor(isType('INVERSE_OFFERS'), 2000)).inverse_offers!.inverse_offers[0]!;
    expect(first.agent_id?.value).toBe(offer.agent_id.value);
    const mark = sub.events.length;
    await sub.call('ACCEPT_INVERSE_OFFERS', {
      accept_inverse_offers: { inverse_offer_ids: [first.id], filters: { refuse_seconds: 0.2 } },
    });
    const second = (await sub.waitFor(isType('INVERSE_OFFERS'), 2000, mark)).inverse_offers!
      .inverse_offers[0]!;
    expect(second.id.value).not.toBe(first.id.value);
    const status = JSON.parse((await operator({ type: 'GET_MAINTENANCE_STATUS' })).body);
    expect(status.get_maintenance_status.status.draining_machines[0].statuses[0].status).toBe('ACCEPT');
  });

  it('START_MAINTENANCE: tasks TASK_LOST with REASON_AGENT_REMOVED, agent gone; STOP brings a new agent', async () => {
    await taskOnAgent0('m2');
    const early = await operator({
      type: 'START_MAINTENANCE',
      start_maintenance: { machines: [{ hostname: 'agent-0', ip: '127.0.0.1' }] },
    });
    expect(early.status).toBe(400);
    expect(early.body).toBe(
      'Machine \'{"hostname":"agent-0","ip":"127.0.0.1"}\' is not part of a maintenance schedule',
    );
    await operator(schedule('agent-0'));
    const down = await operator({
      type: 'START_MAINTENANCE',
      start_maintenance: { machines: [{ hostname: 'agent-0', ip: '127.0.0.1' }] },
    });
    expect(down.status).toBe(200);
    const lost = (await sub.waitFor(isUpdate('m2', 'TASK_LOST'))).update!.status;
    expect(lost.reason).toBe('REASON_AGENT_REMOVED');
    expect(lost.message).toBe("Agent agent-0 removed: Operator initiated 'Machine DOWN'");
    expect(sub.events.some((e) => e.failure?.agent_id?.value !== undefined)).toBe(true);
    const agents = JSON.parse((await operator({ type: 'GET_AGENTS' })).body).get_agents.agents;
    expect(agents.map((a: { agent_info: { hostname: string } }) => a.agent_info.hostname)).toEqual([
      'agent-1',
    ]);
    const status = JSON.parse((await operator({ type: 'GET_MAINTENANCE_STATUS' })).body);
    expect(status.get_maintenance_status.status.down_machines).toEqual([
      { hostname: 'agent-0', ip: '127.0.0.1' },
    ]);

    const up = await operator({
      type: 'STOP_MAINTENANCE',
      stop_maintenance: { machines: [{ hostname: 'agent-0', ip: '127.0.0.1' }] },
    });
    expect(up.status).toBe(200);
    const back = await sub.waitFor(
      (e) => (e.offers?.offers ?? []).some((o) => o.hostname === 'agent-0'),
      2000,
    );
    expect(back.offers!.offers.find((o) => o.hostname === 'agent-0')!.unavailability).toBeUndefined();
  });

  it('rejects removing a DOWN machine from the schedule with 400', async () => {
    await operator(schedule('agent-1'));
    await operator({
      type: 'START_MAINTENANCE',
      start_maintenance: { machines: [{ hostname: 'agent-1', ip: '127.0.0.1' }] },
    });
    const res = await operator({
      type: 'UPDATE_MAINTENANCE_SCHEDULE',
      update_maintenance_schedule: { schedule: { windows: [] } },
    });
    expect(res.status).toBe(400);
    expect(res.body).toBe(
      'Machine \'{"hostname":"agent-1","ip":"127.0.0.1"}\' is deactivated and cannot be removed from the schedule',
    );
  });
});

describe('DRAIN_AGENT and GET_TASKS', () => {
  it("kills the agent's tasks with REASON_AGENT_DRAINING and stops offering it", async () => {
    const offer = await taskOnAgent0('d1');
    const tasks = JSON.parse((await operator({ type: 'GET_TASKS' })).body).get_tasks.tasks;
    expect(
      tasks.map((t: { task_id: { value: string }; state: string }) => [t.task_id.value, t.state]),
    ).toEqual([['d1', 'TASK_RUNNING']]);
    const res = await operator({
      type: 'DRAIN_AGENT',
      drain_agent: { agent_id: offer.agent_id, max_grace_period: { seconds: 1 } },
    });
    expect(res.status).toBe(200);
    const killed = (await sub.waitFor(isUpdate('d1', 'TASK_KILLED'))).update!.status;
    expect(killed.reason).toBe('REASON_AGENT_DRAINING');
    const agents = JSON.parse((await operator({ type: 'GET_AGENTS' })).body).get_agents.agents;
    const drained = agents.find(
      (a: { agent_info: { id: { value: string } } }) => a.agent_info.id.value === offer.agent_id.value,
    );
    expect(drained.drain_info.state).toBe('DRAINED');
  });

  it('with mark_gone, a partition-aware framework sees its tasks TASK_GONE_BY_OPERATOR and the agent gone', async () => {
    sub.close();
    sub = await subscribe(master.url, { ...FRAMEWORK, capabilities: [{ type: 'PARTITION_AWARE' }] });
    const offer = await taskOnAgent0('g1');
    await operator({ type: 'DRAIN_AGENT', drain_agent: { agent_id: offer.agent_id, mark_gone: true } });
    const gone = (await sub.waitFor(isUpdate('g1', 'TASK_GONE_BY_OPERATOR'))).update!.status;
    expect(gone.reason).toBe('REASON_AGENT_DRAINING');
    const unknown = await operator({ type: 'DRAIN_AGENT', drain_agent: { agent_id: { value: 'nope' } } });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toBe('Unknown agent');
  });
});
