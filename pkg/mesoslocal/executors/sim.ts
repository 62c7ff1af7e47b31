/**
 * The simulated executor: tasks cost nothing but a few timers, so one process can host thousands
 * of agents. By default a task starts at once and runs until killed. Its behaviour can be scripted
 * with task labels (or, failing those, environment variables of its command):
 *
 *   label                  env                    meaning
 *   sim.start_delay_ms     SIM_START_DELAY_MS     time before TASK_STARTING (task stays STAGING)
 *   sim.run_delay_ms       SIM_RUN_DELAY_MS       time from TASK_STARTING to TASK_RUNNING
 *   sim.exit_after_ms      SIM_EXIT_AFTER_MS      exit this long after RUNNING...
 *   sim.exit_code          SIM_EXIT_CODE          ...with this code (0 = TASK_FINISHED, else TASK_FAILED)
 *   sim.unhealthy_after_ms SIM_UNHEALTHY_AFTER_MS  with a health_check: start failing it after this long
 *   sim.kill_delay_ms      SIM_KILL_DELAY_MS      time from TASK_KILLING to TASK_KILLED (capped by grace)
 *
 * Health checks behave like the command executor's: the first healthy result is reported as
 * TASK_RUNNING healthy=true, each failure as healthy=false, and after `consecutive_failures`
 * failures the task is killed (TASK_KILLED, healthy=false). All timers run on the injected Clock.
 */
import type { Clock, TimerHandle } from '../../runtime/clock.js';
import type { Executor, ExecutorReport, ExecutorTaskSpec } from './types.js';

interface SimTask {
  readonly spec: ExecutorTaskSpec;
  readonly report: (update: ExecutorReport) => void;
  readonly timers: Set<TimerHandle>;
  phase: 'staging' | 'starting' | 'running' | 'killing' | 'done';
}

interface SimBehaviour {
  readonly startDelayMs: number;
  readonly runDelayMs: number;
  readonly exitAfterMs: number | undefined;
  readonly exitCode: number;
  readonly unhealthyAfterMs: number | undefined;
  readonly killDelayMs: number;
}

interface SimHealthCheck {
  readonly delayMs: number;
  readonly intervalMs: number;
  readonly consecutiveFailures: number;
}

function readNumber(spec: ExecutorTaskSpec, label: string, env: string): number | undefined {
  const raw = spec.labels[label] ?? spec.env[env];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? value : undefined;
}

export function simBehaviour(spec: ExecutorTaskSpec): SimBehaviour {
  return {
    startDelayMs: readNumber(spec, 'sim.start_delay_ms', 'SIM_START_DELAY_MS') ?? 0,
    runDelayMs: readNumber(spec, 'sim.run_delay_ms', 'SIM_RUN_DELAY_MS') ?? 0,
    exitAfterMs: readNumber(spec, 'sim.exit_after_ms', 'SIM_EXIT_AFTER_MS'),
    exitCode: readNumber(spec, 'sim.exit_code', 'SIM_EXIT_CODE') ?? 0,
    unhealthyAfterMs: readNumber(spec, 'sim.unhealthy_after_ms', 'SIM_UNHEALTHY_AFTER_MS'),
    killDelayMs: readNumber(spec, 'sim.kill_delay_ms', 'SIM_KILL_DELAY_MS') ?? 0,
  };
}

/** The health check's timing, with Mesos's defaults (delay 15 s, interval 10 s, 3 failures). */
function readHealthCheck(raw: unknown): SimHealthCheck | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const hc = raw as Record<string, unknown>;
  const seconds = (key: string, fallback: number): number =>
    typeof hc[key] === 'number' ? (hc[key] as number) : fallback;
  return {
    delayMs: seconds('delay_seconds', 15) * 1000,
    // A zero interval would spin; Mesos rejects it, we clamp it.
    intervalMs: Math.max(1, seconds('interval_seconds', 10) * 1000),
    consecutiveFailures: Math.max(1, seconds('consecutive_failures', 3)),
  };
}

export class SimExecutor implements Executor {
  private readonly tasks = new Map<string, SimTask>();

  constructor(private readonly clock: Clock) {}

  launch(spec: ExecutorTaskSpec, report: (update: ExecutorReport) => void): void {
    const task: SimTask = { spec, report, timers: new Set(), phase: 'staging' };
    this.tasks.set(spec.taskId, task);
    const behaviour = simBehaviour(spec);
    this.after(task, behaviour.startDelayMs, () => {
      task.phase = 'starting';
      report({ taskId: spec.taskId, state: 'TASK_STARTING' });
      this.after(task, behaviour.runDelayMs, () => this.run(task, behaviour));
    });
  }

  kill(taskId: string, gracePeriodMs?: number): void {
    const task = this.tasks.get(taskId);
    if (task === undefined || task.phase === 'done' || task.phase === 'killing') return;
    this.cancelTimers(task);
    task.phase = 'killing';
    task.report({ taskId, state: 'TASK_KILLING' });
    const grace = gracePeriodMs ?? task.spec.killGracePeriodMs;
    const delay = Math.min(simBehaviour(task.spec).killDelayMs, grace);
    this.after(task, delay, () =>
      this.finish(task, {
        taskId,
        state: 'TASK_KILLED',
        message: 'Command terminated with signal Terminated',
      }),
    );
  }

  async shutdown(): Promise<void> {
    for (const task of this.tasks.values()) this.cancelTimers(task);
    this.tasks.clear();
  }

  /** Tasks this executor still runs (for tests and state). */
  runningTaskIds(): string[] {
    return [...this.tasks.keys()];
  }

  private run(task: SimTask, behaviour: SimBehaviour): void {
    const taskId = task.spec.taskId;
    task.phase = 'running';
    task.report({ taskId, state: 'TASK_RUNNING' });
    if (behaviour.exitAfterMs !== undefined) {
      const code = behaviour.exitCode;
      this.after(task, behaviour.exitAfterMs, () =>
        this.finish(
          task,
          code === 0
            ? { taskId, state: 'TASK_FINISHED', message: 'Command exited with status 0' }
            : {
                taskId,
                state: 'TASK_FAILED',
                message: `Command exited with status ${code}`,
                reason: 'REASON_COMMAND_EXECUTOR_FAILED',
              },
        ),
      );
    }
    const health = readHealthCheck(task.spec.healthCheck);
    if (health !== undefined) this.scheduleHealth(task, health, behaviour.unhealthyAfterMs);
  }

  private scheduleHealth(task: SimTask, health: SimHealthCheck, unhealthyAfterMs: number | undefined): void {
    const taskId = task.spec.taskId;
    const reason = 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED';
    let healthy: boolean | undefined;
    let failures = 0;
    const startedAt = this.clock.now();
    const check = (): void => {
      const failing = unhealthyAfterMs !== undefined && this.clock.now() - startedAt >= unhealthyAfterMs;
      if (!failing) {
        failures = 0;
        if (healthy !== true) task.report({ taskId, state: 'TASK_RUNNING', healthy: true, reason });
        healthy = true;
      } else {
        failures++;
        healthy = false;
        if (failures >= health.consecutiveFailures) {
          this.finish(task, {
            taskId,
            state: 'TASK_KILLED',
            healthy: false,
            message: `Task killed after ${failures} consecutive failed health checks`,
          });
          return;
        }
        task.report({ taskId, state: 'TASK_RUNNING', healthy: false, reason });
      }
      this.after(task, health.intervalMs, check);
    };
    this.after(task, health.delayMs, check);
  }

  private finish(task: SimTask, update: ExecutorReport): void {
    if (task.phase === 'done') return;
    this.cancelTimers(task);
    task.phase = 'done';
    this.tasks.delete(task.spec.taskId);
    task.report(update);
  }

  /** Run `fn` after `ms`; at 0 it runs at once, so a default sim task reports without a timer. */
  private after(task: SimTask, ms: number, fn: () => void): void {
    if (ms <= 0) {
      fn();
      return;
    }
    const handle = this.clock.setTimeout(() => {
      task.timers.delete(handle);
      fn();
    }, ms);
    task.timers.add(handle);
  }

  private cancelTimers(task: SimTask): void {
    for (const t of task.timers) t.cancel();
    task.timers.clear();
  }
}
