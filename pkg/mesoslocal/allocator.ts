/**
 * The allocator: every allocation interval, offer each agent's free resources to one framework,
 * chosen like Mesos's DRF sorter (the lowest dominant share first), skipping frameworks that are
 * suppressed, disconnected, or that refused these resources on this agent (decline filters).
 *
 * Work is proportional to the agents that have something to offer (the master keeps that set),
 * and is cut into slices with the event loop free in between, so 10,000 agents never stall it.
 */
import type { Offer } from '../mesos/types.js';
import type { TimerHandle } from '../runtime/clock.js';
import { offerPendingInverseOffers } from './maintenance.js';
import { machineOfAgent } from './maintenance-state.js';
import type { Master } from './master.js';
import type { AgentNode, FrameworkRecord, OfferRecord } from './model.js';
import { containsResources, isAllocatable, type Resources, withoutRevocable } from './resources.js';
import { resourcesToWire } from './resources-wire.js';

export class Allocator {
  private timer: TimerHandle | undefined;
  private stopped = true;
  private running = false;
  private totalCpus = 0;
  private totalMem = 0;

  constructor(private readonly m: Master) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.stopped || this.timer !== undefined) return;
    this.timer = this.m.clock.setTimeout(() => {
      this.timer = undefined;
      void this.round();
    }, this.m.options.allocationIntervalMs);
  }

  /** One allocation round; resolves when every slice has been offered. */
  async round(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.allocate();
      offerPendingInverseOffers(this.m);
    } catch (err) {
      this.m.log.error({ err }, 'allocation round failed');
    } finally {
      this.running = false;
      this.schedule();
    }
  }

  private eligibleFrameworks(): FrameworkRecord[] {
    return [...this.m.frameworks.values()].filter((f) => f.connected && !f.suppressed);
  }

  private async allocate(): Promise<void> {
    const frameworks = this.eligibleFrameworks();
    if (frameworks.length === 0) return;
    this.releaseDeferred();
    if (this.m.allocationCandidates.size === 0) return;
    this.computeTotals();
    // Shares only order frameworks; alone, one needs none. Each share is a pass over the
    // framework's tasks (100,000 at scale), which every 50 ms round kept the master busy.
    const shares = new Map(frameworks.length === 1 ? [] : frameworks.map((f) => [f.id, this.share(f)]));
    const candidates = [...this.m.allocationCandidates];
    const slice = this.m.options.allocationSliceSize;
    const pending = new Map<FrameworkRecord, Offer[]>();
    for (let start = 0; start < candidates.length; start += slice) {
      if (this.stopped) return;
      for (const agentId of candidates.slice(start, start + slice)) {
        this.allocateAgent(agentId, frameworks, shares, pending);
      }
      this.flush(pending, false);
      if (start + slice < candidates.length) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.flush(pending, true);
  }

  private allocateAgent(
    agentId: string,
    frameworks: readonly FrameworkRecord[],
    shares: Map<string, number>,
    pending: Map<FrameworkRecord, Offer[]>,
  ): void {
    const agent = this.m.agents.get(agentId);
    if (agent === undefined || !isAllocatable(agent.free)) {
      this.m.allocationCandidates.delete(agentId);
      return;
    }
    // Unreachable, removed, stopped, recovering or draining agents are re-added when they come back.
    const away =
      !agent.reachable || !agent.networkUp || !agent.processUp || this.m.recoveringAgents.has(agentId);
    if (away || agent.drainState !== undefined) {
      this.m.allocationCandidates.delete(agentId);
      return;
    }
    const machine = machineOfAgent(this.m.maintenance, agent);
    if (machine?.mode === 'DOWN') return;
    const now = this.m.clock.now();
    const ordered =
      frameworks.length === 1
        ? frameworks
        : [...frameworks].sort((a, b) => (shares.get(a.id) ?? 0) - (shares.get(b.id) ?? 0));
    // When every framework refused exactly these resources, the agent sleeps until the earliest
    // filter expires (or its resources change): rounds then cost nothing for refused agents.
    let allRefused = true;
    let earliestExpiry = Number.POSITIVE_INFINITY;
    for (const fw of ordered) {
      if (agent.total.gpus > 0 && !fw.hasCapability('GPU_RESOURCES')) {
        allRefused = false;
        continue;
      }
      const offerable = fw.hasCapability('REVOCABLE_RESOURCES') ? agent.free : withoutRevocable(agent.free);
      if (!isAllocatable(offerable)) {
        allRefused = false;
        continue;
      }
      const refusedUntil = this.refusedUntil(fw, agent, offerable, now);
      if (refusedUntil !== undefined) {
        earliestExpiry = Math.min(earliestExpiry, refusedUntil);
        continue;
      }
      allRefused = false;
      const offer = this.m.createOffer(fw, agent, offerable);
      if (frameworks.length > 1) shares.set(fw.id, (shares.get(fw.id) ?? 0) + this.resourceShare(offerable));
      let list = pending.get(fw);
      if (list === undefined) {
        list = [];
        pending.set(fw, list);
      }
      list.push(offerToWire(this.m, offer, fw, agent));
      break;
    }
    if (!isAllocatable(agent.free)) this.m.allocationCandidates.delete(agentId);
    else if (allRefused && ordered.length > 0) this.defer(agentId, earliestExpiry);
  }

  /** When the framework's filter on this agent refuses `offerable`, until when; else undefined. */
  private refusedUntil(
    fw: FrameworkRecord,
    agent: AgentNode,
    offerable: Resources,
    now: number,
  ): number | undefined {
    const filter = fw.filters.get(agent.id);
    if (filter === undefined) return undefined;
    if (filter.expiresAt <= now) {
      fw.filters.delete(agent.id);
      return undefined;
    }
    // The filter holds back only the refused resources: anything more is offered at once.
    return containsResources(filter.resources, offerable) ? filter.expiresAt : undefined;
  }

  /** Take the agent out of the rounds until `until` (bucketed by the allocation interval). */
  private defer(agentId: string, until: number): void {
    this.m.allocationCandidates.delete(agentId);
    const interval = this.m.options.allocationIntervalMs;
    const bucket = Math.ceil(until / interval) * interval;
    let set = this.m.deferredAgents.get(bucket);
    if (set === undefined) {
      set = new Set();
      this.m.deferredAgents.set(bucket, set);
    }
    set.add(agentId);
  }

  private releaseDeferred(): void {
    const now = this.m.clock.now();
    for (const [bucket, agents] of this.m.deferredAgents) {
      if (bucket > now) continue;
      for (const id of agents) this.m.allocationCandidates.add(id);
      this.m.deferredAgents.delete(bucket);
    }
  }

  /** Send full OFFERS events (maxOffersPerEvent each); with `all`, the remainder too. */
  private flush(pending: Map<FrameworkRecord, Offer[]>, all: boolean): void {
    const max = this.m.options.maxOffersPerEvent;
    for (const [fw, offers] of pending) {
      let sent = 0;
      while (offers.length - sent >= max || (all && sent < offers.length)) {
        this.m.send(fw, { type: 'OFFERS', offers: { offers: offers.slice(sent, sent + max) } });
        sent += max;
      }
      offers.splice(0, sent);
    }
  }

  private computeTotals(): void {
    let cpus = 0;
    let mem = 0;
    for (const agent of this.m.agents.values()) {
      if (agent.status !== 'registered') continue;
      cpus += agent.total.cpus;
      mem += agent.total.mem;
    }
    this.totalCpus = cpus;
    this.totalMem = mem;
  }

  /** Dominant share of what the framework holds (offered + tasks), as DRF orders frameworks. */
  private share(fw: FrameworkRecord): number {
    let share = 0;
    for (const id of fw.offers) {
      const offer = this.m.offers.get(id);
      if (offer !== undefined) share += this.resourceShare(offer.resources);
    }
    for (const task of fw.tasks.values())
      if (!task.resourcesReleased) share += this.resourceShare(task.resources);
    return share;
  }

  private resourceShare(r: Resources): number {
    const cpu = this.totalCpus > 0 ? r.cpus / this.totalCpus : 0;
    const mem = this.totalMem > 0 ? r.mem / this.totalMem : 0;
    return Math.max(cpu, mem);
  }
}

/** An Offer as the scheduler sees it. allocation_info is set only for MULTI_ROLE frameworks. */
export function offerToWire(m: Master, offer: OfferRecord, fw: FrameworkRecord, agent: AgentNode): Offer {
  const multiRole = fw.hasCapability('MULTI_ROLE');
  const wire: Offer = {
    id: { value: offer.id },
    framework_id: { value: fw.id },
    agent_id: { value: agent.id },
    hostname: agent.hostname,
    url: {
      scheme: 'http',
      address: { hostname: agent.hostname, ip: agent.ip, port: 5051 },
      path: '/slave(1)',
    },
    resources: resourcesToWire(offer.resources, multiRole ? { allocationRole: fw.role } : {}),
    attributes: [...agent.attributes],
    // executor_ids is left out: command tasks have no executor the framework could reuse, and
    // Mesos's JSON omits empty repeated fields.
  };
  const machine = machineOfAgent(m.maintenance, agent);
  if (machine !== undefined) wire.unavailability = machine.unavailability;
  if (multiRole) wire.allocation_info = { role: fw.role };
  return wire;
}
