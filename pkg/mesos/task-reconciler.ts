/**
 * Explicit task reconciliation as the Mesos reconciliation guide prescribes: ask the master about
 * the listed tasks, count a task as answered when any status update for it arrives, and ask again
 * (with backoff) about the ones still unanswered — the master stays silent about tasks on agents
 * it is still recovering. A failed call counts as an ask nobody answered. One round runs at a
 * time; a round ends when the stream drops, because the owner starts a fresh one on the next
 * `connected`.
 */
import { type Clock, systemClock, type TimerHandle } from '../runtime/clock.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import { MesosConnectionError } from './errors.js';
import { type ReconcileTaskInput, toId } from './scheduler-calls.js';
import type { MesosSchedulerClient } from './scheduler-client.js';
import type { TaskStatus } from './types.js';

export interface TaskReconcilerOptions {
  readonly clock?: Clock;
  /** Wait between asks (default 5 s doubling to 60 s, small jitter). */
  readonly backoff?: BackoffOptions;
  /** Asks before giving up on the remaining tasks (default 6). */
  readonly maxAttempts?: number;
  /** Tasks named per RECONCILE call (default 2,000); an ask sends its calls one after another. */
  readonly batchSize?: number;
}

export interface ReconcileResult {
  /** The first update received for each answered task. */
  readonly answers: ReadonlyMap<string, TaskStatus>;
  /** Tasks the master never answered about (after maxAttempts asks). */
  readonly unanswered: readonly string[];
  readonly attempts: number;
}

export class TaskReconciler {
  private readonly clock: Clock;
  private readonly backoffOptions: BackoffOptions;
  private readonly maxAttempts: number;
  private readonly batchSize: number;
  /** The round in flight; the next waits for it (one round at a time). */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly client: MesosSchedulerClient,
    options: TaskReconcilerOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.backoffOptions = { initialMs: 5000, maxMs: 60_000, jitter: 0.2, ...options.backoff };
    this.maxAttempts = options.maxAttempts ?? 6;
    this.batchSize = Math.max(1, options.batchSize ?? 2000);
  }

  /** Reconcile these tasks; starts after any round in flight. Rejects if the stream drops. */
  reconcile(tasks: readonly ReconcileTaskInput[]): Promise<ReconcileResult> {
    const round = this.tail.then(
      () => this.run(tasks),
      () => this.run(tasks),
    );
    this.tail = round.catch(() => undefined);
    return round;
  }

  private run(tasks: readonly ReconcileTaskInput[]): Promise<ReconcileResult> {
    const pending = new Map(tasks.map((t) => [toId(t.taskId).value, t]));
    const answers = new Map<string, TaskStatus>();
    const backoff = new Backoff(this.backoffOptions);
    let attempts = 0;
    let timer: TimerHandle | undefined;
    let done = false;

    return new Promise<ReconcileResult>((resolve, reject) => {
      const finish = (error?: Error): void => {
        if (done) return;
        done = true;
        timer?.cancel();
        this.client.off('update', onUpdate);
        this.client.off('disconnected', onDisconnected);
        if (error) reject(error);
        else resolve({ answers, unanswered: [...pending.keys()], attempts });
      };
      const onUpdate = (status: TaskStatus): void => {
        const id = status.task_id.value;
        if (!pending.delete(id)) return;
        answers.set(id, status);
        if (pending.size === 0) finish();
      };
      const onDisconnected = (): void =>
        finish(new MesosConnectionError('reconciliation interrupted: the event stream dropped', ''));
      const ask = (): void => {
        if (done) return;
        if (pending.size === 0 || attempts >= this.maxAttempts) {
          finish();
          return;
        }
        attempts++;
        // A call that fails (a kept-alive socket the master just closed: "socket hang up") is
        // an ask without answers: asked again after the backoff. Only a dropped stream ends the
        // round; ending it here left reconciliation undone until the next reconnect.
        const next = (): void => {
          if (!done) timer = this.clock.setTimeout(ask, backoff.next());
        };
        this.askInBatches([...pending.values()], () => done).then(next, next);
      };
      this.client.on('update', onUpdate);
      this.client.on('disconnected', onDisconnected);
      ask();
    });
  }

  /**
   * One ask, as calls of `batchSize` tasks sent one after another: a single call naming 100,000
   * tasks is a ~15 MB body the master answers with 100,000 updates in one go. Tasks answered
   * while earlier batches were in flight are still asked about (harmless: one more answer).
   */
  private async askInBatches(tasks: readonly ReconcileTaskInput[], stopped: () => boolean): Promise<void> {
    for (let i = 0; i < tasks.length && !stopped(); i += this.batchSize) {
      await this.client.calls.reconcile(tasks.slice(i, i + this.batchSize));
    }
  }
}
