/**
 * Builds the controllers and runs them only while this process leads: informers shared by all,
 * the jobs, tasks, placement and hosts controllers, and the Mesos scheduler connection (which
 * also runs only while leading, so two controller processes never both drive Mesos).
 */
import { userInfo } from 'node:os';
import { EventRecorder } from '../pkg/client/events.js';
import type { BorealisClient } from '../pkg/client/types.js';
import { componentLogger } from '../pkg/log/index.js';
import { buildFrameworkInfo, MesosOperatorClient, MesosSchedulerClient } from '../pkg/mesos/index.js';
import { type Clock, systemClock } from '../pkg/runtime/clock.js';
import { alwaysLeader, type LeaderElector } from '../pkg/runtime/leader-election.js';
import { Manager } from '../pkg/runtime/manager.js';
import type { ScoringPolicyName } from '../pkg/scheduling/index.js';
import type { FlappingLimits } from '../pkg/taskstate/index.js';
import { loadFrameworkId, saveFrameworkId } from './framework-id.js';
import { createHostsController, HOSTS_KEY } from './hosts/controller.js';
import { createJobsController } from './jobs/controller.js';
import { createPlacementController } from './placement/controller.js';
import { buildInformers } from './shared/informers.js';
import { createTasksController } from './tasks/controller.js';

export interface ControllersOptions {
  readonly client: BorealisClient;
  /** Mesos master address(es), e.g. "http://127.0.0.1:5050". */
  readonly masters: readonly string[];
  readonly clock?: Clock;
  readonly elector?: LeaderElector;
  readonly frameworkName?: string;
  readonly role?: string;
  readonly policy?: ScoringPolicyName;
  /** Framework failover timeout (Aurora: 21 days). */
  readonly failoverTimeoutSeconds?: number;
  readonly hostsIntervalMs?: number;
  readonly implicitReconcileMs?: number;
  /** Flapping detection and penalties (Aurora's defaults unless given). */
  readonly flapping?: FlappingLimits;
}

export interface RunningControllers {
  /** Stop controllers and the Mesos connection; tasks keep running on Mesos (failover). */
  stop(): Promise<void>;
  /** The framework id once subscribed. */
  frameworkId(): string | undefined;
}

export async function startControllers(o: ControllersOptions): Promise<RunningControllers> {
  const log = componentLogger('controllers');
  const clock = o.clock ?? systemClock;
  const role = o.role ?? 'borealis';
  const informers = buildInformers(o.client, clock);
  const events = new EventRecorder(o.client, 'borealis-controllers', clock);
  const operator = new MesosOperatorClient({ masters: o.masters });
  const mesos = new MesosSchedulerClient({
    masters: o.masters,
    clock,
    frameworkInfo: buildFrameworkInfo({
      name: o.frameworkName ?? 'borealis',
      user: userInfo().username,
      roles: [role],
      failoverTimeoutSeconds: o.failoverTimeoutSeconds ?? 21 * 24 * 3600,
    }),
    ...(await loadFrameworkId(o.client).then((id) => (id ? { frameworkId: id } : {}))),
    // Offers start only once placement has something to place (it revives then).
    suppressedRoles: [role],
  });
  const jobs = createJobsController({
    client: o.client,
    informers,
    clock,
    events,
    ...(o.flapping ? { flapping: o.flapping } : {}),
  });
  const tasks = createTasksController({
    client: o.client,
    informers,
    mesos,
    clock,
    events,
    ...(o.implicitReconcileMs ? { implicitReconcileMs: o.implicitReconcileMs } : {}),
  });
  const placement = createPlacementController({
    client: o.client,
    informers,
    mesos,
    clock,
    role,
    events,
    subscribesSuppressed: true,
    ...(o.policy ? { policy: o.policy } : {}),
  });
  const hosts = createHostsController({
    client: o.client,
    informers,
    operator,
    clock,
    ...(o.hostsIntervalMs ? { intervalMs: o.hostsIntervalMs } : {}),
  });

  mesos.on('connected', ({ frameworkId, resubscribed }) => {
    log.info({ frameworkId, resubscribed }, 'subscribed to Mesos');
    saveFrameworkId(o.client, frameworkId).catch((err: unknown) =>
      log.error({ err }, 'could not save the framework id'),
    );
    placement.onConnected();
    tasks.onConnected();
  });
  mesos.on('offers', (offers) => placement.onOffers(offers));
  mesos.on('rescind', (offerId) => placement.onRescind(offerId.value));
  mesos.on('update', (status) => void tasks.onUpdate(status));
  mesos.on('mesosError', (err) => log.error({ err }, 'Mesos ended the subscription'));

  const manager = new Manager({
    elector: o.elector ?? alwaysLeader(),
    informers: informers.all,
    controllers: [jobs, tasks.controller, hosts],
    onRunning: () => {
      hosts.enqueue(HOSTS_KEY);
      mesos.start();
    },
    onStopped: (reason) => {
      log.warn({ reason }, 'controllers stopped');
      mesos.stop();
    },
  });
  manager.start();
  return {
    frameworkId: () => mesos.frameworkId,
    stop: async () => {
      tasks.stop();
      placement.stop();
      mesos.stop();
      await manager.stop();
      await operator.close();
    },
  };
}
