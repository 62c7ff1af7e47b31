/**
 * One task of the process executor, from launch to its terminal report. It follows Mesos's
 * command executor (src/launcher/executor.cpp): STARTING, RUNNING once the process exists,
 * health updates as RUNNING + healthy, KILLING then SIGTERM and SIGKILL after the grace period
 * on a kill, and a terminal update worded "Command exited with status N".
 *
 * Unlike Mesos there is no container to destroy, so when the command's shell exits the rest of
 * its process group is SIGKILLed, and the terminal update is sent only once none of it is left.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../../log/index.js';
import type { Clock, TimerHandle } from '../../../runtime/clock.js';
import type { ExecutorReport, ExecutorTaskSpec } from '../types.js';
import { taskEnvironment } from './env.js';
import { describeExit } from './exit-status.js';
import { HealthChecker, type HealthStatus } from './health-checker.js';
import { type HealthCheckConfig, parseHealthCheck } from './health-config.js';
import { runProbe } from './health-probe.js';
import { killGroupAndWait, signalGroup } from './process-group.js';

export interface TaskRunOptions {
  readonly clock: Clock;
  readonly baseEnv: Readonly<Record<string, string | undefined>>;
  /** How long to wait for the task's process group to disappear after its shell exited. */
  readonly groupExitTimeoutMs: number;
  readonly log: Logger;
}

const HEALTH_REASON = 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED';

export class TaskRun {
  /** Resolves after the terminal report, when no process of the task is left. */
  readonly done: Promise<void>;
  private resolveDone: () => void = () => {};
  private pgid: number | undefined;
  private health: HealthChecker | undefined;
  private spawned = false;
  private killed = false;
  private killedByHealthCheck = false;
  private terminated = false;
  private pendingKillMs: number | undefined;
  private killStartedAt = 0;
  private escalationAt = 0;
  private escalation: TimerHandle | undefined;

  constructor(
    private readonly spec: ExecutorTaskSpec,
    private readonly report: (update: ExecutorReport) => void,
    private readonly options: TaskRunOptions,
  ) {
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  get killGracePeriodMs(): number {
    return this.spec.killGracePeriodMs;
  }

  /** Process group id (the shell's pid) while the task runs. */
  get processGroup(): number | undefined {
    return this.terminated ? undefined : this.pgid;
  }

  start(): void {
    const { spec } = this;
    this.send({ state: 'TASK_STARTING' });
    let healthConfig: HealthCheckConfig | undefined;
    try {
      if (spec.healthCheck !== undefined) healthConfig = parseHealthCheck(spec.healthCheck, spec.ports);
    } catch (err) {
      // The master should have refused it (TASK_ERROR); running the task unchecked would hide it.
      this.finish({
        state: 'TASK_FAILED',
        reason: 'REASON_TASK_INVALID',
        message: `Invalid health check: ${message(err)}`,
      });
      return;
    }
    const env = taskEnvironment(spec, this.options.baseEnv);
    let child: ChildProcess;
    try {
      mkdirSync(spec.sandboxDir, { recursive: true });
      const out = openSync(join(spec.sandboxDir, 'stdout'), 'a');
      const err = openSync(join(spec.sandboxDir, 'stderr'), 'a');
      try {
        // detached: the shell leads a new session and process group, which kill() signals whole.
        child = spawn('sh', ['-c', spec.command], {
          cwd: spec.sandboxDir,
          env,
          stdio: ['ignore', out, err],
          detached: true,
        });
      } finally {
        closeSync(out);
        closeSync(err);
      }
    } catch (err) {
      this.launchFailed(err);
      return;
    }
    child.once('error', (err) => {
      if (!this.spawned) this.launchFailed(err);
      else this.options.log.error({ err }, 'task process error');
    });
    child.once('spawn', () => this.onSpawn(child, healthConfig, env));
    child.once('exit', (code, signal) => void this.reaped(code, signal));
  }

  /** Kill with `gracePeriodMs` between SIGTERM and SIGKILL; repeated kills may only shorten it. */
  kill(gracePeriodMs: number): void {
    if (this.terminated) return;
    const grace = Math.max(0, gracePeriodMs);
    if (!this.spawned) {
      // Launch still in progress: kill right after RUNNING so the reports stay in order.
      this.pendingKillMs = Math.min(this.pendingKillMs ?? grace, grace);
      return;
    }
    const { clock } = this.options;
    if (this.killed) {
      const deadline = this.killStartedAt + grace;
      if (deadline >= this.escalationAt) return;
      this.escalation?.cancel();
      this.scheduleEscalation(deadline - clock.now(), deadline);
      return;
    }
    this.killed = true;
    this.health?.pause();
    this.send({ state: 'TASK_KILLING' });
    this.options.log.info(
      { pgid: this.pgid, gracePeriodMs: grace },
      'sending SIGTERM to the task process group',
    );
    if (this.pgid !== undefined) signalGroup(this.pgid, 'SIGTERM');
    this.killStartedAt = clock.now();
    this.scheduleEscalation(grace, this.killStartedAt + grace);
  }

  private scheduleEscalation(delayMs: number, at: number): void {
    this.escalationAt = at;
    if (delayMs <= 0) {
      this.escalate();
      return;
    }
    this.escalation = this.options.clock.setTimeout(() => this.escalate(), delayMs);
  }

  private escalate(): void {
    this.escalation = undefined;
    if (this.terminated || this.pgid === undefined) return;
    this.options.log.info(
      { pgid: this.pgid },
      'grace period over, sending SIGKILL to the task process group',
    );
    signalGroup(this.pgid, 'SIGKILL');
  }

  private onSpawn(
    child: ChildProcess,
    healthConfig: HealthCheckConfig | undefined,
    env: Record<string, string>,
  ): void {
    this.spawned = true;
    this.pgid = child.pid;
    this.options.log.info({ pid: child.pid }, 'task process started');
    this.send({ state: 'TASK_RUNNING' });
    if (healthConfig !== undefined) this.startHealthChecks(healthConfig, env);
    if (this.pendingKillMs !== undefined) this.kill(this.pendingKillMs);
  }

  private startHealthChecks(config: HealthCheckConfig, env: Record<string, string>): void {
    const ctx = { cwd: this.spec.sandboxDir, env, stderrPath: join(this.spec.sandboxDir, 'stderr') };
    this.health = new HealthChecker(
      config,
      () => runProbe(config.probe, config.timeoutMs, ctx),
      this.options.clock,
      (status) => this.onHealth(status),
      (error) => this.options.log.info({ error }, 'ignoring health check failure: still in grace period'),
    );
  }

  private onHealth(status: HealthStatus): void {
    // Like Mesos, no health updates once a kill started or the task ended.
    if (this.killed || this.terminated) return;
    if (!status.healthy) {
      this.options.log.warn(
        { error: status.error, consecutiveFailures: status.consecutiveFailures },
        'health check failed',
      );
    }
    this.send({ state: 'TASK_RUNNING', healthy: status.healthy, reason: HEALTH_REASON });
    if (status.killTask) {
      this.killedByHealthCheck = true;
      this.kill(this.spec.killGracePeriodMs);
    }
  }

  private async reaped(code: number | null, signal: NodeJS.Signals | null): Promise<void> {
    if (this.terminated) return;
    this.terminated = true;
    this.health?.pause();
    this.escalation?.cancel();
    const description = `Command ${describeExit(code, signal)}`;
    this.options.log.info({ code, signal, killed: this.killed }, description);
    if (this.pgid !== undefined) {
      const gone = await killGroupAndWait(this.pgid, this.options.groupExitTimeoutMs);
      if (!gone) this.options.log.error({ pgid: this.pgid }, 'processes of the task survived SIGKILL');
    }
    if (this.killed) {
      this.finish({
        state: 'TASK_KILLED',
        message: description,
        ...(this.killedByHealthCheck ? { healthy: false } : {}),
      });
    } else {
      this.finish({ state: code === 0 ? 'TASK_FINISHED' : 'TASK_FAILED', message: description });
    }
  }

  private launchFailed(err: unknown): void {
    if (this.terminated) return;
    this.terminated = true;
    this.options.log.error({ err }, 'failed to launch the task');
    // Mesos's executor aborts here and the agent reports the task failed with this reason.
    this.finish({
      state: 'TASK_FAILED',
      reason: 'REASON_EXECUTOR_TERMINATED',
      message: `Failed to launch task subprocess: ${message(err)}`,
    });
  }

  private finish(update: Omit<ExecutorReport, 'taskId'>): void {
    this.terminated = true;
    this.send(update);
    this.resolveDone();
  }

  private send(update: Omit<ExecutorReport, 'taskId'>): void {
    try {
      this.report({ taskId: this.spec.taskId, ...update });
    } catch (err) {
      // A failing receiver must not stop the task's own bookkeeping (kill, cleanup, done).
      this.options.log.error({ err, state: update.state }, 'report callback threw');
    }
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
