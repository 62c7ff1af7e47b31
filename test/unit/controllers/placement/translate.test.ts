import { describe, expect, it } from 'vitest';
import { demandOf } from '../../../../controllers/placement/demand.js';
import { hostsFromOffers } from '../../../../controllers/placement/offers.js';
import { mesosHealthCheck, taskInfoFor } from '../../../../controllers/placement/task-info.js';
import type { Offer } from '../../../../pkg/mesos/types.js';
import { parseMesosTaskId } from '../../../../pkg/taskstate/index.js';
import { task } from '../jobs/fixtures.js';

function offer(id: string, agent: string, over: Partial<Offer> = {}): Offer {
  return {
    id: { value: id },
    framework_id: { value: 'fw' },
    agent_id: { value: agent },
    hostname: `${agent}.local`,
    resources: [
      { name: 'cpus', type: 'SCALAR', scalar: { value: 2 } },
      { name: 'mem', type: 'SCALAR', scalar: { value: 1024 } },
      { name: 'disk', type: 'SCALAR', scalar: { value: 5000 } },
      { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000, end: 31005 }] } },
    ],
    attributes: [
      { name: 'rack', type: 'TEXT', text: { value: 'r1' } },
      { name: 'zone', type: 'SET', set: { item: ['a', 'b'] } },
    ],
    ...over,
  };
}

describe('offers → hosts', () => {
  it('merges offers of one agent and reads attributes as strings, host = hostname', () => {
    const hosts = hostsFromOffers(
      [offer('o1', 'S1'), offer('o2', 'S1'), offer('o3', 'S2')],
      'borealis',
      new Map([['S2.local', 'Draining']]),
    );
    expect(hosts).toHaveLength(2);
    const s1 = hosts.find((h) => h.agentId === 'S1')!;
    expect(s1.offerIds).toEqual(['o1', 'o2']);
    expect(s1.free.cpus).toBe(4);
    expect(s1.free.ports).toHaveLength(2);
    expect(s1.attributes).toEqual({ host: ['S1.local'], rack: ['r1'], zone: ['a', 'b'] });
    expect(hosts.find((h) => h.agentId === 'S2')!.mode).toBe('Draining');
  });

  it('ignores resources reserved for another role and keeps revocable cpus apart', () => {
    const o = offer('o', 'S1', {
      resources: [
        { name: 'cpus', type: 'SCALAR', scalar: { value: 1 } },
        {
          name: 'cpus',
          type: 'SCALAR',
          scalar: { value: 3 },
          reservations: [{ type: 'STATIC', role: 'other' }],
        },
        { name: 'cpus', type: 'SCALAR', scalar: { value: 0.5 }, revocable: {} },
        {
          name: 'mem',
          type: 'SCALAR',
          scalar: { value: 64 },
          reservations: [{ type: 'STATIC', role: 'borealis' }],
        },
      ],
    });
    const [h] = hostsFromOffers([o], 'borealis', new Map());
    expect(h!.free).toMatchObject({ cpus: 1, revocableCpus: 0.5, ramMb: 64 });
  });

  it('reads the unavailability start from nanoseconds', () => {
    const [h] = hostsFromOffers(
      [offer('o', 'S1', { unavailability: { start: { nanoseconds: '1800000000000000000' } } })],
      'r',
      new Map(),
    );
    expect(h!.unavailableFromMs).toBe(1_800_000_000_000);
  });
});

describe('task → TaskInfo', () => {
  const t = task(2, 'Pending', { name: 'hello-2-abcde' });
  const placed = { task: 'hello-2-abcde', hostname: 'S1.local', agentId: 'S1', ports: { http: 31003 } };

  it('builds a launchable TaskInfo whose id parses back to the task', () => {
    const info = taskInfoFor(t, placed, { role: 'borealis' });
    expect(parseMesosTaskId(info.task_id.value)).toEqual({
      role: 'www-data',
      environment: 'prod',
      job: 'hello',
      instance: 2,
      revision: 1,
      suffix: 'abcde',
    });
    expect(info.agent_id.value).toBe('S1');
    expect(info.command).toMatchObject({ shell: true, value: 'python3 -m http.server $PORT_HTTP' });
    expect(info.resources?.find((r) => r.name === 'ports')).toMatchObject({
      ranges: { range: [{ begin: 31003, end: 31003 }] },
      allocation_info: { role: 'borealis' },
    });
    expect(info.discovery?.ports?.ports).toEqual([{ number: 31003, name: 'http', protocol: 'tcp' }]);
    expect(info.kill_policy?.grace_period?.nanoseconds).toBe(5e9);
  });

  it('translates an Aurora health check: tolerated failures + 1, initial delay as grace', () => {
    const hc = mesosHealthCheck(
      {
        http: { port: 'http', path: '/', expectedResponseCode: 200 },
        initialDelaySeconds: 1,
        intervalSeconds: 2,
        timeoutSeconds: 1,
        maxConsecutiveFailures: 3,
        minConsecutiveSuccesses: 1,
      },
      { http: 31003 },
    );
    expect(hc).toEqual({
      type: 'HTTP',
      http: { scheme: 'http', port: 31003, path: '/' },
      delay_seconds: 1,
      interval_seconds: 2,
      timeout_seconds: 1,
      consecutive_failures: 4,
      grace_period_seconds: 1,
    });
  });

  it('describes the task for placement with its job key and named ports', () => {
    expect(demandOf(t)).toMatchObject({
      name: 'hello-2-abcde',
      jobKey: 'www-data/prod/hello',
      role: 'www-data',
      tier: 'preferred',
      cpus: 0.1,
      ports: ['http'],
    });
  });
});

describe('placement planner', () => {
  it('launches tasks on the offering agent, declines the rest, reports unplaced ones with their reason', async () => {
    const { planPlacement } = await import('../../../../controllers/placement/planner.js');
    const small = task(0, 'Pending', { name: 'hello-0-aaaaa' });
    const huge = { ...task(1, 'Pending', { name: 'hello-1-bbbbb' }) };
    const hugeTask = {
      ...huge,
      spec: {
        ...huge.spec,
        template: { ...huge.spec.template, resources: { ...huge.spec.template.resources, cpus: 64 } },
      },
    };
    const plan = planPlacement({
      pending: [small, hugeTask],
      jobTasks: [],
      hosts: new Map(),
      offers: [offer('o1', 'S1'), offer('o2', 'S2')],
      role: 'borealis',
      policy: 'pack',
      nowMs: 0,
    });
    expect(plan.launches).toHaveLength(1);
    expect(plan.launches[0]!.tasks.map((t) => t.task.metadata.name)).toEqual(['hello-0-aaaaa']);
    expect(plan.decline).toHaveLength(1);
    expect(plan.unplaced).toEqual([{ task: hugeTask, reason: 'Insufficient cpus on 2 hosts' }]);
  });

  it('counts running tasks of the job on their hosts against limit constraints', async () => {
    const { planPlacement } = await import('../../../../controllers/placement/planner.js');
    const constrained = (name: string, phase: 'Pending' | 'Running', host?: string) => {
      const t = task(0, phase, { name });
      return {
        ...t,
        spec: { ...t.spec, template: { ...t.spec.template, constraints: [{ attribute: 'host', limit: 1 }] } },
        status: { ...t.status, ...(host ? { host } : {}) },
      };
    };
    const plan = planPlacement({
      pending: [constrained('hello-3-ccccc', 'Pending')],
      jobTasks: [constrained('hello-0-ddddd', 'Running', 'S1.local')],
      hosts: new Map(),
      offers: [offer('o1', 'S1'), offer('o2', 'S2')],
      role: 'borealis',
      policy: 'pack',
      nowMs: 0,
    });
    expect(plan.launches.map((l) => l.agentId)).toEqual(['S2']);
  });
});
