import { describe, expect, it } from 'vitest';
import { type Host, hostKind } from '../../../api/v1/host.js';
import { type Maintenance, maintenanceKind } from '../../../api/v1/maintenance.js';
import { type Quota, quotaKind } from '../../../api/v1/quota.js';
import { builtinTiers, tierKind } from '../../../api/v1/tier.js';
import { admit, variant } from './admit.js';

const host = {
  apiVersion: 'borealis.dev/v1',
  kind: 'Host',
  metadata: { name: 'agent-1.example.com' },
  spec: {
    hostname: 'agent-1.example.com',
    agentId: 'a1b2-S0',
    attributes: { rack: ['r1'], dedicated: ['www-data/hello'] },
  },
  status: { mode: 'Draining', total: { cpus: 8, ramMb: 32768 }, allocated: { cpus: 0.3 }, activeTasks: 3 },
} as unknown as Host;

describe('Host', () => {
  it('accepts an agent with attributes and a maintenance mode', () => {
    expect(admit(hostKind, host).errors).toEqual([]);
  });

  it('rejects a maintenance mode Aurora does not have, listing the modes', () => {
    const bad = variant(host, (h) => {
      Object.assign(h.status!, { mode: 'DRAINING' });
    });
    expect(admit(hostKind, bad).errors).toEqual([
      'status.mode: Unsupported value: "DRAINING": supported values: "None", "Scheduled", "Draining", "Drained"',
    ]);
  });

  it('keeps the object name and the hostname the same', () => {
    const bad = variant(host, (h) => {
      Object.assign(h.spec, { hostname: 'agent-2.example.com' });
    });
    expect(admit(hostKind, bad).errors).toEqual([
      'spec.hostname: Invalid value: "agent-2.example.com": must equal metadata.name ("agent-1.example.com")',
    ]);
  });
});

const maintenance = {
  apiVersion: 'borealis.dev/v1',
  kind: 'Maintenance',
  metadata: { name: 'rack-r1-kernel' },
  spec: { hosts: ['agent-1.example.com', 'agent-2.example.com'], drain: true, reason: 'OPS-42' },
} as unknown as Maintenance;

describe('Maintenance', () => {
  it("drains with aurora_admin's defaults: 95 % up for 30 minutes, forced after 7 days", () => {
    const { object, errors } = admit(maintenanceKind, maintenance);
    expect(errors).toEqual([]);
    expect((object as unknown as Maintenance).spec).toMatchObject({
      slaPolicy: { percentage: 95, durationSeconds: 1800 },
      timeoutSeconds: 604800,
      force: false,
    });
  });

  it('only schedules (kills nothing) unless drain is asked for', () => {
    const scheduled = variant(maintenance, (m) => {
      delete (m.spec as Partial<Maintenance['spec']>).drain;
    });
    expect((admit(maintenanceKind, scheduled).object as unknown as Maintenance).spec.drain).toBe(false);
  });

  it('rejects an empty host list, a host listed twice, and an SLA policy of two kinds', () => {
    expect(
      admit(
        maintenanceKind,
        variant(maintenance, (m) => {
          m.spec.hosts = [];
        }),
      ).errors,
    ).toEqual(['spec.hosts: Invalid value: 0: spec.hosts in body should have at least 1 items']);
    const twice = variant(maintenance, (m) => {
      m.spec.hosts.push('agent-1.example.com');
    });
    expect(admit(maintenanceKind, twice).errors).toEqual([
      'spec.hosts[2]: Duplicate value: "agent-1.example.com"',
    ]);
    const both = variant(maintenance, (m) => {
      m.spec.slaPolicy = { percentage: 90, count: 2, durationSeconds: 60 };
    });
    expect(admit(maintenanceKind, both).errors).toEqual([
      'spec.slaPolicy: Forbidden: only one of percentage, count or coordinator may be set',
    ]);
  });
});

describe('Tier', () => {
  it("seeds Aurora's three tiers, which validate, with preemptible as the default", () => {
    expect(builtinTiers.map((t) => t.metadata.name)).toEqual(['preferred', 'preemptible', 'revocable']);
    for (const t of builtinTiers) expect(admit(tierKind, t).errors, t.metadata.name).toEqual([]);
    const defaults = builtinTiers.filter((t) => t.metadata.labels?.['borealis.dev/default-tier'] === 'true');
    expect(defaults.map((t) => t.metadata.name)).toEqual(['preemptible']);
  });

  it('refuses a revocable tier that is not preemptible', () => {
    const t = {
      apiVersion: 'borealis.dev/v1',
      kind: 'Tier',
      metadata: { name: 'spot' },
      spec: { revocable: true },
    };
    expect(admit(tierKind, t).errors).toEqual([
      'spec.preemptible: Invalid value: false: a revocable tier must be preemptible',
    ]);
  });

  it('refuses to redefine preferred as preemptible: production must stay safe from preemption', () => {
    const t = {
      apiVersion: 'borealis.dev/v1',
      kind: 'Tier',
      metadata: { name: 'preferred' },
      spec: { preemptible: true },
    };
    expect(admit(tierKind, t).errors).toEqual([
      'spec.preemptible: Invalid value: true: tier "preferred" is not preemptible',
    ]);
  });
});

describe('Quota', () => {
  const quota = {
    apiVersion: 'borealis.dev/v1',
    kind: 'Quota',
    metadata: { name: 'production', namespace: 'www-data' },
    spec: { cpus: 10, ramMb: 4096 },
  } as unknown as Quota;

  it('treats an unset amount as zero, never unlimited', () => {
    const { object, errors } = admit(quotaKind, quota);
    expect(errors).toEqual([]);
    expect((object as unknown as Quota).spec).toEqual({ cpus: 10, ramMb: 4096, diskMb: 0 });
  });

  it('rejects a negative amount', () => {
    const bad = variant(quota, (q) => {
      q.spec.cpus = -1;
    });
    expect(admit(quotaKind, bad).errors).toEqual([
      'spec.cpus: Invalid value: -1: spec.cpus in body should be greater than or equal to 0',
    ]);
  });
});
