/**
 * The embedded master's state and the small operations every flow shares: sending events,
 * creating and removing offers, giving resources back. The flows themselves (subscribe, accept,
 * status updates, reconciliation, agent loss, maintenance) live in their own modules and take
 * the master as their first argument.
 */

import { componentLogger } from '../log/index.js';
import type { Event, MasterInfo, TaskStatus } from '../mesos/types.js';
import type { Executor } from './executors/types.js';
import { IdGenerator } from './ids.js';
import { type MaintenanceState, newMaintenanceState } from './maintenance-state.js';
import {
  type AgentNode,
  type FrameworkRecord,
  type InverseOfferRecord,
  type OfferRecord,
  type TaskRecord,
  taskKey,
} from './model.js';
import type { ResolvedOptions } from './options.js';
import { addResources, isAllocatable, type Resources, subtractResources } from './resources.js';
import type { StatusUpdateManager } from './update-manager.js';

export const MESOS_VERSION = '1.11.0';

export interface UpdateFaults {
  /** Forwarded (reliable) updates still to drop on the way to the scheduler. */
  dropNext: number;
  /** Delay added to every forwarded update. */
  delayMs: number;
}

export class Master {
  readonly log = componentLogger('mesoslocal');
  readonly ids = new IdGenerator();
  readonly agents = new Map<string, AgentNode>();
  readonly executors = new Map<string, Executor>();
  readonly updateManagers = new Map<string, StatusUpdateManager>();
  readonly frameworks = new Map<string, FrameworkRecord>();
  /** Frameworks removed (teardown, failover timeout): their ids may not subscribe again. */
  readonly removedFrameworks = new Map<string, FrameworkRecord>();
  readonly offers = new Map<string, OfferRecord>();
  readonly inverseOffers = new Map<string, InverseOfferRecord>();
  /** Agents whose free resources may be worth offering (kept so rounds never scan every agent). */
  readonly allocationCandidates = new Set<string>();
  /** Agents every framework has filtered, by the time (bucketed) their earliest filter expires. */
  readonly deferredAgents = new Map<number, Set<string>>();
  readonly faults: UpdateFaults = { dropNext: 0, delayMs: 0 };
  maintenance: MaintenanceState = newMaintenanceState();
  /** Tasks whose framework the master forgot (state-losing restart), adopted when it re-subscribes. */
  readonly orphanTasks = new Map<string, TaskRecord[]>();
  /** Until this time, calls get 503 "Master has not finished recovery". */
  recoveringUntil = 0;
  /** Agents that have not re-registered since a state-losing master restart. */
  readonly recoveringAgents = new Set<string>();
  startedAt: number;
  port = 0;

  constructor(readonly options: ResolvedOptions) {
    this.startedAt = options.clock.now();
  }

  get clock() {
    return this.options.clock;
  }

  /** Seconds since the epoch, as TaskStatus.timestamp carries it. */
  nowSeconds(): number {
    return this.clock.now() / 1000;
  }

  masterInfo(): MasterInfo {
    const host = this.options.host;
    return {
      id: this.ids.masterId,
      ip: ipToUint32LittleEndian(host),
      port: this.port,
      pid: `master@${host}:${this.port}`,
      hostname: host,
      version: MESOS_VERSION,
      address: { hostname: host, ip: host, port: this.port },
      capabilities: [{ type: 'AGENT_UPDATE' }, { type: 'AGENT_DRAINING' }],
    };
  }

  send(framework: FrameworkRecord, ...events: Event[]): void {
    framework.connection?.send(...events);
  }

  /** A master-generated update (no uuid, never acknowledged, never re-sent). */
  sendMasterUpdate(framework: FrameworkRecord, status: TaskStatus): void {
    this.send(framework, { type: 'UPDATE', update: { status } });
  }

  createOffer(framework: FrameworkRecord, agent: AgentNode, resources: Resources): OfferRecord {
    const offer: OfferRecord = {
      id: this.ids.offer(),
      frameworkId: framework.id,
      agentId: agent.id,
      resources,
    };
    this.offers.set(offer.id, offer);
    framework.offers.add(offer.id);
    agent.offers.add(offer.id);
    agent.free = subtractResources(agent.free, resources);
    agent.offered = addResources(agent.offered, resources);
    return offer;
  }

  /**
   * Take an offer out of circulation. Its resources go back to the agent's free pool unless
   * `consumed` says how much of it tasks now use. RESCIND is sent only when `rescind` is set.
   */
  removeOffer(offer: OfferRecord, opts: { rescind: boolean }): void {
    if (!this.offers.delete(offer.id)) return;
    const framework = this.frameworks.get(offer.frameworkId);
    framework?.offers.delete(offer.id);
    const agent = this.agents.get(offer.agentId);
    if (agent !== undefined) {
      agent.offers.delete(offer.id);
      agent.offered = subtractResources(agent.offered, offer.resources);
      this.giveBack(agent, offer.resources);
    }
    if (opts.rescind && framework !== undefined) {
      this.send(framework, { type: 'RESCIND', rescind: { offer_id: { value: offer.id } } });
    }
  }

  /** Return resources to an agent's free pool and make it a candidate for the next round. */
  giveBack(agent: AgentNode, resources: Resources): void {
    agent.free = addResources(agent.free, resources);
    if (isAllocatable(agent.free)) this.allocationCandidates.add(agent.id);
  }

  /** A task's resources are no longer used (it reached a terminal state on its agent). */
  releaseTaskResources(task: TaskRecord): void {
    if (task.resourcesReleased) return;
    task.resourcesReleased = true;
    const agent = this.agents.get(task.agentId);
    if (agent === undefined) return;
    agent.used = subtractResources(agent.used, task.resources);
    this.giveBack(agent, task.resources);
  }

  /** Remove a task from the master's books entirely (acknowledged terminal, framework removed). */
  forgetTask(task: TaskRecord): void {
    this.releaseTaskResources(task);
    const framework = this.frameworks.get(task.frameworkId);
    if (framework?.tasks.get(task.taskId) === task) {
      framework.tasks.delete(task.taskId);
      framework.completedTasks.push(task);
      if (framework.completedTasks.length > 1000) framework.completedTasks.shift();
    }
    const agent = this.agents.get(task.agentId);
    agent?.tasks.delete(taskKey(task.frameworkId, task.taskId));
    this.updateManagers.get(task.agentId)?.drop(task.frameworkId, task.taskId);
  }

  /** Rescind every outstanding offer on an agent (agent lost, maintenance scheduled). */
  rescindAgentOffers(agent: AgentNode): void {
    for (const id of [...agent.offers]) {
      const offer = this.offers.get(id);
      if (offer !== undefined) this.removeOffer(offer, { rescind: true });
    }
  }

  /** Put every agent with something free back into the rounds (new framework, REVIVE). */
  reconsiderAllAgents(): void {
    this.deferredAgents.clear();
    for (const agent of this.agents.values()) {
      if (isAllocatable(agent.free)) this.allocationCandidates.add(agent.id);
    }
  }

  isRecovering(): boolean {
    return this.clock.now() < this.recoveringUntil;
  }
}

/** MasterInfo.ip is the IPv4 address as a uint32 in network byte order read as little-endian. */
function ipToUint32LittleEndian(ip: string): number {
  const parts = ip.split('.').map((p) => Number(p));
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p))) return 0;
  const [a = 0, b = 0, c = 0, d = 0] = parts;
  return ((d << 24) >>> 0) + (c << 16) + (b << 8) + a;
}
