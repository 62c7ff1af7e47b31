/**
 * Fault injection: stop, start, restart, partition and heal agents; drop or delay status
 * updates; restart the master. Agents the master cannot hear from are marked unreachable after
 * the ping timeout, exactly as a real master's health checks would.
 */
import { markUnreachable, reregister } from './agent-lifecycle.js';
import type { Allocator } from './allocator.js';
import type { Master } from './master.js';
import type { AgentNode } from './model.js';

export interface MesosLocalFaults {
  /** The agent process stops (with `killTasks`, its tasks die too). Unreachable after the ping timeout. */
  stopAgent(agentId: string, opts?: { killTasks?: boolean }): void;
  /** A stopped agent comes back and re-registers. */
  startAgent(agentId: string): void;
  /** Stop and start at once: the agent re-registers before the master notices. */
  restartAgent(agentId: string): void;
  /** Cut the agent off the master; its tasks keep running and its updates queue. */
  partitionAgent(agentId: string): void;
  healAgent(agentId: string): void;
  /** Drop the next `count` forwarded status updates (the agent's retries re-send them). */
  dropStatusUpdates(count: number): void;
  /** Delay every forwarded status update by `ms` (0 turns it off). */
  delayStatusUpdates(ms: number): void;
  /** Restart the master: streams close, frameworks must re-subscribe; state per masterFailover. */
  restartMaster(opts?: { keepState?: boolean }): void;
}

export function createFaults(m: Master, allocator: Allocator): MesosLocalFaults {
  const agentOf = (id: string): AgentNode => {
    const agent = m.agents.get(id);
    if (agent === undefined) throw new Error(`unknown agent ${id}`);
    return agent;
  };
  const armPingTimeout = (agent: AgentNode): void => {
    agent.pingTimer?.cancel();
    agent.pingTimer = m.clock.setTimeout(() => {
      agent.pingTimer = undefined;
      if (!agent.processUp || !agent.networkUp) markUnreachable(m, agent);
    }, m.options.agentPingTimeoutMs);
  };
  const reconnect = (agent: AgentNode): void => {
    if (!agent.processUp || !agent.networkUp) return;
    agent.pingTimer?.cancel();
    agent.pingTimer = undefined;
    reregister(m, agent);
  };
  return {
    stopAgent(agentId, opts = {}) {
      const agent = agentOf(agentId);
      agent.processUp = false;
      if (opts.killTasks === true) {
        agent.tasksDiedWhileStopped = true;
        void m.executors.get(agentId)?.shutdown();
      }
      m.rescindAgentOffers(agent);
      armPingTimeout(agent);
    },
    startAgent(agentId) {
      const agent = agentOf(agentId);
      agent.processUp = true;
      reconnect(agent);
    },
    restartAgent(agentId) {
      this.stopAgent(agentId);
      this.startAgent(agentId);
    },
    partitionAgent(agentId) {
      const agent = agentOf(agentId);
      agent.networkUp = false;
      armPingTimeout(agent);
    },
    healAgent(agentId) {
      const agent = agentOf(agentId);
      agent.networkUp = true;
      reconnect(agent);
    },
    dropStatusUpdates(count) {
      m.faults.dropNext = count;
    },
    delayStatusUpdates(ms) {
      m.faults.delayMs = ms;
    },
    restartMaster(opts = {}) {
      restartMaster(m, allocator, opts.keepState ?? m.options.masterFailover === 'keep-state');
    },
  };
}

function restartMaster(m: Master, allocator: Allocator, keepState: boolean): void {
  allocator.stop();
  for (const offer of [...m.offers.values()]) m.removeOffer(offer, { rescind: false });
  m.inverseOffers.clear();
  for (const fw of m.frameworks.values()) {
    fw.inverseOffers.clear();
    fw.connection?.close();
  }
  m.ids.rotateMaster();
  m.recoveringUntil = m.clock.now() + m.options.masterRecoveryMs;
  if (!keepState) {
    // The new master knows nothing: agents re-register (bringing their tasks), frameworks must
    // subscribe again with their ids to get their tasks back.
    for (const fw of m.frameworks.values()) {
      fw.failoverTimer?.cancel();
      m.orphanTasks.set(fw.id, [...fw.tasks.values()]);
    }
    m.frameworks.clear();
    m.removedFrameworks.clear();
    for (const agent of m.agents.values()) if (agent.status !== 'removed') m.recoveringAgents.add(agent.id);
    m.clock.setTimeout(() => {
      for (const id of [...m.recoveringAgents]) {
        const agent = m.agents.get(id);
        if (agent?.processUp && agent.networkUp) reregister(m, agent);
      }
    }, m.options.agentReregisterDelayMs);
  }
  allocator.start();
  m.log.warn({ masterId: m.ids.masterId, keepState }, 'master restarted');
}
