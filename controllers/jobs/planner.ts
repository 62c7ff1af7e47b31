/**
 * The jobs planner, pure: a Job and every Task it owns in, the plan out. For each instance
 * 0..N-1 it keeps exactly one active task: creates a first task, replaces a task that ended when
 * Aurora's rules say so (Throttled with the flapping penalty when it failed quickly), kills
 * duplicates; beyond N it kills (highest instance first); on deletion it kills everything and
 * releases the finalizer once nothing is left running. It also prunes terminal history and
 * computes the Job status.
 */
import type { Job, JobStatus } from '../../api/v1/job.js';
import type { Task } from '../../api/v1/task.js';
import {
  type AncestorRun,
  decideReschedule,
  type FlappingLimits,
  flappingPenaltyMs,
  isTerminal,
  mayBeRunning,
  runSuffix,
  taskObjectName,
} from '../../pkg/taskstate/index.js';
import { type HistoryLimits, pruneHistory } from './history.js';
import { ancestorsOf, groupByInstance } from './instances.js';
import { computeJobStatus, judgeInstances } from './job-status.js';

export const JOB_FINALIZER = 'borealis.dev/kill-tasks';

export interface NewTask {
  /** Deterministic per logical run (see runSuffix): a repeated create cannot duplicate it. */
  readonly name: string;
  readonly instance: number;
  readonly phase: 'Pending' | 'Throttled';
  /** When a Throttled task may become Pending (ms since epoch). */
  readonly throttledUntilMs?: number;
  readonly failureCount: number;
  readonly ancestor?: string;
  readonly reason: string;
}

export interface TaskAction {
  readonly name: string;
  readonly reason: string;
}

export interface JobPlan {
  readonly addFinalizer: boolean;
  readonly removeFinalizer: boolean;
  readonly create: readonly NewTask[];
  /** Active tasks that may be running on Mesos: move to Killing (the tasks controller kills). */
  readonly kill: readonly TaskAction[];
  /** Task objects to delete: unplaced tasks being killed, and pruned history. */
  readonly remove: readonly TaskAction[];
  /** Throttled tasks whose penalty is over: move to Pending. */
  readonly unthrottle: readonly string[];
  /** Tasks created but never given a status (a crash between the two writes): make them Pending. */
  readonly initialize: readonly string[];
  readonly status: JobStatus;
  /** Run again after this long (the earliest throttle expiry), if anything is waiting on time. */
  readonly requeueAfterMs?: number;
}

export interface PlanContext {
  readonly nowMs: number;
  readonly random: () => number;
  readonly history: HistoryLimits;
  /** Aurora's defaults (5 min threshold, 30 s → 5 min penalty) unless configured. */
  readonly flapping?: FlappingLimits;
}

const ms = (iso: string | undefined): number | undefined => (iso ? Date.parse(iso) : undefined);

function ancestorRun(t: Task): AncestorRun {
  const events = t.status?.events ?? [];
  return {
    activeAtMs: ms(t.status?.startedAt ?? t.status?.assignedAt),
    endedAtMs: ms(t.status?.finishedAt ?? t.status?.lastTransitionTime) ?? 0,
    // Borealis departs from Aurora here: a Lost task (agent gone, master restarted) did not fail
    // by itself, so it does not count as flapping; only tasks that ended on their own do.
    stoppedOnPurpose:
      t.status?.phase === 'Lost' ||
      events.some((e) => e.phase === 'Restarting' || e.phase === 'Killing' || e.phase === 'Draining'),
  };
}

/** Kill or remove an active task, whichever fits its phase. */
function stop(t: Task, reason: string, kill: TaskAction[], remove: TaskAction[]): void {
  const phase = t.status?.phase ?? 'Pending';
  const name = t.metadata.name ?? '';
  if (phase === 'Killing' || isTerminal(phase)) return;
  if (mayBeRunning(phase)) kill.push({ name, reason });
  else remove.push({ name, reason });
}

export function planJob(job: Job, tasks: readonly Task[], ctx: PlanContext): JobPlan {
  const nowIso = new Date(ctx.nowMs).toISOString();
  const deleting = job.metadata.deletionTimestamp !== undefined;
  const hasFinalizer = job.metadata.finalizers?.includes(JOB_FINALIZER) ?? false;
  const instances = groupByInstance(tasks);
  const create: NewTask[] = [];
  const kill: TaskAction[] = [];
  const remove: TaskAction[] = [];
  const unthrottle: string[] = [];
  const failedOut = new Set<number>();
  let wakeAt = Number.POSITIVE_INFINITY;

  // Beyond the instance count (or everything, when the Job is going away): stop, highest first.
  const limit = deleting ? 0 : job.spec.instances;
  for (const group of [...instances.values()].sort((a, b) => b.instance - a.instance)) {
    if (group.instance < limit) continue;
    for (const t of group.runs) stop(t, deleting ? 'job deleted' : 'scaled down', kill, remove);
  }

  for (let i = 0; i < limit; i++) {
    const group = instances.get(i);
    const nameFor = (ancestor: string | undefined): string =>
      taskObjectName({
        job: job.metadata.name ?? '',
        instance: i,
        suffix: runSuffix(job.metadata.uid ?? '', i, ancestor),
      });
    if (!group) {
      create.push({
        name: nameFor(undefined),
        instance: i,
        phase: 'Pending',
        failureCount: 0,
        reason: 'new instance',
      });
      continue;
    }
    for (const dup of group.extraActive) stop(dup, 'duplicate of the current task', kill, remove);
    const current = group.runs[0]!;
    const phase = current.status?.phase ?? 'Pending';
    if (phase === 'Throttled') {
      const until = ms(current.status?.throttledUntil) ?? 0;
      if (until <= ctx.nowMs) unthrottle.push(current.metadata.name ?? '');
      else wakeAt = Math.min(wakeAt, until);
      continue;
    }
    if (!isTerminal(phase)) continue;
    const events = current.status?.events ?? [];
    // Ended because Borealis killed it (scale-down, deletion) yet the instance is wanted again:
    // a fresh run, no failure carried, no penalty.
    if (events.some((e) => e.phase === 'Killing')) {
      const ancestor = current.metadata.name ?? '';
      create.push({
        name: nameFor(ancestor),
        instance: i,
        phase: 'Pending',
        failureCount: 0,
        ancestor,
        reason: 'instance wanted again',
      });
      continue;
    }
    const previous = [...events].reverse().find((e) => !isTerminal(e.phase))?.phase ?? 'Running';
    const decision = decideReschedule({
      terminal: phase as 'Finished' | 'Failed' | 'Killed' | 'Lost',
      previous,
      wasKilling: events.some((e) => e.phase === 'Killing'),
      service: job.spec.service,
      maxTaskFailures: job.spec.maxTaskFailures,
      failuresBefore: current.spec.failureCount,
    });
    if (!decision.reschedule) {
      if (phase === 'Failed') failedOut.add(i);
      continue;
    }
    const penalty = flappingPenaltyMs(
      ancestorsOf(current, group.runs).map(ancestorRun),
      ctx.random,
      ctx.flapping,
    );
    const endedAt = ancestorRun(current).endedAtMs;
    const throttled = penalty > 0 && endedAt + penalty > ctx.nowMs;
    const ancestor = current.metadata.name ?? '';
    const base = {
      name: nameFor(ancestor),
      instance: i,
      failureCount: decision.failureCount,
      ancestor,
      reason: decision.why,
    };
    if (throttled) {
      create.push({ ...base, phase: 'Throttled', throttledUntilMs: endedAt + penalty });
      wakeAt = Math.min(wakeAt, endedAt + penalty);
    } else {
      create.push({ ...base, phase: 'Pending' });
    }
  }

  const live = tasks.filter((t) => !remove.some((r) => r.name === t.metadata.name));
  for (const name of pruneHistory(live, instances, ctx.nowMs, ctx.history))
    remove.push({ name, reason: 'history pruned' });

  const verdicts = judgeInstances(job, instances, failedOut);
  const stillRunning = tasks.some((t) => !isTerminal(t.status?.phase ?? 'Pending'));
  const plan: JobPlan = {
    addFinalizer: !deleting && !hasFinalizer,
    removeFinalizer: deleting && hasFinalizer && !stillRunning,
    create: deleting ? [] : create,
    kill,
    remove,
    unthrottle: deleting ? [] : unthrottle,
    initialize: deleting
      ? []
      : tasks.filter((t) => t.status?.phase === undefined).map((t) => t.metadata.name ?? ''),
    status: computeJobStatus(
      job,
      tasks.filter((t) => !remove.some((r) => r.name === t.metadata.name)),
      instances,
      verdicts,
      nowIso,
    ),
    ...(wakeAt < Number.POSITIVE_INFINITY && !deleting
      ? { requeueAfterMs: Math.max(0, wakeAt - ctx.nowMs) }
      : {}),
  };
  return plan;
}
