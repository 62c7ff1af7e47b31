/**
 * The operator client against the scripted fake master over real HTTP: request bodies as Mesos
 * reads them, typed answers (with Mesos's omitted empty lists filled in), redirects to the
 * leader, failover between masters, and master errors as MesosHttpError.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MesosConnectionError, MesosHttpError, MesosProtocolError } from '../../../pkg/mesos/errors.js';
import { MesosOperatorClient } from '../../../pkg/mesos/operator-client.js';
import type { MaintenanceSchedule } from '../../../pkg/mesos/types.js';
import { freePort } from '../../harness/ports.js';
import { FakeMaster } from './fake-master.js';

let master: FakeMaster;
let other: FakeMaster | undefined;
let client: MesosOperatorClient;

beforeEach(async () => {
  master = await FakeMaster.start();
  client = new MesosOperatorClient({ masters: master.url });
});

afterEach(async () => {
  client.close();
  await master.stop();
  await other?.stop();
  other = undefined;
});

const schedule: MaintenanceSchedule = {
  windows: [
    {
      machine_ids: [{ hostname: 'agent-1', ip: '10.0.0.1' }],
      unavailability: {
        start: { nanoseconds: 1_800_000_000_000_000_000 },
        duration: { nanoseconds: 3_600_000_000_000 },
      },
    },
  ],
};

describe('queries', () => {
  it('GET_AGENTS returns the agents, typed', async () => {
    master.operatorScripts.push({
      kind: 'status',
      status: 200,
      json: {
        type: 'GET_AGENTS',
        get_agents: {
          agents: [
            {
              agent_info: { hostname: 'agent-1', id: { value: 'M-S1' }, port: 5051 },
              active: true,
              version: '1.11.0',
              total_resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 4 } }],
            },
          ],
        },
      },
    });
    const { agents, recovered_agents } = await client.getAgents();
    expect(master.operatorCalls[0]?.body).toEqual({ type: 'GET_AGENTS' });
    expect(master.operatorCalls[0]?.headers['content-type']).toBe('application/json');
    expect(
      agents.map((a) => [a.agent_info.id?.value, a.active, a.total_resources?.[0]?.scalar?.value]),
    ).toEqual([['M-S1', true, 4]]);
    expect(recovered_agents).toEqual([]);
  });

  it('GET_AGENTS answered with the same text again gives back the same frozen list, undecoded', async () => {
    const agentsAnswer = (hostname: string) => ({
      kind: 'status' as const,
      status: 200,
      json: { type: 'GET_AGENTS', get_agents: { agents: [{ agent_info: { hostname }, active: true }] } },
    });
    master.operatorScripts.push(agentsAnswer('agent-1'), agentsAnswer('agent-1'), agentsAnswer('agent-2'));
    const first = await client.getAgents();
    const second = await client.getAgents();
    expect(second).toBe(first);
    expect(Object.isFrozen(first.agents[0]!.agent_info)).toBe(true);
    // A changed answer is decoded: the list follows the master.
    const third = await client.getAgents();
    expect(third.agents.map((a) => a.agent_info.hostname)).toEqual(['agent-2']);
    expect(master.operatorCalls).toHaveLength(3);
  });

  it('GET_TASKS fills in the lists Mesos omits when empty', async () => {
    master.operatorScripts.push({
      kind: 'status',
      status: 200,
      json: {
        type: 'GET_TASKS',
        get_tasks: {
          tasks: [
            {
              name: 't',
              task_id: { value: 't1' },
              framework_id: { value: 'F' },
              agent_id: { value: 'S1' },
              state: 'TASK_RUNNING',
            },
          ],
        },
      },
    });
    const tasks = await client.getTasks();
    expect(tasks.tasks.map((t) => [t.task_id.value, t.state])).toEqual([['t1', 'TASK_RUNNING']]);
    expect(tasks.unreachable_tasks).toEqual([]);
    expect(tasks.completed_tasks).toEqual([]);
  });

  it('GET_MAINTENANCE_SCHEDULE and GET_MAINTENANCE_STATUS return typed, complete values', async () => {
    master.operatorScripts.push(
      {
        kind: 'status',
        status: 200,
        json: { type: 'GET_MAINTENANCE_SCHEDULE', get_maintenance_schedule: { schedule } },
      },
      {
        kind: 'status',
        status: 200,
        json: {
          type: 'GET_MAINTENANCE_STATUS',
          get_maintenance_status: {
            status: {
              draining_machines: [
                {
                  id: { hostname: 'agent-1', ip: '10.0.0.1' },
                  statuses: [
                    { status: 'ACCEPT', framework_id: { value: 'F' }, timestamp: { nanoseconds: 1 } },
                  ],
                },
              ],
            },
          },
        },
      },
    );
    expect(await client.getMaintenanceSchedule()).toEqual(schedule);
    const status = await client.getMaintenanceStatus();
    expect(status.draining_machines[0]?.statuses?.[0]?.status).toBe('ACCEPT');
    expect(status.down_machines).toEqual([]);
  });

  it('an empty schedule comes back as no windows', async () => {
    master.operatorScripts.push({
      kind: 'status',
      status: 200,
      json: { type: 'GET_MAINTENANCE_SCHEDULE', get_maintenance_schedule: { schedule: {} } },
    });
    expect(await client.getMaintenanceSchedule()).toEqual({ windows: [] });
  });

  it('a 200 whose body is not the answer is a MesosProtocolError', async () => {
    master.operatorScripts.push({ kind: 'status', status: 200, text: '<html>hello</html>' });
    await expect(client.getAgents()).rejects.toThrow(MesosProtocolError);
  });
});

describe('maintenance and draining', () => {
  it('sends the bodies Mesos expects for each call', async () => {
    await client.updateMaintenanceSchedule(schedule);
    await client.startMaintenance([{ hostname: 'agent-1', ip: '10.0.0.1' }]);
    await client.stopMaintenance([{ hostname: 'agent-1', ip: '10.0.0.1' }]);
    await client.drainAgent('M-S1', { maxGracePeriodSeconds: 2.5, markGone: true });
    await client.drainAgent({ value: 'M-S2' });
    expect(master.operatorCalls.map((c) => c.body)).toEqual([
      { type: 'UPDATE_MAINTENANCE_SCHEDULE', update_maintenance_schedule: { schedule } },
      {
        type: 'START_MAINTENANCE',
        start_maintenance: { machines: [{ hostname: 'agent-1', ip: '10.0.0.1' }] },
      },
      { type: 'STOP_MAINTENANCE', stop_maintenance: { machines: [{ hostname: 'agent-1', ip: '10.0.0.1' }] } },
      {
        type: 'DRAIN_AGENT',
        drain_agent: {
          agent_id: { value: 'M-S1' },
          max_grace_period: { seconds: 2, nanos: 500_000_000 },
          mark_gone: true,
        },
      },
      { type: 'DRAIN_AGENT', drain_agent: { agent_id: { value: 'M-S2' } } },
    ]);
    expect(master.operatorCalls.every((c) => c.path === '/api/v1')).toBe(true);
  });

  it('turns a refusal into a MesosHttpError with status and text', async () => {
    master.operatorScripts.push({
      kind: 'status',
      status: 400,
      text: 'Machines are not in DRAINING mode: agent-1',
    });
    const err = await client.startMaintenance([{ hostname: 'agent-1' }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MesosHttpError);
    expect(err).toMatchObject({
      status: 400,
      body: 'Machines are not in DRAINING mode: agent-1',
      callType: 'START_MAINTENANCE',
      code: 'BadRequest',
    });
  });
});

describe('finding the leader', () => {
  it('follows a protocol-relative 307 to the leading master', async () => {
    other = await FakeMaster.start();
    master.operatorScripts.push({ kind: 'redirect', location: `//127.0.0.1:${other.port}/api/v1` });
    await client.startMaintenance([{ hostname: 'agent-1' }]);
    expect(other.operatorCalls.map((c) => c.body.type)).toEqual(['START_MAINTENANCE']);
  });

  it('tries the next master when one is unreachable, and says so when none is', async () => {
    const dead = await freePort();
    const failover = new MesosOperatorClient({ masters: [`127.0.0.1:${dead}`, master.url] });
    try {
      await failover.stopMaintenance([{ hostname: 'agent-1' }]);
      expect(master.operatorCalls).toHaveLength(1);
    } finally {
      failover.close();
    }
    const none = new MesosOperatorClient({ masters: `127.0.0.1:${dead}` });
    try {
      await expect(none.getAgents()).rejects.toThrow(MesosConnectionError);
    } finally {
      none.close();
    }
  });
});
