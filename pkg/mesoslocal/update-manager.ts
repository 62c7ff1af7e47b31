/**
 * An agent's status update manager: per task, only the head of the update stream is forwarded;
 * it is re-sent with the same uuid (backoff doubling from the initial interval up to the max)
 * until the scheduler acknowledges it, and only then is the next update forwarded. Updates wait
 * here while the agent is cut off from the master or the framework is disconnected.
 */
import type { TaskStatus } from '../mesos/types.js';
import type { Clock, TimerHandle } from '../runtime/clock.js';
import type { TaskRecord } from './model.js';
import { taskKey } from './model.js';

interface Stream {
  readonly task: TaskRecord;
  readonly queue: TaskStatus[];
  timer: TimerHandle | undefined;
  backoffMs: number;
}

export interface UpdateManagerHooks {
  /** Hand the head update to the master (which forwards it if the framework is connected). */
  forward(task: TaskRecord, status: TaskStatus): void;
  /** Whether the agent can reach the master right now. */
  canForward(): boolean;
}

export class StatusUpdateManager {
  private readonly streams = new Map<string, Stream>();

  constructor(
    private readonly clock: Clock,
    private readonly retryMs: number,
    private readonly retryMaxMs: number,
    private readonly hooks: UpdateManagerHooks,
  ) {}

  enqueue(task: TaskRecord, status: TaskStatus): void {
    const key = taskKey(task.frameworkId, task.taskId);
    let stream = this.streams.get(key);
    if (stream === undefined) {
      stream = { task, queue: [], timer: undefined, backoffMs: this.retryMs };
      this.streams.set(key, stream);
    }
    stream.queue.push(status);
    if (stream.queue.length === 1) this.forwardHead(stream);
  }

  /**
   * Acknowledge the head of a task's stream. Returns the acknowledged update, or undefined when
   * the uuid is not the head's (a duplicate or stale ack, which Mesos ignores).
   */
  acknowledge(frameworkId: string, taskId: string, uuid: string): TaskStatus | undefined {
    const key = taskKey(frameworkId, taskId);
    const stream = this.streams.get(key);
    const head = stream?.queue[0];
    if (stream === undefined || head === undefined || head.uuid !== uuid) return undefined;
    stream.queue.shift();
    stream.timer?.cancel();
    stream.timer = undefined;
    stream.backoffMs = this.retryMs;
    if (stream.queue.length === 0) this.streams.delete(key);
    else this.forwardHead(stream);
    return head;
  }

  /** Re-send every head now (framework re-subscribed, agent reconnected), restarting the backoff. */
  flush(frameworkId?: string): void {
    for (const stream of this.streams.values()) {
      if (frameworkId !== undefined && stream.task.frameworkId !== frameworkId) continue;
      stream.timer?.cancel();
      stream.backoffMs = this.retryMs;
      this.forwardHead(stream);
    }
  }

  /** Forget a task's pending updates (framework removed, agent wiped). */
  drop(frameworkId: string, taskId: string): void {
    const key = taskKey(frameworkId, taskId);
    this.streams.get(key)?.timer?.cancel();
    this.streams.delete(key);
  }

  dropAll(): void {
    for (const stream of this.streams.values()) stream.timer?.cancel();
    this.streams.clear();
  }

  pending(frameworkId: string, taskId: string): readonly TaskStatus[] {
    return this.streams.get(taskKey(frameworkId, taskId))?.queue ?? [];
  }

  private forwardHead(stream: Stream): void {
    const head = stream.queue[0];
    if (head === undefined) return;
    if (this.hooks.canForward()) this.hooks.forward(stream.task, head);
    const delay = stream.backoffMs;
    stream.backoffMs = Math.min(stream.backoffMs * 2, this.retryMaxMs);
    stream.timer = this.clock.setTimeout(() => {
      stream.timer = undefined;
      if (this.streams.get(taskKey(stream.task.frameworkId, stream.task.taskId)) === stream) {
        this.forwardHead(stream);
      }
    }, delay);
  }
}
