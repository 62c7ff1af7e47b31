/**
 * The master's records: agents, frameworks, offers and tasks. Plain mutable data; the behaviour
 * lives in the modules that change them (allocator, accept, task-updates, agent-lifecycle...).
 */
import type {
  Attribute,
  FrameworkInfo,
  TaskInfo,
  TaskState,
  TaskStatus,
  TaskStatusReason,
} from '../mesos/types.js';
import type { TimerHandle } from '../runtime/clock.js';
import type { EventStream } from './event-stream.js';
import { EMPTY_RESOURCES, type Resources } from './resources.js';

export const TERMINAL_STATES: ReadonlySet<TaskState> = new Set<TaskState>([
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_LOST',
  'TASK_ERROR',
  'TASK_DROPPED',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
]);

export function isTerminal(state: TaskState): boolean {
  return TERMINAL_STATES.has(state);
}

export interface TaskRecord {
  readonly taskId: string;
  readonly frameworkId: string;
  readonly agentId: string;
  readonly info: TaskInfo;
  readonly resources: Resources;
  /** The latest state on the agent (STAGING until the executor reports). */
  state: TaskState;
  /**
   * The latest state the master has heard of: the agent's state as of its last update to reach
   * the master (Mesos's latest_state). Lags `state` while the agent is cut off.
   */
  masterState: TaskState;
  /** State of the last update forwarded to the framework; reconciliation answers with it. */
  statusUpdateState: TaskState | undefined;
  statusUpdateUuid: string | undefined;
  /** Updates forwarded so far (the agent-side queue lives in the agent's update manager). */
  readonly statuses: TaskStatus[];
  /** Whether the launch reached the agent (not when the agent was cut off at ACCEPT time). */
  delivered: boolean;
  /** Whether the executor has reported anything (a kill before that is a kill during launch). */
  executorStarted: boolean;
  /** Resources already given back (on the first terminal state). */
  resourcesReleased: boolean;
  /** Set while the task's agent is unreachable: the state the master announced for it. */
  unreachableSince: number | undefined;
  /** A KILL the agent did not receive (it was cut off); re-sent when it re-registers. */
  pendingKill: { graceMs?: number } | undefined;
  /** Reason stamped on the executor's kill updates (REASON_AGENT_DRAINING for DRAIN_AGENT). */
  killReason: TaskStatusReason | undefined;
  readonly launchedAt: number;
}

export interface OfferRecord {
  readonly id: string;
  readonly frameworkId: string;
  readonly agentId: string;
  readonly resources: Resources;
}

export interface InverseOfferRecord {
  readonly id: string;
  readonly frameworkId: string;
  readonly agentId: string;
}

export interface OfferFilter {
  readonly resources: Resources;
  readonly expiresAt: number;
}

export type AgentStatus = 'registered' | 'unreachable' | 'removed';

export class AgentNode {
  status: AgentStatus = 'registered';
  /** False while stopped by a fault (the agent process is down). */
  processUp = true;
  /** Set when a stop also killed the tasks: they are reported gone when the agent comes back. */
  tasksDiedWhileStopped = false;
  /** False while partitioned from the master by a fault. */
  networkUp = true;
  /** DRAIN_AGENT: no offers, tasks being killed. */
  drainState: 'DRAINING' | 'DRAINED' | undefined;
  drainConfig: { maxGracePeriodSeconds?: number; markGone?: boolean } | undefined;
  /** Free = total - used - offered. */
  free: Resources;
  used: Resources = EMPTY_RESOURCES;
  offered: Resources = EMPTY_RESOURCES;
  readonly tasks = new Map<string, TaskRecord>();
  readonly offers = new Set<string>();
  registeredAt: number;
  reregisteredAt: number | undefined;
  unreachableSince: number | undefined;
  pingTimer: TimerHandle | undefined;

  constructor(
    readonly id: string,
    readonly index: number,
    readonly hostname: string,
    readonly ip: string,
    readonly attributes: readonly Attribute[],
    readonly total: Resources,
    now: number,
  ) {
    this.free = total;
    this.registeredAt = now;
  }

  /** The master can talk to it and it is not gone. */
  get reachable(): boolean {
    return this.status === 'registered';
  }
}

export class FrameworkRecord {
  connection: EventStream | undefined;
  /** SUPPRESS: no offers until REVIVE. */
  suppressed = false;
  readonly filters = new Map<string, OfferFilter>();
  readonly offers = new Set<string>();
  /** Outstanding inverse offers by agent id. */
  readonly inverseOffers = new Map<string, string>();
  /** After answering an inverse offer: no new one for that agent until this time (refuse_seconds). */
  readonly inverseOfferFilters = new Map<string, number>();
  readonly tasks = new Map<string, TaskRecord>();
  /** Terminal tasks whose last update was acknowledged (kept for /master/state). */
  readonly completedTasks: TaskRecord[] = [];
  failoverTimer: TimerHandle | undefined;
  registeredAt: number;
  reregisteredAt: number | undefined;
  unregisteredAt: number | undefined;

  constructor(
    readonly id: string,
    public info: FrameworkInfo,
    now: number,
  ) {
    this.registeredAt = now;
  }

  get connected(): boolean {
    return this.connection?.isOpen === true;
  }

  hasCapability(type: string): boolean {
    return (this.info.capabilities ?? []).some((c) => c.type === type);
  }

  get partitionAware(): boolean {
    return this.hasCapability('PARTITION_AWARE');
  }

  /** The role offers are allocated to: first of `roles` (MULTI_ROLE), else `role`, else "*". */
  get role(): string {
    return this.info.roles?.[0] ?? this.info.role ?? '*';
  }

  get failoverTimeoutMs(): number {
    return Math.max(0, (this.info.failover_timeout ?? 0) * 1000);
  }
}

export function taskKey(frameworkId: string, taskId: string): string {
  return `${frameworkId}\u0000${taskId}`;
}
