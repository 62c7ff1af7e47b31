/**
 * The hosts controller: mirrors Mesos agents into Host objects (hostname, agent id, attributes,
 * total and allocated resources, Ready), polling the operator API. Maintenance mode is the
 * maintenance controller's and is never changed here.
 */
import type { Host } from '../../api/v1/host.js';
import { HOSTS } from '../../pkg/client/refs.js';
import type { BorealisClient } from '../../pkg/client/types.js';
import type { MesosOperatorClient } from '../../pkg/mesos/index.js';
import type { Clock } from '../../pkg/runtime/clock.js';
import { Controller } from '../../pkg/runtime/controller.js';
import type { SharedInformers } from '../shared/informers.js';
import { idempotent, inParallel } from '../shared/writes.js';
import { planHosts, usageWritesPerPoll } from './planner.js';

const FIELD_MANAGER = { fieldManager: 'borealis-hosts-controller' };
export const HOSTS_KEY = 'agents';

export interface HostsControllerOptions {
  readonly client: BorealisClient;
  readonly informers: SharedInformers;
  readonly operator: MesosOperatorClient;
  readonly clock: Clock;
  /** How often agents are polled (default 10 s). */
  readonly intervalMs?: number;
}

export function createHostsController(o: HostsControllerOptions): Controller {
  const hosts = o.client.resource<Host>(HOSTS);
  const interval = o.intervalMs ?? 10_000;
  const controller = new Controller({
    name: 'hosts',
    clock: o.clock,
    waitFor: [o.informers.hosts, o.informers.tasks],
    reconcile: async () => {
      const agents = await o.operator.getAgents();
      const plan = planHosts(
        agents.agents ?? [],
        o.informers.hosts.list(),
        o.informers.tasks.list(),
        new Date(o.clock.now()).toISOString(),
        usageWritesPerPoll(agents.agents?.length ?? 0, interval),
      );
      await inParallel(plan.create, 8, async (w) => {
        const created = await idempotent(() =>
          hosts.create(
            { apiVersion: 'borealis.dev/v1', kind: 'Host', metadata: { name: w.name }, spec: w.spec },
            FIELD_MANAGER,
          ),
        );
        if (created) await hosts.updateStatus({ ...created, status: w.status }, FIELD_MANAGER);
      });
      await inParallel(plan.updateSpec, 8, async (w) => {
        await hosts.update({ ...w.existing!, spec: w.spec }, FIELD_MANAGER);
      });
      await inParallel(plan.updateStatus, 8, async (w) => {
        if (plan.updateSpec.some((s) => s.name === w.name)) return; // next round, with the new revision
        await hosts.updateStatus({ ...w.existing!, status: w.status }, FIELD_MANAGER);
      });
      return { requeueAfterMs: interval };
    },
  });
  controller.enqueue(HOSTS_KEY);
  return controller;
}
