/**
 * Creations the jobs controller made that its informer has not shown yet (Kubernetes' ReplicaSet
 * "expectations"). While a job has any, it is not planned again: planning from a cache that
 * lags its own writes saw tasks missing and created them again — under etcd write load most
 * reconciles of a big launch did, each a wasted create ending in AlreadyExists. An expectation
 * that is never observed (a create lost with the process that made it) lapses after a while.
 */
import type { Clock } from '../../pkg/runtime/clock.js';

export const EXPECTATION_TIMEOUT_MS = 60_000;

export class CreationExpectations {
  /** job key → task names not yet seen, and when the oldest was expected. */
  private readonly pending = new Map<string, { names: Set<string>; sinceMs: number }>();

  constructor(private readonly clock: Clock) {}

  expect(jobKey: string, taskName: string): void {
    const entry = this.pending.get(jobKey) ?? { names: new Set<string>(), sinceMs: this.clock.now() };
    entry.names.add(taskName);
    this.pending.set(jobKey, entry);
  }

  /** The informer shows this task (added, or seen in any later state). */
  observed(jobKey: string, taskName: string): void {
    const entry = this.pending.get(jobKey);
    if (!entry) return;
    entry.names.delete(taskName);
    if (entry.names.size === 0) this.pending.delete(jobKey);
  }

  /** True when every creation for the job has been observed (or they lapsed). */
  satisfied(jobKey: string): boolean {
    const entry = this.pending.get(jobKey);
    if (!entry) return true;
    if (this.clock.now() - entry.sinceMs < EXPECTATION_TIMEOUT_MS) return false;
    this.pending.delete(jobKey);
    return true;
  }

  forget(jobKey: string): void {
    this.pending.delete(jobKey);
  }
}
