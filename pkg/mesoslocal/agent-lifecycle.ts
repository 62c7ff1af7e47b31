/**
 * What happens to an agent's tasks when the master loses or regains it:
 * - unreachable (missed pings): tasks get TASK_UNREACHABLE (PARTITION_AWARE) or TASK_LOST,
 *   reason REASON_AGENT_REMOVED, with unreachable_time; offers rescinded; FAILURE sent;
 * - re-registered: its tasks are announced again with REASON_AGENT_REREGISTERED and the
 *   updates the agent queued meanwhile are delivered;
 * - removed (maintenance DOWN): tasks TASK_LOST, REASON_AGENT_REMOVED, and forgotten.
 */
import type { Master } from './master.js';
import { type AgentNode, isTerminal } from './model.js';
import { agentUpdate, killOnAgent, makeStatus } from './task-updates.js';

function sendFailure(m: Master, agent: AgentNode): void {
  for (const fw of m.frameworks.values())
    m.send(fw, { type: 'FAILURE', failure: { agent_id: { value: agent.id } } });
}

function rescindInverseOffers(m: Master, agent: AgentNode): void {
  for (const fw of m.frameworks.values()) {
    const id = fw.inverseOffers.get(agent.id);
    if (id === undefined) continue;
    fw.inverseOffers.delete(agent.id);
    m.inverseOffers.delete(id);
    m.send(fw, { type: 'RESCIND_INVERSE_OFFER', rescind_inverse_offer: { inverse_offer_id: { value: id } } });
  }
}

export function markUnreachable(m: Master, agent: AgentNode): void {
  if (agent.status !== 'registered') return;
  const now = m.clock.now();
  agent.status = 'unreachable';
  agent.unreachableSince = now;
  m.allocationCandidates.delete(agent.id);
  sendFailure(m, agent); // Mesos tells frameworks the agent is lost before the task updates
  for (const task of agent.tasks.values()) {
    // What the master knows: a task that ended on the cut-off agent is still running to it.
    if (isTerminal(task.masterState)) continue;
    const fw = m.frameworks.get(task.frameworkId);
    task.unreachableSince = now;
    const state = fw?.partitionAware === true ? 'TASK_UNREACHABLE' : 'TASK_LOST';
    if (fw === undefined) continue;
    const status = makeStatus(m, task, {
      state,
      source: 'SOURCE_MASTER',
      reason: 'REASON_AGENT_REMOVED',
      message: 'health check timed out',
    });
    status.unreachable_time = { nanoseconds: now * 1_000_000 };
    m.sendMasterUpdate(fw, status);
  }
  m.rescindAgentOffers(agent);
  rescindInverseOffers(m, agent);
  m.log.warn({ agentId: agent.id }, 'agent unreachable');
}

/**
 * The agent talks to the master again (healed, restarted, or after a master restart). After
 * being unreachable, every task it reports is announced with REASON_AGENT_REREGISTERED in the
 * agent's state; launches it never received are answered by the agent itself (TASK_DROPPED or
 * TASK_LOST); kills it missed are sent again; then its queued updates flow.
 */
export function reregister(m: Master, agent: AgentNode): void {
  m.recoveringAgents.delete(agent.id);
  if (agent.status === 'removed') return;
  const wasUnreachable = agent.status === 'unreachable';
  agent.status = 'registered';
  agent.unreachableSince = undefined;
  agent.reregisteredAt = m.clock.now();
  if (wasUnreachable) announceReregistered(m, agent);
  for (const task of agent.tasks.values()) task.unreachableSince = undefined;
  reconcileWithAgent(m, agent);
  m.allocationCandidates.add(agent.id);
  m.updateManagers.get(agent.id)?.flush();
}

function announceReregistered(m: Master, agent: AgentNode): void {
  for (const task of agent.tasks.values()) {
    if (!task.delivered) continue; // the agent does not report what it never received
    task.masterState = task.state;
    const fw = m.frameworks.get(task.frameworkId);
    if (fw === undefined || !fw.connected) continue; // Mesos drops it then
    const latest = task.statuses[task.statuses.length - 1];
    m.sendMasterUpdate(
      fw,
      makeStatus(m, task, {
        state: task.state,
        source: 'SOURCE_MASTER',
        reason: 'REASON_AGENT_REREGISTERED',
        message: 'Unreachable agent re-reregistered',
        ...(latest?.healthy === undefined ? {} : { healthy: latest.healthy }),
      }),
    );
  }
}

/** What the agent does once the master reconciles with it. */
function reconcileWithAgent(m: Master, agent: AgentNode): void {
  const restarted = agent.tasksDiedWhileStopped;
  agent.tasksDiedWhileStopped = false;
  for (const task of [...agent.tasks.values()]) {
    if (isTerminal(task.state)) continue;
    const pa = m.frameworks.get(task.frameworkId)?.partitionAware === true;
    if (!task.delivered) {
      task.delivered = true; // the agent answers for a task it never had
      agentUpdate(m, task, {
        state: pa ? 'TASK_DROPPED' : 'TASK_LOST',
        source: 'SOURCE_AGENT',
        reason: 'REASON_RECONCILIATION',
        message: 'Reconciliation: task unknown to the agent',
      });
    } else if (restarted) {
      agentUpdate(m, task, {
        state: pa ? 'TASK_GONE' : 'TASK_LOST',
        source: 'SOURCE_AGENT',
        reason: 'REASON_AGENT_RESTARTED',
        message: 'Task lost: the agent restarted and its executor is gone',
      });
    } else if (task.pendingKill !== undefined) {
      const { graceMs } = task.pendingKill;
      task.pendingKill = undefined;
      killOnAgent(m, task, graceMs);
    }
  }
}

/** The agent is gone for good (machine DOWN): its tasks are lost and forgotten. */
export function removeAgent(m: Master, agent: AgentNode): void {
  if (agent.status === 'removed') return;
  agent.pingTimer?.cancel();
  m.rescindAgentOffers(agent);
  rescindInverseOffers(m, agent);
  agent.status = 'removed';
  m.allocationCandidates.delete(agent.id);
  void m.executors.get(agent.id)?.shutdown();
  for (const task of [...agent.tasks.values()]) {
    const fw = m.frameworks.get(task.frameworkId);
    if (!isTerminal(task.state) && fw !== undefined) {
      m.sendMasterUpdate(
        fw,
        makeStatus(m, task, {
          state: 'TASK_LOST',
          source: 'SOURCE_MASTER',
          reason: 'REASON_AGENT_REMOVED',
          message: `Agent ${agent.hostname} removed: Operator initiated 'Machine DOWN'`,
        }),
      );
    }
    m.forgetTask(task);
  }
  m.updateManagers.get(agent.id)?.dropAll();
  sendFailure(m, agent);
}
