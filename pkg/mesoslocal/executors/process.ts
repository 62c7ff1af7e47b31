/**
 * The `process` executor: each task's command runs as a real process on this machine under
 * `sh -c`, in its own sandbox and process group, health-checked and killed the way Mesos's
 * command executor does it. Used by `borealis up`.
 *
 * Conventions a task author sees:
 * - environment: this process's, then the task's, then PORT0..N, PORT (= PORT0), PORT_<NAME>,
 *   PORTS, MESOS_TASK_ID, MESOS_SANDBOX, MESOS_AGENT_ID, HOST (assigned values win);
 * - output is appended to <sandbox>/stdout and <sandbox>/stderr (COMMAND check output too);
 * - a health check's port may name an assigned port ("http", "PORT1"), see process/health-config;
 * - a task is its process group: processes that call setsid() themselves escape kill and cleanup.
 */
import { componentLogger } from '../../log/index.js';
import { type Clock, systemClock } from '../../runtime/clock.js';
import { TaskRun } from './process/task-run.js';
import type { Executor, ExecutorReport, ExecutorTaskSpec } from './types.js';

export { portEnvName } from './process/env.js';
export { type HealthCheckConfig, parseHealthCheck, resolvePort } from './process/health-config.js';

export interface ProcessExecutorOptions {
  /** Drives health-check scheduling and the kill grace period. Default: the system clock. */
  readonly clock?: Clock;
  /** Environment every task starts from, before its own. Default: this process's environment. */
  readonly baseEnv?: Readonly<Record<string, string | undefined>>;
  /** How long to wait for a task's processes to vanish after SIGKILL. Default 10 s. */
  readonly groupExitTimeoutMs?: number;
}

const log = componentLogger('executor', { executor: 'process' });

export class ProcessExecutor implements Executor {
  private readonly tasks = new Map<string, TaskRun>();
  private readonly clock: Clock;
  private readonly baseEnv: Readonly<Record<string, string | undefined>>;
  private readonly groupExitTimeoutMs: number;

  constructor(options: ProcessExecutorOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.baseEnv = options.baseEnv ?? process.env;
    this.groupExitTimeoutMs = options.groupExitTimeoutMs ?? 10_000;
  }

  launch(spec: ExecutorTaskSpec, report: (update: ExecutorReport) => void): void {
    if (this.tasks.has(spec.taskId)) {
      // Reporting anything would speak for the task that is already running under this id.
      log.error({ taskId: spec.taskId }, 'launch of a task that is already running ignored');
      return;
    }
    const run = new TaskRun(spec, report, {
      clock: this.clock,
      baseEnv: this.baseEnv,
      groupExitTimeoutMs: this.groupExitTimeoutMs,
      log: log.child({ taskId: spec.taskId }),
    });
    this.tasks.set(spec.taskId, run);
    void run.done.then(() => this.tasks.delete(spec.taskId));
    run.start();
  }

  kill(taskId: string, gracePeriodMs?: number): void {
    const run = this.tasks.get(taskId);
    if (run === undefined) {
      log.debug({ taskId }, 'kill of a task that is not running ignored');
      return;
    }
    run.kill(gracePeriodMs ?? run.killGracePeriodMs);
  }

  /** Kills every task without grace; tasks launched meanwhile are killed too. The executor stays usable. */
  async shutdown(): Promise<void> {
    while (this.tasks.size > 0) {
      const runs = [...this.tasks.values()];
      for (const run of runs) run.kill(0);
      await Promise.all(runs.map((run) => run.done));
    }
  }

  /** The process group (pid of the task's shell) of a running task; undefined once it ended. */
  processGroupOf(taskId: string): number | undefined {
    return this.tasks.get(taskId)?.processGroup;
  }
}
