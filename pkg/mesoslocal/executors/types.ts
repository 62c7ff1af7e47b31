/**
 * The contract between the embedded master's agents and the executors that run tasks on them.
 * The master turns what an executor reports into Mesos TaskStatus updates (uuid, reliable
 * delivery, acknowledgement); executors only say what happened to the task.
 *
 * Two executors implement it: `sim` (simulated tasks, for scale) and `process` (the task's
 * command as a real process under `sh -c`, for `borealis up`).
 */

/** A task as an executor sees it, already resolved from the TaskInfo by the agent. */
export interface ExecutorTaskSpec {
  readonly taskId: string;
  readonly agentId: string;
  readonly hostname: string;
  /** Shell command (CommandInfo.value with shell=true). */
  readonly command: string;
  /** Environment from CommandInfo.environment, before the executor adds PORT0.., MESOS_* etc. */
  readonly env: Readonly<Record<string, string>>;
  /** Ports assigned from the offer's port ranges, in order; `name` from DiscoveryInfo when given. */
  readonly ports: readonly { readonly number: number; readonly name?: string }[];
  /** Per-task sandbox directory (created by the agent). */
  readonly sandboxDir: string;
  /** TaskInfo.labels as a map (the sim executor reads its behaviour from these). */
  readonly labels: Readonly<Record<string, string>>;
  /** TaskInfo.health_check as Mesos JSON (type HTTP/TCP/COMMAND, delay/interval/timeout/grace...). */
  readonly healthCheck?: unknown;
  /** KillPolicy grace period, default 3 s like Mesos's command executor. */
  readonly killGracePeriodMs: number;
}

export type ExecutorTaskState =
  | 'TASK_STARTING'
  | 'TASK_RUNNING'
  | 'TASK_KILLING'
  | 'TASK_FINISHED'
  | 'TASK_FAILED'
  | 'TASK_KILLED';

export interface ExecutorReport {
  readonly taskId: string;
  readonly state: ExecutorTaskState;
  /** Present on health-check results (the command executor sends a RUNNING update with healthy). */
  readonly healthy?: boolean;
  readonly message?: string;
  /** Mesos reason, e.g. REASON_COMMAND_EXECUTOR_FAILED, REASON_TASK_HEALTH_CHECK_STATUS_UPDATED. */
  readonly reason?: string;
}

export interface Executor {
  /** Start the task; every state change is passed to `report`, in order. */
  launch(spec: ExecutorTaskSpec, report: (update: ExecutorReport) => void): void;
  /** Kill the task: graceful signal, then forced after `gracePeriodMs` (overrides the spec's). */
  kill(taskId: string, gracePeriodMs?: number): void;
  /** Kill everything at once and wait until all processes are gone (agent stop / shutdown). */
  shutdown(): Promise<void>;
}
