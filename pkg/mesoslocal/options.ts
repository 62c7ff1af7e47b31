/**
 * Options of the embedded master, with the defaults a real Mesos cluster would have, and their
 * resolution into the values the modules use.
 */
import { type Clock, systemClock } from '../runtime/clock.js';
import type { Executor } from './executors/types.js';
import type { Range } from './ranges.js';

export interface AgentResourceOptions {
  readonly cpus?: number;
  readonly mem?: number;
  readonly disk?: number;
  readonly ports?: readonly Range[];
  readonly gpus?: number;
  /** Revocable cpus on top of `cpus` (offered only to REVOCABLE_RESOURCES frameworks). */
  readonly revocableCpus?: number;
}

export type ExecutorFactory = (context: { readonly clock: Clock; readonly sandboxRoot: string }) => Executor;

export interface MesosLocalOptions {
  /** Number of agents (default 1). */
  readonly agents?: number;
  /** Resources of every agent (default cpus 4, mem 8192, disk 20000, ports [31000-32000]). */
  readonly agentResources?: AgentResourceOptions;
  /**
   * Agent attributes. A list value spreads agents over its values: agent i gets value i mod n.
   * Every agent also has `host` (its hostname) unless given here.
   */
  readonly attributes?: Readonly<Record<string, string | readonly string[]>>;
  /** 'sim' (default), 'process' (needs the process executor), or a factory. */
  readonly executor?: 'sim' | 'process' | ExecutorFactory;
  /** Allocation round interval (Mesos's --allocation_interval, default 1000 ms). */
  readonly allocationIntervalMs?: number;
  /** How long an agent may miss pings before it is marked unreachable (default 75 s = 15 s x 5). */
  readonly agentPingTimeoutMs?: number;
  /** SUBSCRIBED's heartbeat_interval_seconds and the heartbeat period (default 15). */
  readonly heartbeatIntervalSeconds?: number;
  /** First re-send of an unacknowledged status update (default 10 s), doubling up to the max (10 min). */
  readonly statusUpdateRetryMs?: number;
  readonly statusUpdateRetryMaxMs?: number;
  /** What a master restart keeps: 'keep-state' (registry kept) or 'lose-state' (default 'keep-state'). */
  readonly masterFailover?: 'keep-state' | 'lose-state';
  /** After a restart, how long the master answers 503 "Master has not finished recovery" (default 0). */
  readonly masterRecoveryMs?: number;
  /** After a state-losing master restart, how long agents take to re-register (default 0). */
  readonly agentReregisterDelayMs?: number;
  /** Default refuse_seconds when a DECLINE/ACCEPT gives none (Mesos: 5). */
  readonly defaultRefuseSeconds?: number;
  /** Most offers in one OFFERS event (default 500). */
  readonly maxOffersPerEvent?: number;
  /** Agents examined per allocation slice before yielding the event loop (default 250). */
  readonly allocationSliceSize?: number;
  /** 'split' gives each agent a disjoint slice of the port ranges (default for 'process'). */
  readonly portsPerAgent?: 'shared' | 'split';
  readonly hostnamePrefix?: string;
  /** Root of per-task sandbox directories (process executor). */
  readonly sandboxRoot?: string;
  readonly clock?: Clock;
  /** HTTP port; 0 picks a free one (default 0). */
  readonly port?: number;
  readonly host?: string;
}

export interface ResolvedOptions {
  readonly agents: number;
  readonly agentResources: Required<Omit<AgentResourceOptions, 'ports'>> & {
    readonly ports: readonly Range[];
  };
  readonly attributes: Readonly<Record<string, string | readonly string[]>>;
  readonly executor: 'sim' | 'process' | ExecutorFactory;
  readonly allocationIntervalMs: number;
  readonly agentPingTimeoutMs: number;
  readonly heartbeatIntervalSeconds: number;
  readonly statusUpdateRetryMs: number;
  readonly statusUpdateRetryMaxMs: number;
  readonly masterFailover: 'keep-state' | 'lose-state';
  readonly masterRecoveryMs: number;
  readonly agentReregisterDelayMs: number;
  readonly defaultRefuseSeconds: number;
  readonly maxOffersPerEvent: number;
  readonly allocationSliceSize: number;
  readonly portsPerAgent: 'shared' | 'split';
  readonly hostnamePrefix: string;
  readonly sandboxRoot: string;
  readonly clock: Clock;
  readonly port: number;
  readonly host: string;
}

export function resolveOptions(o: MesosLocalOptions): ResolvedOptions {
  const executor = o.executor ?? 'sim';
  return {
    agents: o.agents ?? 1,
    agentResources: {
      cpus: o.agentResources?.cpus ?? 4,
      mem: o.agentResources?.mem ?? 8192,
      disk: o.agentResources?.disk ?? 20000,
      ports: o.agentResources?.ports ?? [{ begin: 31000, end: 32000 }],
      gpus: o.agentResources?.gpus ?? 0,
      revocableCpus: o.agentResources?.revocableCpus ?? 0,
    },
    attributes: o.attributes ?? {},
    executor,
    allocationIntervalMs: o.allocationIntervalMs ?? 1000,
    agentPingTimeoutMs: o.agentPingTimeoutMs ?? 75_000,
    heartbeatIntervalSeconds: o.heartbeatIntervalSeconds ?? 15,
    statusUpdateRetryMs: o.statusUpdateRetryMs ?? 10_000,
    statusUpdateRetryMaxMs: o.statusUpdateRetryMaxMs ?? 600_000,
    masterFailover: o.masterFailover ?? 'keep-state',
    masterRecoveryMs: o.masterRecoveryMs ?? 0,
    agentReregisterDelayMs: o.agentReregisterDelayMs ?? 0,
    defaultRefuseSeconds: o.defaultRefuseSeconds ?? 5,
    maxOffersPerEvent: o.maxOffersPerEvent ?? 500,
    allocationSliceSize: o.allocationSliceSize ?? 250,
    portsPerAgent: o.portsPerAgent ?? (executor === 'process' ? 'split' : 'shared'),
    hostnamePrefix: o.hostnamePrefix ?? 'agent-',
    sandboxRoot: o.sandboxRoot ?? '/tmp/borealis-mesos-local',
    clock: o.clock ?? systemClock,
    port: o.port ?? 0,
    host: o.host ?? '127.0.0.1',
  };
}
