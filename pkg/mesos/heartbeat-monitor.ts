/**
 * Detects a silently dead event stream. Mesos sends a HEARTBEAT every
 * `heartbeat_interval_seconds`; a TCP connection can die without a FIN (partition, a middlebox
 * dropping state), so the only sign is silence. After `missedIntervals` intervals without any
 * event the stream is declared dead.
 */
import type { Clock, TimerHandle } from '../runtime/clock.js';

export class HeartbeatMonitor {
  private timer: TimerHandle | undefined;
  private timeoutMs = 0;
  private lastBeat = 0;

  constructor(
    private readonly clock: Clock,
    private readonly onSilence: (silentForMs: number) => void,
  ) {}

  /** Start (or restart) watching: silence longer than `timeoutMs` calls onSilence once. */
  arm(timeoutMs: number): void {
    this.timeoutMs = timeoutMs;
    this.beat();
  }

  /** Any sign of life (an event, even a partial chunk) resets the countdown. */
  beat(): void {
    this.timer?.cancel();
    this.lastBeat = this.clock.now();
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.onSilence(this.clock.now() - this.lastBeat);
    }, this.timeoutMs);
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }
}
