import { describe, expect, it } from 'vitest';
import { planRound } from '../../../pkg/scheduling/assign.js';
import type { LimitCounts } from '../../../pkg/scheduling/constraints.js';
import { host, task } from './fixtures.js';

const now = Date.UTC(2026, 0, 1);
const base = { counts: new Map() as LimitCounts, policy: 'pack' as const, nowMs: now };

describe('planRound', () => {
  it('leaves a task that needs more cpus than any host has pending, saying so', () => {
    const r = planRound({
      ...base,
      tasks: [task('big', { cpus: 16 })],
      hosts: [host('a'), host('b'), host('c')],
    });
    expect(r.assignments).toEqual([]);
    expect(r.unplaced[0]?.reason).toBe('Insufficient cpus on 3 hosts');
  });

  it('places 3 of 4 instances under limit host:1 on 3 hosts, the 4th pending with the limit veto', () => {
    const constraints = [{ attribute: 'host', limit: 1 }];
    const tasks = [0, 1, 2, 3].map((i) => task(`hello-${i}`, { constraints }));
    const r = planRound({ ...base, tasks, hosts: [host('a'), host('b'), host('c')] });
    expect(new Set(r.assignments.map((a) => a.hostname))).toEqual(new Set(['a', 'b', 'c']));
    expect(r.unplaced).toHaveLength(1);
    expect(r.unplaced[0]?.reason).toBe('limit host:1 on 3 hosts');
  });

  it('counts tasks already running against limit constraints', () => {
    const counts: LimitCounts = new Map([['www-data/prod/hello', new Map([['rack', new Map([['r1', 2]])]])]]);
    const r = planRound({
      ...base,
      counts,
      tasks: [task('t', { constraints: [{ attribute: 'rack', limit: 2 }] })],
      hosts: [host('a')],
    });
    expect(r.unplaced[0]?.reason).toBe('limit rack:2 on 1 host');
  });

  it('honours value constraints, negated or not, and names them', () => {
    const hosts = [
      host('a', { attributes: { host: ['a'], rack: ['r1'] } }),
      host('b', { attributes: { host: ['b'], rack: ['r2'] } }),
    ];
    const inR2 = planRound({
      ...base,
      hosts,
      tasks: [task('t', { constraints: [{ attribute: 'rack', values: ['r2'] }] })],
    });
    expect(inR2.assignments.map((a) => a.hostname)).toEqual(['b']);
    const notR2 = planRound({
      ...base,
      hosts,
      tasks: [task('t', { constraints: [{ attribute: 'rack', values: ['r2'], negate: true }] })],
    });
    expect(notR2.assignments.map((a) => a.hostname)).toEqual(['a']);
    const nowhere = planRound({
      ...base,
      hosts,
      tasks: [task('t', { constraints: [{ attribute: 'rack', values: ['r9'] }] })],
    });
    expect(nowhere.unplaced[0]?.reason).toBe('constraint rack in [r9] on 2 hosts');
  });

  it('keeps dedicated hosts for tasks with a matching dedicated constraint', () => {
    const dedicated = host('d', { attributes: { host: ['d'], dedicated: ['www-data/db'] } });
    const plain = planRound({ ...base, hosts: [dedicated], tasks: [task('t')] });
    expect(plain.unplaced[0]?.reason).toBe('Host is dedicated on 1 host');
    const ok = planRound({
      ...base,
      hosts: [dedicated],
      tasks: [task('t', { constraints: [{ attribute: 'dedicated', values: ['www-data/db'] }] })],
    });
    expect(ok.assignments).toHaveLength(1);
    const otherRole = planRound({
      ...base,
      hosts: [dedicated],
      tasks: [
        task('t', { role: 'other', constraints: [{ attribute: 'dedicated', values: ['www-data/db'] }] }),
      ],
    });
    expect(otherRole.unplaced).toHaveLength(1);
  });

  it('never places on draining hosts or hosts going away within 6 minutes, and prefers non-Scheduled hosts', () => {
    const r = planRound({
      ...base,
      tasks: [task('t')],
      hosts: [host('drain', { mode: 'Draining' }), host('soon', { unavailableFromMs: now + 60_000 })],
    });
    expect(r.unplaced[0]?.reason).toBe('Host draining on 1 host; Host unavailable soon on 1 host');
    const pref = planRound({
      ...base,
      tasks: [task('t')],
      hosts: [host('sched', { mode: 'Scheduled' }), host('free')],
    });
    expect(pref.assignments[0]?.hostname).toBe('free');
  });

  it('gives each named port a distinct host port from the offered ranges', () => {
    const r = planRound({
      ...base,
      tasks: [task('a', { ports: ['http', 'admin'] }), task('b', { ports: ['http'] })],
      hosts: [host('h')],
    });
    expect(r.assignments.map((a) => a.ports)).toEqual([{ http: 31000, admin: 31001 }, { http: 31002 }]);
  });

  it('packs onto the fullest host or spreads to the emptiest, by policy', () => {
    const hosts = [host('small', { cpus: 2 }), host('large', { cpus: 16 })];
    expect(planRound({ ...base, policy: 'pack', hosts, tasks: [task('t')] }).assignments[0]?.hostname).toBe(
      'small',
    );
    expect(planRound({ ...base, policy: 'spread', hosts, tasks: [task('t')] }).assignments[0]?.hostname).toBe(
      'large',
    );
  });

  it('serves production and higher priority first when resources are short', () => {
    const r = planRound({
      ...base,
      hosts: [host('h', { cpus: 1 })],
      tasks: [task('low', { tier: 'preemptible', priority: 5 }), task('prod', { tier: 'preferred' })],
    });
    expect(r.assignments.map((a) => a.task)).toEqual(['prod']);
    expect(r.unplaced.map((u) => u.task)).toEqual(['low']);
  });

  it('runs revocable tasks on revocable cpus only', () => {
    const h = host('h', {
      free: { cpus: 4, revocableCpus: 0.5, ramMb: 1024, diskMb: 1024, gpus: 0, ports: [] },
    });
    const r = planRound({
      ...base,
      hosts: [h],
      tasks: [task('rev', { tier: 'revocable', cpus: 1, ports: [] })],
    });
    expect(r.unplaced[0]?.reason).toBe('Insufficient revocable cpus on 1 host');
  });

  it('says "No offers" when no host offered anything', () => {
    expect(planRound({ ...base, hosts: [], tasks: [task('t')] }).unplaced[0]?.reason).toBe('No offers');
  });
});
