import { describe, expect, it } from 'vitest';
import type { Host } from '../../../../api/v1/host.js';
import { planHosts, USAGE_REFRESH_MS } from '../../../../controllers/hosts/planner.js';
import type { OperatorAgent } from '../../../../pkg/mesos/types.js';
import { task } from '../jobs/fixtures.js';

const nowIso = '2026-06-01T12:00:00.000Z';
function agent(name: string, active = true): OperatorAgent {
  return {
    active,
    version: '1.11.0',
    agent_info: {
      hostname: name,
      id: { value: `S-${name}` },
      attributes: [{ name: 'rack', type: 'TEXT', text: { value: 'r1' } }],
    },
    total_resources: [
      { name: 'cpus', type: 'SCALAR', scalar: { value: 4 } },
      { name: 'mem', type: 'SCALAR', scalar: { value: 8192 } },
      { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000, end: 31099 }] } },
    ],
  };
}

describe('hosts planner', () => {
  it('creates a Host per new agent with attributes, totals and Ready', () => {
    const plan = planHosts([agent('a1')], [], [], nowIso);
    expect(plan.create).toHaveLength(1);
    expect(plan.create[0]).toMatchObject({
      name: 'a1',
      spec: { hostname: 'a1', agentId: 'S-a1', attributes: { rack: ['r1'] } },
      status: { mode: 'None', total: { cpus: 4, ramMb: 8192, ports: 100 }, activeTasks: 0 },
    });
    expect(plan.create[0]!.status.conditions?.[0]).toMatchObject({ type: 'Ready', status: 'True' });
  });

  it('counts active tasks and their resources on each host, keeps maintenance mode, and writes only on change', () => {
    const first = planHosts([agent('a1')], [], [], nowIso).create[0]!;
    const host: Host = {
      apiVersion: 'borealis.dev/v1',
      kind: 'Host',
      metadata: { name: 'a1' },
      spec: first.spec,
      status: { ...first.status, mode: 'Draining' },
    };
    expect(planHosts([agent('a1')], [host], [], nowIso)).toEqual({
      create: [],
      updateSpec: [],
      updateStatus: [],
    });
    const running = { ...task(0, 'Running'), status: { phase: 'Running' as const, host: 'a1' } };
    const done = { ...task(1, 'Finished'), status: { phase: 'Finished' as const, host: 'a1' } };
    // Usage alone is refreshed at most every USAGE_REFRESH_MS after the last status write.
    expect(planHosts([agent('a1')], [host], [running, done], nowIso).updateStatus).toEqual([]);
    const later = new Date(Date.parse(nowIso) + USAGE_REFRESH_MS).toISOString();
    const plan = planHosts([agent('a1')], [host], [running, done], later);
    expect(plan.updateStatus[0]?.status).toMatchObject({
      mode: 'Draining',
      activeTasks: 1,
      allocated: { cpus: 0.1, ramMb: 64, ports: 1 },
    });
  });

  it('marks a host whose agent went away not Ready, once', () => {
    const first = planHosts([agent('a1')], [], [], nowIso).create[0]!;
    const host: Host = {
      apiVersion: 'borealis.dev/v1',
      kind: 'Host',
      metadata: { name: 'a1' },
      spec: first.spec,
      status: first.status,
    };
    const gone = planHosts([], [host], [], nowIso).updateStatus[0]!;
    expect(gone.status.conditions?.[0]).toMatchObject({ status: 'False', reason: 'AgentGone' });
    const again = planHosts([], [{ ...host, status: gone.status }], [], nowIso);
    expect(again.updateStatus).toEqual([]);
  });
});
