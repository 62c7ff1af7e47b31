/**
 * Maintenance primitives (maintenance.proto) and the subset of the master's operator API
 * (master.proto, `POST /api/v1`) a service scheduler needs: agents, tasks, maintenance, draining.
 */
import type {
  AgentID,
  DurationInfo,
  FrameworkID,
  MachineID,
  ProtobufDuration,
  TimeInfo,
  Unavailability,
} from './common.js';
import type { AgentCapabilityType, AgentInfo, Resource } from './resources.js';
import type { Task } from './status.js';

/** Machines that go into maintenance together, in the same unavailability window. */
export interface MaintenanceWindow {
  machine_ids: MachineID[];
  unavailability: Unavailability;
}
export interface MaintenanceSchedule {
  windows: MaintenanceWindow[];
}

export type InverseOfferStatusValue = 'UNKNOWN' | 'ACCEPT' | 'DECLINE';
/** A framework's last answer to an inverse offer for a draining machine. */
export interface InverseOfferStatus {
  status: InverseOfferStatusValue;
  framework_id: FrameworkID;
  timestamp: TimeInfo;
}
export interface DrainingMachine {
  id: MachineID;
  statuses?: InverseOfferStatus[];
}
export interface MaintenanceClusterStatus {
  draining_machines?: DrainingMachine[];
  down_machines?: MachineID[];
}

export type DrainState = 'UNKNOWN' | 'DRAINING' | 'DRAINED';
export interface DrainInfo {
  state: DrainState;
  config: { max_grace_period?: DurationInfo; mark_gone?: boolean };
}

export type OperatorCallType =
  | 'GET_AGENTS'
  | 'GET_TASKS'
  | 'GET_MAINTENANCE_STATUS'
  | 'GET_MAINTENANCE_SCHEDULE'
  | 'UPDATE_MAINTENANCE_SCHEDULE'
  | 'START_MAINTENANCE'
  | 'STOP_MAINTENANCE'
  | 'DRAIN_AGENT';

export interface OperatorCallUpdateMaintenanceSchedule {
  schedule: MaintenanceSchedule;
}
export interface OperatorCallStartMaintenance {
  machines: MachineID[];
}
export interface OperatorCallStopMaintenance {
  machines: MachineID[];
}
export interface OperatorCallDrainAgent {
  agent_id: AgentID;
  max_grace_period?: ProtobufDuration;
  mark_gone?: boolean;
}

/** An operator call (mesos.v1.master.Call), narrowed by `type`. */
export type OperatorCall =
  | { type: 'GET_AGENTS' }
  | { type: 'GET_TASKS' }
  | { type: 'GET_MAINTENANCE_STATUS' }
  | { type: 'GET_MAINTENANCE_SCHEDULE' }
  | {
      type: 'UPDATE_MAINTENANCE_SCHEDULE';
      update_maintenance_schedule: OperatorCallUpdateMaintenanceSchedule;
    }
  | { type: 'START_MAINTENANCE'; start_maintenance: OperatorCallStartMaintenance }
  | { type: 'STOP_MAINTENANCE'; stop_maintenance: OperatorCallStopMaintenance }
  | { type: 'DRAIN_AGENT'; drain_agent: OperatorCallDrainAgent };

/** An operator call as received, before validation. */
export interface OperatorCallEnvelope {
  type?: OperatorCallType | (string & {});
  update_maintenance_schedule?: OperatorCallUpdateMaintenanceSchedule;
  start_maintenance?: OperatorCallStartMaintenance;
  stop_maintenance?: OperatorCallStopMaintenance;
  drain_agent?: OperatorCallDrainAgent;
}

export interface OperatorAgent {
  agent_info: AgentInfo;
  active: boolean;
  deactivated?: boolean;
  version: string;
  pid?: string;
  registered_time?: TimeInfo;
  reregistered_time?: TimeInfo;
  total_resources?: Resource[];
  allocated_resources?: Resource[];
  offered_resources?: Resource[];
  capabilities?: { type: AgentCapabilityType }[];
  drain_info?: DrainInfo;
  estimated_drain_start_time?: TimeInfo;
}

export interface OperatorResponseGetAgents {
  agents?: OperatorAgent[];
  recovered_agents?: AgentInfo[];
}
export interface OperatorResponseGetTasks {
  pending_tasks?: Task[];
  tasks?: Task[];
  unreachable_tasks?: Task[];
  completed_tasks?: Task[];
  orphan_tasks?: Task[];
}
export interface OperatorResponseGetMaintenanceStatus {
  status: MaintenanceClusterStatus;
}
export interface OperatorResponseGetMaintenanceSchedule {
  schedule: MaintenanceSchedule;
}

export type OperatorResponseType =
  | 'UNKNOWN'
  | 'GET_AGENTS'
  | 'GET_TASKS'
  | 'GET_MAINTENANCE_STATUS'
  | 'GET_MAINTENANCE_SCHEDULE';

/** The answer body of the operator calls that return data (the others answer with no body). */
export type OperatorResponse =
  | { type: 'GET_AGENTS'; get_agents: OperatorResponseGetAgents }
  | { type: 'GET_TASKS'; get_tasks: OperatorResponseGetTasks }
  | { type: 'GET_MAINTENANCE_STATUS'; get_maintenance_status: OperatorResponseGetMaintenanceStatus }
  | { type: 'GET_MAINTENANCE_SCHEDULE'; get_maintenance_schedule: OperatorResponseGetMaintenanceSchedule };
