/**
 * Mesos's health-check state machine (src/checks/health_checker.cpp), independent of how a
 * single check is performed:
 * - the first check runs `delay` after launch, the next one `interval` after the previous one
 *   finished or timed out;
 * - failures are ignored while the grace period (counted from launch, so it includes the delay)
 *   lasts, but only until the first success;
 * - every counted failure is reported (unhealthy), a success only when it is the first one or
 *   follows failures;
 * - once consecutive failures reach `consecutive_failures`, the report asks to kill the task.
 * Scheduling uses the injected Clock.
 */
import type { Clock, TimerHandle } from '../../../runtime/clock.js';
import type { HealthCheckConfig } from './health-config.js';
import type { ProbeResult } from './health-probe.js';

export interface HealthStatus {
  readonly healthy: boolean;
  readonly consecutiveFailures: number;
  /** The task must be killed: consecutive failures reached the limit. */
  readonly killTask: boolean;
  /** Why the last check failed, for logs. */
  readonly error?: string;
}

export class HealthChecker {
  private readonly startedAt: number;
  private timer: TimerHandle | undefined;
  private paused = false;
  private initializing = true;
  private consecutiveFailures = 0;

  constructor(
    private readonly config: HealthCheckConfig,
    private readonly check: () => Promise<ProbeResult>,
    private readonly clock: Clock,
    private readonly onStatus: (status: HealthStatus) => void,
    private readonly onIgnoredFailure: (error: string) => void = () => {},
  ) {
    this.startedAt = clock.now();
    this.schedule(config.delayMs);
  }

  /** Stop checking (task killed or exited); a check in flight is not reported. */
  pause(): void {
    this.paused = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  private schedule(ms: number): void {
    if (this.paused) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      void this.perform();
    }, ms);
  }

  private async perform(): Promise<void> {
    if (this.paused) return;
    let result: ProbeResult;
    try {
      result = await this.check();
    } catch (err) {
      result = { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    if (this.paused) return;
    if (result.ok) this.success();
    else this.failure(result.error);
    this.schedule(this.config.intervalMs);
  }

  private failure(error: string): void {
    const grace = this.config.gracePeriodMs;
    if (this.initializing && grace > 0 && this.clock.now() - this.startedAt <= grace) {
      this.onIgnoredFailure(error);
      return;
    }
    this.consecutiveFailures++;
    this.onStatus({
      healthy: false,
      consecutiveFailures: this.consecutiveFailures,
      killTask: this.consecutiveFailures >= this.config.consecutiveFailures,
      error,
    });
  }

  private success(): void {
    if (this.initializing || this.consecutiveFailures > 0) {
      this.onStatus({ healthy: true, consecutiveFailures: 0, killTask: false });
      this.initializing = false;
    }
    this.consecutiveFailures = 0;
  }
}
