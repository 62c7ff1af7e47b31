/**
 * Expiry of keys written with a TTL. Tracks each key's expiry time and the revision that set it;
 * when the earliest one comes due (by the injected clock) it hands every due key to the store,
 * which deletes it through a normal guarded transaction, so expiry emits an ordinary delete event
 * and never removes a key that was rewritten in the meantime.
 */
import type { Clock, TimerHandle } from '../../runtime/clock.js';

export interface DueKey {
  readonly key: string;
  readonly revision: number;
}

export class TtlSweeper {
  private readonly expiries = new Map<string, { at: number; revision: number }>();
  private timer: TimerHandle | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly onDue: (keys: readonly DueKey[]) => Promise<void>,
  ) {}

  track(key: string, revision: number, expiresAt: number | undefined): void {
    if (expiresAt === undefined) {
      this.expiries.delete(key);
      return;
    }
    this.expiries.set(key, { at: expiresAt, revision });
    if (expiresAt < this.timerAt) this.schedule(expiresAt);
  }

  forget(key: string): void {
    this.expiries.delete(key);
  }

  /** Check for due keys on the next tick (after a restart, some may be overdue). */
  sweepSoon(): void {
    if (this.expiries.size > 0) this.schedule(this.clock.now());
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  private schedule(at: number): void {
    if (this.stopped) return;
    this.timer?.cancel();
    this.timerAt = at;
    this.timer = this.clock.setTimeout(() => void this.sweep(), Math.max(0, at - this.clock.now()));
  }

  private async sweep(): Promise<void> {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    const now = this.clock.now();
    const due: DueKey[] = [];
    let next = Number.POSITIVE_INFINITY;
    for (const [key, e] of this.expiries) {
      if (e.at <= now) due.push({ key, revision: e.revision });
      else if (e.at < next) next = e.at;
    }
    for (const d of due) this.expiries.delete(d.key);
    if (next < Number.POSITIVE_INFINITY) this.schedule(next);
    if (due.length > 0) await this.onDue(due);
  }
}
