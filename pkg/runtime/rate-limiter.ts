/**
 * Rate limiters for work queues: how long a key must wait before it is retried. Same model as
 * client-go's workqueue limiters: a per-key exponential backoff (so one failing key backs off
 * without slowing the others) combined with a global token bucket (so a storm of failures across
 * many keys cannot hammer etcd or Mesos). The combined delay is the larger of the two.
 */
import type { Clock } from './clock.js';

export interface RateLimiter {
  /** Record one more failure of `key` and return how long (ms) it must wait before the retry. */
  when(key: string): number;
  /** The key succeeded: forget its failure history. */
  forget(key: string): void;
  /** Failures recorded for `key` since the last forget. */
  numRequeues(key: string): number;
}

/** base * 2^(failures-1), capped at max. Defaults as client-go: 5 ms doubling up to 1000 s. */
export class ExponentialFailureRateLimiter implements RateLimiter {
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly baseMs = 5,
    private readonly maxMs = 1_000_000,
  ) {}

  when(key: string): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    // 2 ** n overflows to Infinity long after the cap applies, so the min keeps it finite.
    return Math.min(this.maxMs, this.baseMs * 2 ** n);
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  numRequeues(key: string): number {
    return this.failures.get(key) ?? 0;
  }
}

export interface TokenBucketOptions {
  /** Sustained retries per second across all keys (default 10). */
  readonly qps?: number;
  /** Retries allowed at once before the rate applies (default 100). */
  readonly burst?: number;
  readonly clock: Clock;
}

/**
 * A token bucket that hands out reservations: every call takes a token now or, when the bucket is
 * empty, reserves a future one and returns the wait. Tokens may go negative (like Go's
 * rate.Limiter.Reserve), which is what spaces a burst of retries out at exactly `qps`.
 */
export class TokenBucketRateLimiter implements RateLimiter {
  private readonly qps: number;
  private readonly burst: number;
  private readonly clock: Clock;
  private tokens: number;
  private last: number;

  constructor(options: TokenBucketOptions) {
    this.qps = options.qps ?? 10;
    this.burst = options.burst ?? 100;
    if (!(this.qps > 0) || !(this.burst >= 1))
      throw new RangeError('token bucket needs qps > 0 and burst >= 1');
    this.clock = options.clock;
    this.tokens = this.burst;
    this.last = this.clock.now();
  }

  when(_key: string): number {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.qps) / 1000);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / this.qps);
  }

  forget(_key: string): void {}

  numRequeues(_key: string): number {
    return 0;
  }
}

/** The longest wait any of the limiters asks for. */
export class MaxOfRateLimiter implements RateLimiter {
  private readonly limiters: readonly RateLimiter[];

  constructor(...limiters: RateLimiter[]) {
    this.limiters = limiters;
  }

  when(key: string): number {
    // Every limiter must record the failure, so no short-circuit.
    return Math.max(0, ...this.limiters.map((l) => l.when(key)));
  }

  forget(key: string): void {
    for (const l of this.limiters) l.forget(key);
  }

  numRequeues(key: string): number {
    return Math.max(0, ...this.limiters.map((l) => l.numRequeues(key)));
  }
}

export interface ControllerRateLimiterOptions {
  readonly clock: Clock;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly qps?: number;
  readonly burst?: number;
}

/** The default for controllers: per-key 5 ms → 1000 s backoff under a 10 qps / burst 100 bucket. */
export function defaultControllerRateLimiter(options: ControllerRateLimiterOptions): RateLimiter {
  return new MaxOfRateLimiter(
    new ExponentialFailureRateLimiter(options.baseDelayMs, options.maxDelayMs),
    new TokenBucketRateLimiter({
      clock: options.clock,
      ...(options.qps === undefined ? {} : { qps: options.qps }),
      ...(options.burst === undefined ? {} : { burst: options.burst }),
    }),
  );
}
