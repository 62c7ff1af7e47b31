/**
 * Maintenance primitives: a schedule puts machines in DRAINING (offers rescinded and re-sent
 * with `unavailability`, INVERSE_OFFERS to frameworks running tasks there), START_MAINTENANCE
 * takes DRAINING machines DOWN (agents removed), STOP_MAINTENANCE brings them UP (fresh agents
 * register). Frameworks' inverse offer answers are recorded for GET_MAINTENANCE_STATUS.
 */
import type {
  Filters,
  MachineID,
  MaintenanceClusterStatus,
  MaintenanceSchedule,
  OfferID,
} from '../mesos/types.js';
import { removeAgent } from './agent-lifecycle.js';
import { addAgent } from './agents.js';
import { agentOnMachine, type MachineRecord, machineKey } from './maintenance-state.js';
import type { Master } from './master.js';
import { type AgentNode, isTerminal } from './model.js';

/** A machine id as Mesos prints it in errors: its JSON, fields in proto order. */
const describe = (id: MachineID): string =>
  JSON.stringify({
    ...(id.hostname === undefined ? {} : { hostname: id.hostname }),
    ...(id.ip === undefined ? {} : { ip: id.ip }),
  });

function agentsOn(m: Master, id: MachineID): AgentNode[] {
  return [...m.agents.values()].filter((a) => a.status !== 'removed' && agentOnMachine(a, id));
}

export function updateSchedule(m: Master, schedule: MaintenanceSchedule): string | undefined {
  const next = new Map<string, { id: MachineID; window: MaintenanceSchedule['windows'][number] }>();
  for (const window of schedule.windows ?? []) {
    if ((window.machine_ids ?? []).length === 0) return 'List of machines in the maintenance window is empty';
    if (window.unavailability?.start === undefined)
      return "Maintenance window is missing 'unavailability.start'";
    for (const id of window.machine_ids) {
      if (id.hostname === undefined && id.ip === undefined)
        return "Both 'hostname' and 'ip' for a machine are empty";
      const key = machineKey(id);
      if (next.has(key)) return `Machine '${describe(id)}' appears more than once in the schedule`;
      next.set(key, { id, window });
    }
  }
  for (const [key, machine] of m.maintenance.machines) {
    if (machine.mode === 'DOWN' && !next.has(key)) {
      return `Machine '${describe(machine.id)}' is deactivated and cannot be removed from the schedule`;
    }
  }
  const changed: MachineRecord[] = [];
  for (const [key, machine] of [...m.maintenance.machines]) {
    if (next.has(key)) continue;
    m.maintenance.machines.delete(key); // back UP: offers lose their unavailability
    for (const agent of agentsOn(m, machine.id)) refreshOffers(m, agent, true);
  }
  for (const [key, { id, window }] of next) {
    const existing = m.maintenance.machines.get(key);
    if (existing !== undefined) {
      if (JSON.stringify(existing.unavailability) !== JSON.stringify(window.unavailability)) {
        existing.unavailability = window.unavailability;
        changed.push(existing);
      }
      continue;
    }
    const record: MachineRecord = {
      id,
      mode: 'DRAINING',
      unavailability: window.unavailability,
      responses: new Map(),
    };
    m.maintenance.machines.set(key, record);
    changed.push(record);
  }
  m.maintenance.windows = schedule.windows ?? [];
  for (const machine of changed) {
    for (const agent of agentsOn(m, machine.id)) {
      refreshOffers(m, agent, false);
      sendInverseOffers(m, agent, machine);
    }
  }
  return undefined;
}

/** Rescind the agent's offers so the next round re-offers them with (or without) unavailability. */
function refreshOffers(m: Master, agent: AgentNode, rescindInverse: boolean): void {
  m.rescindAgentOffers(agent);
  if (!rescindInverse) return;
  for (const fw of m.frameworks.values()) {
    const id = fw.inverseOffers.get(agent.id);
    if (id === undefined) continue;
    fw.inverseOffers.delete(agent.id);
    m.inverseOffers.delete(id);
    m.send(fw, { type: 'RESCIND_INVERSE_OFFER', rescind_inverse_offer: { inverse_offer_id: { value: id } } });
  }
}

/** One inverse offer (for the whole agent: no resources) to each framework running tasks on it. */
function sendInverseOffers(m: Master, agent: AgentNode, machine: MachineRecord): void {
  const users = new Set<string>();
  for (const task of agent.tasks.values()) if (!isTerminal(task.state)) users.add(task.frameworkId);
  for (const frameworkId of users) {
    const fw = m.frameworks.get(frameworkId);
    if (fw === undefined || !fw.connected || fw.inverseOffers.has(agent.id)) continue;
    if ((fw.inverseOfferFilters.get(agent.id) ?? 0) > m.clock.now()) continue;
    const id = m.ids.inverseOffer();
    fw.inverseOffers.set(agent.id, id);
    m.inverseOffers.set(id, { id, frameworkId, agentId: agent.id });
    if (!machine.responses.has(frameworkId))
      machine.responses.set(frameworkId, { status: 'UNKNOWN', timestamp: m.clock.now() });
    m.send(fw, {
      type: 'INVERSE_OFFERS',
      inverse_offers: {
        inverse_offers: [
          {
            id: { value: id },
            url: {
              scheme: 'http',
              address: { hostname: agent.hostname, ip: agent.ip, port: 5051 },
              path: '/slave(1)',
            },
            framework_id: { value: frameworkId },
            agent_id: { value: agent.id },
            unavailability: machine.unavailability,
          },
        ],
      },
    });
  }
}

/**
 * ACCEPT_INVERSE_OFFERS / DECLINE_INVERSE_OFFERS: advisory, recorded for the operator. A new
 * inverse offer for the same agent follows after refuse_seconds (default 5), as Mesos re-offers.
 */
export function answerInverseOffers(
  m: Master,
  frameworkId: string,
  ids: readonly OfferID[],
  accept: boolean,
  filters: Filters | undefined,
): void {
  const fw = m.frameworks.get(frameworkId);
  const seconds = filters?.refuse_seconds;
  const refuseMs = (seconds === undefined || seconds < 0 ? m.options.defaultRefuseSeconds : seconds) * 1000;
  for (const { value } of ids) {
    const inverse = m.inverseOffers.get(value);
    if (inverse === undefined || inverse.frameworkId !== frameworkId) continue;
    m.inverseOffers.delete(value);
    fw?.inverseOffers.delete(inverse.agentId);
    fw?.inverseOfferFilters.set(inverse.agentId, m.clock.now() + refuseMs);
    const agent = m.agents.get(inverse.agentId);
    if (agent === undefined) continue;
    for (const machine of m.maintenance.machines.values()) {
      if (agentOnMachine(agent, machine.id)) {
        machine.responses.set(frameworkId, {
          status: accept ? 'ACCEPT' : 'DECLINE',
          timestamp: m.clock.now(),
        });
      }
    }
  }
}

/**
 * Called after each allocation round: frameworks that started using a draining agent (or
 * re-subscribed, or whose answer's filter expired) get an inverse offer for it too.
 */
export function offerPendingInverseOffers(m: Master): void {
  const draining = [...m.maintenance.machines.values()].filter((x) => x.mode === 'DRAINING');
  if (draining.length === 0) return;
  // One pass over the agents, however many machines are draining.
  for (const agent of m.agents.values()) {
    if (agent.status !== 'registered') continue;
    const machine = draining.find((x) => agentOnMachine(agent, x.id));
    if (machine !== undefined) sendInverseOffers(m, agent, machine);
  }
}

export function startMaintenance(m: Master, machines: readonly MachineID[]): string | undefined {
  if (machines.length === 0) return 'List of machines is empty';
  for (const id of machines) {
    const machine = m.maintenance.machines.get(machineKey(id));
    if (machine === undefined) return `Machine '${describe(id)}' is not part of a maintenance schedule`;
    if (machine.mode !== 'DRAINING')
      return `Machine '${describe(id)}' is not in DRAINING mode and cannot be brought down`;
  }
  for (const id of machines) {
    const machine = m.maintenance.machines.get(machineKey(id))!;
    machine.mode = 'DOWN';
    for (const agent of agentsOn(m, id)) removeAgent(m, agent);
  }
  return undefined;
}

export function stopMaintenance(m: Master, machines: readonly MachineID[]): string | undefined {
  if (machines.length === 0) return 'List of machines is empty';
  for (const id of machines) {
    if (m.maintenance.machines.get(machineKey(id))?.mode !== 'DOWN') {
      return `Machine '${describe(id)}' is not in DOWN mode and cannot be brought up`;
    }
  }
  for (const id of machines) {
    m.maintenance.machines.delete(machineKey(id));
    m.maintenance.windows = m.maintenance.windows
      .map((w) => ({ ...w, machine_ids: w.machine_ids.filter((mid) => machineKey(mid) !== machineKey(id)) }))
      .filter((w) => w.machine_ids.length > 0);
    // The machine's agents were shut down; new agent processes register with new ids.
    const indices = new Set([...m.agents.values()].filter((a) => agentOnMachine(a, id)).map((a) => a.index));
    for (const index of indices) addAgent(m, index);
  }
  return undefined;
}

export function maintenanceStatus(m: Master): MaintenanceClusterStatus {
  const draining = [...m.maintenance.machines.values()].filter((x) => x.mode === 'DRAINING');
  const down = [...m.maintenance.machines.values()].filter((x) => x.mode === 'DOWN');
  return {
    draining_machines: draining.map((x) => ({
      id: x.id,
      statuses: [...x.responses].map(([frameworkId, r]) => ({
        status: r.status,
        framework_id: { value: frameworkId },
        timestamp: { nanoseconds: r.timestamp * 1_000_000 },
      })),
    })),
    down_machines: down.map((x) => x.id),
  };
}
