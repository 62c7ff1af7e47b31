/**
 * The scheduling vocabulary: what a host offers and what a task asks for, in plain data. Pure
 * planners (placement, preemption) work on these; controllers translate Mesos offers and Task
 * objects into them. Nothing here does I/O or reads a clock.
 */
import type { HostMode } from '../../api/v1/host.js';
import type { Constraint } from '../../api/v1/task-template.js';

export type Tier = 'preferred' | 'preemptible' | 'revocable';

/** An inclusive port range, as Mesos offers them. */
export interface PortRange {
  readonly begin: number;
  readonly end: number;
}

/** Resources free on one host (one or more offers from one agent, merged). */
export interface HostResources {
  readonly cpus: number;
  /** Revocable cpus (oversubscription); only revocable-tier tasks may use them. */
  readonly revocableCpus: number;
  readonly ramMb: number;
  readonly diskMb: number;
  readonly gpus: number;
  readonly ports: readonly PortRange[];
}

/** One host that has offered resources in this round. */
export interface HostOffer {
  readonly hostname: string;
  readonly agentId: string;
  /** The offers this host's free resources came from (all are used or declined together). */
  readonly offerIds: readonly string[];
  /** Attributes by name; `host` is always present and equals the hostname. */
  readonly attributes: Readonly<Record<string, readonly string[]>>;
  readonly free: HostResources;
  /** Maintenance mode of the host (Host object); None when unknown. */
  readonly mode: HostMode;
  /** Start of a Mesos unavailability window (ms since epoch), when the offer carries one. */
  readonly unavailableFromMs?: number;
}

/** What one pending task needs. */
export interface TaskDemand {
  /** Stable name of the task (the Task object's name). */
  readonly name: string;
  /** The job the task belongs to: `<role>/<environment>/<name>`; limit constraints count per job. */
  readonly jobKey: string;
  readonly role: string;
  readonly tier: Tier;
  readonly priority: number;
  readonly cpus: number;
  readonly ramMb: number;
  readonly diskMb: number;
  readonly gpus: number;
  /** Named ports; each gets one host port. */
  readonly ports: readonly string[];
  readonly constraints: readonly Constraint[];
}

/** Why a task cannot go on a host. `kind` groups reasons for the summary on the task's status. */
export interface Veto {
  readonly kind: 'dedicated' | 'maintenance' | 'unavailable' | 'constraint' | 'limit' | 'resource';
  /** Short, stable reason such as "Insufficient cpus" or "limit host:1"; hosts with the same reason are counted together. */
  readonly reason: string;
}
