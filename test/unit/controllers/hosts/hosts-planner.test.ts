import { describe, expect, it } from 'vitest';
import type { Host } from '../../../../api/v1/host.js';
import { planHosts, USAGE_REFRESH_MS, usageWritesPerPoll } from '../../../../controllers/hosts/planner.js';
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

  it('spreads usage refreshes over polls, most overdue first, while readiness changes go at once', () => {
    const hostAt = (name: string, lastSeenMsAgo: number): Host => {
      const created = planHosts([agent(name)], [], [], nowIso).create[0]!;
      const lastSeenTime = new Date(Date.parse(nowIso) - lastSeenMsAgo).toISOString();
      return {
        apiVersion: 'borealis.dev/v1',
        kind: 'Host',
        metadata: { name },
        spec: created.spec,
        status: { ...created.status, lastSeenTime },
      };
    };
    const hosts = [
      hostAt('a1', USAGE_REFRESH_MS),
      hostAt('a2', 3 * USAGE_REFRESH_MS),
      hostAt('a3', 2 * USAGE_REFRESH_MS),
    ];
    const busy = ['a1', 'a2', 'a3'].map((h, i) => ({
      ...task(i, 'Running'),
      status: { phase: 'Running' as const, host: h },
    }));
    // a1's agent went inactive: that is news, written whatever the budget; the usage of the others waits its turn.
    const agents = [agent('a1', false), agent('a2'), agent('a3')];
    const written = (budget: number) =>
      planHosts(agents, hosts, busy, nowIso, budget).updateStatus.map((w) => w.name);
    expect(written(1)).toEqual(['a1', 'a2']);
    expect(written(2)).toEqual(['a1', 'a2', 'a3']);
    expect(planHosts(agents, hosts, busy, nowIso).updateStatus).toHaveLength(3);
    // 10,000 hosts polled every 10 s: each refreshed once per USAGE_REFRESH_MS at most, evenly.
    expect(usageWritesPerPoll(10_000, 10_000)).toBe(334);
    expect(usageWritesPerPoll(3, 10_000)).toBe(1);
  });
});
