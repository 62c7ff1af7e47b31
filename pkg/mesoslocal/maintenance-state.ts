/**
 * The maintenance registry: the schedule operators posted, each scheduled machine's mode
 * (DRAINING until START_MAINTENANCE, then DOWN) and frameworks' answers to inverse offers.
 */
import type {
  InverseOfferStatusValue,
  MachineID,
  MaintenanceWindow,
  Unavailability,
} from '../mesos/types.js';
import type { AgentNode } from './model.js';

export interface MachineRecord {
  readonly id: MachineID;
  mode: 'DRAINING' | 'DOWN';
  unavailability: Unavailability;
  /** Frameworks' responses to inverse offers for this machine's agents. */
  readonly responses: Map<string, { status: InverseOfferStatusValue; timestamp: number }>;
}

export interface MaintenanceState {
  windows: MaintenanceWindow[];
  readonly machines: Map<string, MachineRecord>;
}

export function newMaintenanceState(): MaintenanceState {
  return { windows: [], machines: new Map() };
}

export function machineKey(id: MachineID): string {
  return `${id.hostname ?? ''}/${id.ip ?? ''}`;
}

/** Whether an agent runs on the machine (hostname and, when given, ip must match). */
export function agentOnMachine(agent: AgentNode, id: MachineID): boolean {
  if (id.hostname !== undefined && id.hostname !== agent.hostname) return false;
  if (id.ip !== undefined && id.ip !== agent.ip) return false;
  return id.hostname !== undefined || id.ip !== undefined;
}

export function machineOfAgent(state: MaintenanceState, agent: AgentNode): MachineRecord | undefined {
  for (const machine of state.machines.values()) {
    if (agentOnMachine(agent, machine.id)) return machine;
  }
  return undefined;
}
