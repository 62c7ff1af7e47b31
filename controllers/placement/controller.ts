/**
 * The placement controller: matches Pending tasks to Mesos offers. One round per OFFERS event
 * (rounds never overlap; offers arriving during a round wait for the next). A task is written
 * Assigned — with host, agent and ports, guarded by the resourceVersion placement read — before
 * its launch is sent, so a task can never be launched twice. Offers nobody used are declined with
 * a filter; tasks that fit nowhere get the veto summary on their status. With nothing pending,
 * offers are suppressed; a new Pending task revives them.
 */
import type { Host } from '../../api/v1/host.js';
import type { Task, TaskStatus } from '../../api/v1/task.js';
import { type EventRecorder, involvedOf } from '../../pkg/client/events.js';
import { TASKS } from '../../pkg/client/refs.js';
import type { BorealisClient } from '../../pkg/client/types.js';
import { isBorealisError } from '../../pkg/errors/index.js';
import { componentLogger } from '../../pkg/log/index.js';
import type { MesosSchedulerClient } from '../../pkg/mesos/index.js';
import type { Offer } from '../../pkg/mesos/types.js';
import type { Clock, TimerHandle } from '../../pkg/runtime/clock.js';
import type { ScoringPolicyName } from '../../pkg/scheduling/index.js';
import { jobKeyOfTask, type SharedInformers, TASKS_BY_JOB, TASKS_BY_PHASE } from '../shared/informers.js';
import { inParallel } from '../shared/writes.js';
import { withPhase } from '../tasks/status-update.js';
import { OfferPool } from './offer-pool.js';
import { type Launch, planPlacement } from './planner.js';
import { vetoesToRecord } from './vetoes.js';

const FIELD_MANAGER = { fieldManager: 'borealis-placement-controller' };
/** Decline filters: short while tasks wait (so offers come back soon), Aurora's 5 s otherwise. */
const REFUSE_WHILE_PENDING_S = 1;
const REFUSE_IDLE_S = 5;
/** Aurora holds offers 5 min; a few seconds keep placement instant without hoarding the cluster. */
const OFFER_HOLD_MS = 5_000;
const SWEEP_INTERVAL_MS = 1_000;
/** Launches of one round in flight at once (each also writes its tasks 16 at a time). */
const LAUNCH_PARALLELISM = 32;

const hasLimitConstraint = (t: Task): boolean =>
  (t.spec.template.constraints ?? []).some((c) => c.limit !== undefined);

export interface PlacementOptions {
  readonly client: BorealisClient;
  readonly informers: SharedInformers;
  readonly mesos: MesosSchedulerClient;
  readonly clock: Clock;
  readonly role: string;
  readonly policy?: ScoringPolicyName;
  readonly events?: EventRecorder;
  /** How long unused offers are held for tasks that may become Pending (default 5 s). */
  readonly offerHoldMs?: number;
  /** The Mesos client subscribes with our role suppressed (SUBSCRIBE suppressed_roles). */
  readonly subscribesSuppressed?: boolean;
}

export interface PlacementController {
  onOffers(offers: readonly Offer[]): void;
  onRescind(offerId: string): void;
  onConnected(): void;
  stop(): void;
}

export function createPlacementController(o: PlacementOptions): PlacementController {
  const log = componentLogger('controller', { controller: 'placement' });
  const tasks = o.client.resource<Task>(TASKS);
  const pool = new OfferPool(o.offerHoldMs ?? OFFER_HOLD_MS);
  let wanted = false;
  let running = false;
  let suppressed = false;
  let sweepTimer: TimerHandle | undefined;

  // A task this process already wrote (Assigned) or lost a write race on is not placed again
  // until the informer shows a newer version: re-placing a copy the lagging cache still shows
  // Pending cost a conflicting write per round.
  const pendingTasks = (): readonly Task[] => {
    if (!o.informers.tasks.hasSynced()) return [];
    const pending = o.informers.tasks.byIndex(TASKS_BY_PHASE, 'Pending');
    const writes = o.informers.taskWrites;
    return writes.size === 0 ? pending : pending.filter((t) => !writes.isBehind(t));
  };

  const revive = (): void => {
    if (!suppressed) return;
    suppressed = false;
    o.mesos.calls.revive().catch((err: unknown) => {
      // Still suppressed on the master: the next sweep asks again (no offer would ever come).
      suppressed = true;
      log.warn({ err }, 'revive not sent; trying again in a second');
    });
  };

  /** Write Assigned for each task of a launch; only those written are launched. */
  const assign = async (launch: Launch, nowIso: string): Promise<Launch['tasks'][number][]> => {
    const written: Launch['tasks'][number][] = [];
    await inParallel(launch.tasks, 16, async (entry) => {
      const { task, assignment } = entry;
      const status: TaskStatus = {
        ...withPhase(task.status ?? {}, 'Assigned', nowIso),
        host: assignment.hostname,
        agentId: assignment.agentId,
        ports: { ...assignment.ports },
      };
      delete status.vetoes;
      delete status.vetoesObservedAt;
      try {
        o.informers.taskWrites.wrote(await tasks.updateStatus({ ...task, status }, FIELD_MANAGER));
        written.push(entry);
      } catch (err) {
        // Changed since we read it (killed, or assigned by an earlier round): leave it be.
        if (!isBorealisError(err, 'Conflict') && !isBorealisError(err, 'NotFound')) throw err;
        o.informers.taskWrites.lostRace(task);
      }
    });
    return written;
  };

  /** Hand back to Mesos the offers held too long; with nothing pending, stop the offers coming. */
  const sweep = async (): Promise<void> => {
    const idle = pendingTasks().length === 0;
    if (!idle) revive();
    const expired = pool.expired(o.clock.now());
    if (expired.length > 0) {
      await o.mesos.calls.decline(
        expired.map((x) => x.id),
        { refuse_seconds: idle ? REFUSE_IDLE_S : REFUSE_WHILE_PENDING_S },
      );
    }
    // Suppressed as soon as nothing waits, even while holding offers: at 10,000 agents the pool
    // was never empty (each agent's offer came back as another expired), so nothing was ever
    // suppressed, and every agent's offer cycled hold → decline → re-offer every few seconds.
    if (idle && !suppressed) {
      suppressed = true;
      await o.mesos.calls.suppress().catch((err: unknown) => {
        suppressed = false; // not suppressed on the master: the next idle sweep asks again
        throw err;
      });
    }
  };

  const round = async (offers: readonly Offer[], until: ReadonlyMap<string, number>): Promise<void> => {
    const pending = pendingTasks();
    if (pending.length === 0) {
      pool.giveBack(offers, until, o.clock.now());
      return;
    }
    // Limit constraints count the job's active tasks; only jobs with such a constraint pay for
    // that scan (at 100,000 tasks it was a pass over every task of every job, every round).
    const limited = new Set(pending.filter(hasLimitConstraint).map(jobKeyOfTask));
    const jobTasks = [...limited].flatMap((k) => o.informers.tasks.byIndex(TASKS_BY_JOB, k));
    const hosts = new Map<string, Host>(o.informers.hosts.list().map((h) => [h.metadata.name ?? '', h]));
    const plan = planPlacement({
      pending,
      jobTasks,
      hosts,
      offers,
      role: o.role,
      policy: o.policy ?? 'pack',
      nowMs: o.clock.now(),
    });
    const nowIso = new Date(o.clock.now()).toISOString();
    const byId = new Map(offers.map((x) => [x.id.value, x]));
    const unused = [...plan.decline];
    // Launches go to different agents with disjoint tasks, so they proceed side by side: one
    // after another, a round cost (agents x write latency) and capped launch throughput.
    await inParallel(plan.launches, LAUNCH_PARALLELISM, async (launch) => {
      const ready = await assign(launch, nowIso);
      if (ready.length === 0) {
        unused.push(...launch.offerIds);
        return;
      }
      try {
        await o.mesos.calls.launch(
          launch.offerIds,
          ready.map((r) => r.info),
          { refuse_seconds: REFUSE_WHILE_PENDING_S },
        );
      } catch (err) {
        log.warn({ err, tasks: ready.length }, 'launch failed; marking its tasks Lost so they are replaced');
        // An ACCEPT that never reached the master leaves its offers outstanding, and a master
        // without --offer_timeout never offers that agent's resources again: decline them (an
        // offer the launch did use is no longer valid, and the master ignores it). Declined at
        // once, not held: a held offer that the launch did use would fail the next launch too.
        await o.mesos.calls
          .decline(launch.offerIds, { refuse_seconds: REFUSE_WHILE_PENDING_S })
          .catch((declineErr: unknown) =>
            log.warn({ err: declineErr }, 'declining a failed launch’s offers failed'),
          );
        await inParallel(ready, 16, async ({ task }) => {
          const fresh = await tasks.get(task.metadata.namespace, task.metadata.name ?? '');
          if (fresh?.status?.phase === 'Assigned') {
            await tasks
              .updateStatus(
                { ...fresh, status: withPhase(fresh.status, 'Lost', nowIso, 'launch failed') },
                FIELD_MANAGER,
              )
              .catch(() => undefined);
          }
        });
      }
    });
    // Offers no task took stay in hand for a while: the next Pending task goes straight onto them.
    pool.giveBack(
      unused.map((id) => byId.get(id)).filter((x): x is Offer => x !== undefined),
      until,
      o.clock.now(),
    );
    // Tell tasks that keep waiting why — not every round's new count of hosts (see vetoes.ts).
    await inParallel(
      vetoesToRecord(plan.unplaced, o.clock.now(), plan.decline.length > 0),
      16,
      async ({ task, reason }) => {
        const status: TaskStatus = { ...(task.status ?? {}), vetoes: [{ reason }], vetoesObservedAt: nowIso };
        await tasks.updateStatus({ ...task, status }, FIELD_MANAGER).catch(() => undefined);
        const job = { ...involvedOf('Job', task), name: task.spec.jobName };
        const message = `task ${task.metadata.name} (instance ${task.spec.instance}) cannot be placed: ${reason}`;
        o.events?.record(job, 'Warning', 'Unschedulable', message);
      },
    );
  };

  /** Rounds never overlap; a request during a round runs one more round after it. */
  const drain = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      while (wanted) {
        wanted = false;
        const { offers, until } = pool.takeAll();
        if (offers.length === 0) continue;
        await round(offers, until).catch(async (err: unknown) => {
          // Hand the offers back so their resources are not held forever (offers a launch
          // already used are ignored by the master).
          log.warn({ err }, 'placement round failed; declining its offers');
          await o.mesos.calls
            .decline(
              offers.map((x) => x.id),
              { refuse_seconds: REFUSE_WHILE_PENDING_S },
            )
            .catch(() => undefined);
        });
      }
    } finally {
      running = false;
    }
  };
  const requestRound = (): void => {
    wanted = true;
    void drain();
  };

  const scheduleSweep = (): void => {
    sweepTimer?.cancel();
    sweepTimer = o.clock.setTimeout(() => {
      void sweep()
        .catch((err: unknown) => log.warn({ err }, 'declining held offers failed'))
        .finally(scheduleSweep);
    }, SWEEP_INTERVAL_MS);
  };

  const onPending = (t: Task): void => {
    if (t.status?.phase !== 'Pending') return;
    if (pool.size > 0) requestRound();
    revive(); // the offers in hand may not be enough
  };
  o.informers.tasks.addEventHandler({ onAdd: onPending, onUpdate: (_old, t) => onPending(t) });

  return {
    onOffers: (offers) => {
      pool.add(offers, o.clock.now());
      requestRound();
    },
    onRescind: (offerId) => pool.rescind(offerId),
    onConnected: () => {
      // A new subscription: earlier offers are void; it starts as it subscribed. Subscribing
      // suppressed spares a restarted scheduler every agent's offer while it resyncs (10,000
      // at scale); the first sweep that finds a Pending task revives.
      pool.clear();
      suppressed = o.subscribesSuppressed ?? false;
      scheduleSweep();
    },
    stop: () => {
      sweepTimer?.cancel();
      pool.clear();
    },
  };
}
