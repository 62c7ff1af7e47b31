/**
 * DRAIN_AGENT: the agent gets no more offers, every task on it is killed (updates carry
 * REASON_AGENT_DRAINING, the grace period capped by max_grace_period), and once all are terminal
 * the agent is DRAINED (and gone, with mark_gone).
 */
import type { Master } from './master.js';
import { isTerminal } from './model.js';
import { killOnAgent } from './task-updates.js';

export function drainAgent(
  m: Master,
  agentId: string,
  maxGraceSeconds: number | undefined,
  markGone: boolean,
): string | undefined {
  const agent = m.agents.get(agentId);
  if (agent === undefined || agent.status === 'removed') return 'Unknown agent';
  agent.drainState = 'DRAINING';
  agent.drainConfig = {
    markGone,
    ...(maxGraceSeconds === undefined ? {} : { maxGracePeriodSeconds: maxGraceSeconds }),
  };
  m.rescindAgentOffers(agent);
  m.allocationCandidates.delete(agent.id);
  for (const task of [...agent.tasks.values()]) {
    if (isTerminal(task.state)) continue;
    task.killReason = 'REASON_AGENT_DRAINING';
    const own = task.info.kill_policy?.grace_period?.nanoseconds;
    const taskGraceMs = own === undefined ? 3000 : Number(own) / 1e6;
    const graceMs =
      maxGraceSeconds === undefined ? taskGraceMs : Math.min(taskGraceMs, maxGraceSeconds * 1000);
    killOnAgent(m, task, graceMs);
  }
  noteDrainProgress(m, agent.id);
  return undefined;
}

/** Called whenever a task on the agent ends: a draining agent with nothing left is DRAINED. */
export function noteDrainProgress(m: Master, agentId: string): void {
  const agent = m.agents.get(agentId);
  if (agent?.drainState !== 'DRAINING') return;
  for (const task of agent.tasks.values()) if (!isTerminal(task.state)) return;
  agent.drainState = 'DRAINED';
  if (agent.drainConfig?.markGone === true) agent.status = 'removed';
}
