/**
 * The tasks controller: Mesos is the truth about tasks.
 * - Status updates become Task status (Aurora's mapping), and are acknowledged only after the
 *   write is durable; an update for a task Borealis does not know, or has finished with, gets
 *   the task killed.
 * - Per Task (a keyed reconcile): Killing tasks get Mesos kills, re-sent with backoff 15 s → 5 min;
 *   transient phases time out to Lost after 5 minutes; Partitioned follows the job's policy.
 * - After every (re)subscribe, explicit reconciliation of every task Borealis thinks is live;
 *   periodically, implicit reconciliation (Mesos reports every task it has, unknown ones die).
 */
import type { Task } from '../../api/v1/task.js';
import { type EventRecorder, involvedOf } from '../../pkg/client/events.js';
import { TASKS } from '../../pkg/client/refs.js';
import type { BorealisClient } from '../../pkg/client/types.js';
import { isBorealisError } from '../../pkg/errors/index.js';
import { componentLogger } from '../../pkg/log/index.js';
import { type MesosSchedulerClient, needsAcknowledgement, TaskReconciler } from '../../pkg/mesos/index.js';
import type { TaskStatus as MesosTaskStatus } from '../../pkg/mesos/types.js';
import { objectKey } from '../../pkg/runtime/cache.js';
import type { Clock } from '../../pkg/runtime/clock.js';
import { Controller, type ReconcileResult } from '../../pkg/runtime/controller.js';
import { isTerminal, mayBeRunning } from '../../pkg/taskstate/index.js';
import type { SharedInformers } from '../shared/informers.js';
import { mesosIdOfTask, taskKeyOfMesosId } from '../shared/task-ids.js';
import { applyMesosUpdate, withPhase } from './status-update.js';
import { checkTimers, killRetryDelayMs } from './timers.js';

const FIELD_MANAGER = { fieldManager: 'borealis-tasks-controller' };
const MAX_WRITE_ATTEMPTS = 5;

export interface TasksControllerOptions {
  readonly client: BorealisClient;
  readonly informers: SharedInformers;
  readonly mesos: MesosSchedulerClient;
  readonly clock: Clock;
  /** Implicit reconciliation period (Aurora: 60 min). */
  readonly implicitReconcileMs?: number;
  readonly events?: EventRecorder;
}

export interface TasksController {
  readonly controller: Controller;
  onUpdate(status: MesosTaskStatus): Promise<void>;
  onConnected(): void;
  stop(): void;
}

export function createTasksController(o: TasksControllerOptions): TasksController {
  const log = componentLogger('controller', { controller: 'tasks' });
  const tasks = o.client.resource<Task>(TASKS);
  const killAttempts = new Map<string, { attempts: number; nextAtMs: number }>();
  const reconciler = new TaskReconciler(o.mesos, { clock: o.clock });
  let implicitTimer: { cancel(): void } | undefined;
  const nowIso = (): string => new Date(o.clock.now()).toISOString();

  const current = async (
    key: string,
    namespace: string,
    name: string,
    fresh: boolean,
  ): Promise<Task | undefined> => {
    if (!fresh && o.informers.tasks.hasSynced()) {
      // What this process last wrote (placement's Assigned, our own updates) may be newer.
      const newest = o.informers.taskWrites.newest(key, o.informers.tasks.get(key));
      // Mesos reports only launched tasks, and a task is written Assigned before its launch: a
      // copy that is still Pending or Throttled is certainly stale.
      const phase = newest?.status?.phase ?? 'Pending';
      if (newest && phase !== 'Pending' && phase !== 'Throttled') return newest;
    }
    return tasks.get(namespace, name);
  };

  const kill = (taskId: string, agentId: string | undefined): void => {
    o.mesos.calls
      .kill(taskId, agentId ? { agentId } : {})
      .catch((err: unknown) => log.warn({ err, taskId }, 'kill not sent; will retry'));
  };

  /** Record a Mesos update on its Task; resolves once durable (or known to need no write). */
  const record = async (status: MesosTaskStatus): Promise<void> => {
    const taskId = status.task_id.value;
    const alive =
      status.state === 'TASK_RUNNING' || status.state === 'TASK_STARTING' || status.state === 'TASK_STAGING';
    const ref = taskKeyOfMesosId(taskId);
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const task = ref ? await current(ref.key, ref.namespace, ref.name, attempt > 0) : undefined;
      if (!task) {
        if (alive) {
          log.info({ taskId }, 'Mesos runs a task Borealis does not know; killing it');
          kill(taskId, status.agent_id?.value);
        }
        return;
      }
      const outcome = applyMesosUpdate(task, status, nowIso());
      if (outcome.kill) kill(taskId, status.agent_id?.value ?? task.status?.agentId);
      if (!outcome.status) return;
      try {
        o.informers.taskWrites.wrote(
          await tasks.updateStatus({ ...task, status: outcome.status }, FIELD_MANAGER),
        );
        return;
      } catch (err) {
        if (!isBorealisError(err, 'Conflict')) throw err;
      }
    }
    throw new Error(
      `could not record ${status.state} for ${taskId} after ${MAX_WRITE_ATTEMPTS} conflicting writes`,
    );
  };

  const onUpdate = async (status: MesosTaskStatus): Promise<void> => {
    try {
      await record(status);
    } catch (err) {
      // Not acknowledged: Mesos re-sends it, and we try again then.
      log.warn({ err, taskId: status.task_id.value, state: status.state }, 'status update not recorded');
      return;
    }
    if (needsAcknowledgement(status)) {
      await o.mesos.calls
        .acknowledge(status)
        .catch((err: unknown) => log.warn({ err }, 'acknowledge failed; Mesos will re-send'));
    }
  };

  const reconcile = async (key: string): Promise<ReconcileResult> => {
    const task = o.informers.tasks.get(key);
    if (!task) {
      killAttempts.delete(key);
      return {};
    }
    const phase = task.status?.phase ?? 'Pending';
    let recheck: number | undefined;
    if (phase === 'Killing') {
      if (!task.status?.agentId) {
        // Never reached Mesos: nothing to kill.
        await tasks.updateStatus(
          { ...task, status: withPhase(task.status ?? {}, 'Killed', nowIso(), 'killed before launch') },
          FIELD_MANAGER,
        );
        return {};
      }
      const now = o.clock.now();
      const k = killAttempts.get(key) ?? { attempts: 0, nextAtMs: now };
      if (now >= k.nextAtMs && o.mesos.state === 'connected') {
        kill(mesosIdOfTask(task), task.status.agentId);
        k.attempts++;
        k.nextAtMs = now + killRetryDelayMs(k.attempts);
      }
      killAttempts.set(key, k);
      recheck = Math.max(1, k.nextAtMs - now);
    } else {
      killAttempts.delete(key);
    }
    const timers = checkTimers(task, o.clock.now());
    if (timers.lose) {
      await tasks.updateStatus(
        { ...task, status: withPhase(task.status ?? {}, 'Lost', nowIso(), timers.lose) },
        FIELD_MANAGER,
      );
      const job = { ...involvedOf('Job', task), name: task.spec.jobName };
      o.events?.record(job, 'Warning', 'TaskLost', `task ${task.metadata.name}: ${timers.lose}`);
      if (mayBeRunning(phase) && task.status?.agentId) kill(mesosIdOfTask(task), task.status.agentId);
      return {};
    }
    if (timers.recheckAfterMs !== undefined)
      recheck = Math.min(recheck ?? Number.POSITIVE_INFINITY, timers.recheckAfterMs);
    return recheck === undefined ? {} : { requeueAfterMs: recheck };
  };

  const controller = new Controller({
    name: 'tasks',
    workers: 4,
    clock: o.clock,
    reconcile,
    waitFor: [o.informers.tasks],
  });
  const watchTask = (t: Task): void => {
    const phase = t.status?.phase ?? 'Pending';
    if (phase !== 'Pending' && phase !== 'Running' && !isTerminal(phase)) controller.enqueue(objectKey(t));
  };
  o.informers.tasks.addEventHandler({ onAdd: watchTask, onUpdate: (_old, t) => watchTask(t) });

  const explicitReconcile = async (): Promise<void> => {
    await o.informers.tasks.waitForSync();
    const live = o.informers.tasks
      .list()
      .filter((t) => t.status?.agentId && !isTerminal(t.status?.phase ?? 'Pending'))
      .map((t) => ({ taskId: mesosIdOfTask(t), agentId: t.status!.agentId! }));
    if (live.length === 0) return;
    const result = await reconciler.reconcile(live);
    log.info({ asked: live.length, unanswered: result.unanswered.length }, 'explicit reconciliation done');
  };

  const scheduleImplicit = (): void => {
    implicitTimer?.cancel();
    implicitTimer = o.clock.setTimeout(
      () => {
        o.mesos.calls
          .reconcileAll()
          .catch((err: unknown) => log.warn({ err }, 'implicit reconciliation not sent'));
        scheduleImplicit();
      },
      o.implicitReconcileMs ?? 60 * 60 * 1000,
    );
  };

  return {
    controller,
    onUpdate,
    onConnected: () => {
      explicitReconcile().catch((err: unknown) => log.warn({ err }, 'explicit reconciliation interrupted'));
      scheduleImplicit();
    },
    stop: () => implicitTimer?.cancel(),
  };
}
