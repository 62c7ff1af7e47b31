/**
 * Pure builders for scheduler call bodies, and the checks the client makes before sending, so a
 * mistake fails here with a clear message instead of as a 400 from the master.
 */
import { MesosCallRejected } from './errors.js';
import type {
  AgentID,
  CallReconcileTask,
  FrameworkCapabilityType,
  FrameworkInfo,
  KillPolicy,
  OfferID,
  TaskID,
  TaskStatus,
} from './types.js';

/** An id as `{value}` or as its bare string. */
export type IdLike = string | { readonly value: string };

export function toId(id: IdLike): { value: string } {
  return typeof id === 'string' ? { value: id } : { value: id.value };
}

export function toIds(ids: readonly IdLike[]): OfferID[] {
  return ids.map(toId);
}

/** Capabilities a service scheduler wants by default (see the FrameworkInfo docs in mesos.proto). */
export const DEFAULT_CAPABILITIES: readonly FrameworkCapabilityType[] = [
  'PARTITION_AWARE',
  'TASK_KILLING_STATE',
  'MULTI_ROLE',
  'REVOCABLE_RESOURCES',
];

export interface FrameworkInfoInput {
  readonly name: string;
  readonly user: string;
  /** Roles the framework subscribes with (MULTI_ROLE); default ["*"]. */
  readonly roles?: readonly string[];
  /** Seconds the master keeps tasks while the scheduler is away (Aurora used 21 days). */
  readonly failoverTimeoutSeconds?: number;
  readonly capabilities?: readonly FrameworkCapabilityType[];
  readonly principal?: string;
  readonly hostname?: string;
  readonly webuiUrl?: string;
  readonly checkpoint?: boolean;
}

/** A FrameworkInfo with the default capabilities; pass the result to the client. */
export function buildFrameworkInfo(input: FrameworkInfoInput): FrameworkInfo {
  const info: FrameworkInfo = {
    name: input.name,
    user: input.user,
    roles: [...(input.roles ?? ['*'])],
    failover_timeout: input.failoverTimeoutSeconds ?? 0,
    checkpoint: input.checkpoint ?? true,
    capabilities: (input.capabilities ?? DEFAULT_CAPABILITIES).map((type) => ({ type })),
  };
  if (input.principal !== undefined) info.principal = input.principal;
  if (input.hostname !== undefined) info.hostname = input.hostname;
  if (input.webuiUrl !== undefined) info.webui_url = input.webuiUrl;
  return info;
}

/** True when this update must be acknowledged (it carries a uuid: a reliable update). */
export function needsAcknowledgement(status: TaskStatus): boolean {
  return typeof status.uuid === 'string' && status.uuid.length > 0;
}

/** The ACKNOWLEDGE body for a status, or MesosCallRejected when the status cannot be acknowledged. */
export function acknowledgementFor(status: TaskStatus): { agent_id: AgentID; task_id: TaskID; uuid: string } {
  const what = `update for task ${status.task_id.value} (${status.state}${status.source ? ` from ${status.source}` : ''})`;
  if (!needsAcknowledgement(status)) {
    throw new MesosCallRejected(
      `${what} carries no uuid: only reliable updates are acknowledged (master-generated ones, such as reconciliation answers, are not)`,
    );
  }
  if (!status.agent_id)
    throw new MesosCallRejected(`${what} carries no agent_id, which ACKNOWLEDGE requires`);
  const uuid = status.uuid as string;
  const bytes = Buffer.from(uuid, 'base64');
  if (bytes.byteLength !== 16 || bytes.toString('base64').replace(/=+$/, '') !== uuid.replace(/=+$/, '')) {
    throw new MesosCallRejected(`${what} has uuid "${uuid}", which is not base64 of 16 bytes`);
  }
  return { agent_id: toId(status.agent_id), task_id: toId(status.task_id), uuid };
}

export interface KillOptions {
  readonly agentId?: IdLike;
  /** Overrides the task's KillPolicy grace period. */
  readonly gracePeriodMs?: number;
  /** A full KillPolicy (wins over gracePeriodMs). */
  readonly killPolicy?: KillPolicy;
}

export function killBody(taskId: IdLike, options: KillOptions = {}) {
  const body: { task_id: TaskID; agent_id?: AgentID; kill_policy?: KillPolicy } = { task_id: toId(taskId) };
  if (options.agentId !== undefined) body.agent_id = toId(options.agentId);
  if (options.killPolicy !== undefined) body.kill_policy = options.killPolicy;
  else if (options.gracePeriodMs !== undefined) {
    body.kill_policy = { grace_period: { nanoseconds: Math.round(options.gracePeriodMs * 1e6) } };
  }
  return body;
}

/** A task to reconcile: its id, and its agent when known (lets the master answer precisely). */
export interface ReconcileTaskInput {
  readonly taskId: IdLike;
  readonly agentId?: IdLike;
}

export function reconcileTasks(tasks: readonly ReconcileTaskInput[]): CallReconcileTask[] {
  return tasks.map((t) =>
    t.agentId === undefined
      ? { task_id: toId(t.taskId) }
      : { task_id: toId(t.taskId), agent_id: toId(t.agentId) },
  );
}

/** Roles list for REVIVE/SUPPRESS: omitted when empty, which means every role. */
export function rolesBody(roles: readonly string[] | undefined): { roles?: string[] } {
  return roles && roles.length > 0 ? { roles: [...roles] } : {};
}
