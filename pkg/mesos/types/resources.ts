/**
 * Resources, attributes, offers, inverse offers and offer operations (mesos.proto), as JSON.
 */
import type {
  Address,
  AgentID,
  DomainInfo,
  ExecutorID,
  FrameworkID,
  Labels,
  OfferID,
  OperationID,
  ResourceProviderID,
  Unavailability,
  URL,
  ValueRanges,
  ValueScalar,
  ValueSet,
  ValueText,
  ValueType,
} from './common.js';
import type { ExecutorInfo, TaskGroupInfo, TaskInfo } from './tasks.js';

export interface ResourceAllocationInfo {
  role?: string;
}

export type ReservationType = 'UNKNOWN' | 'STATIC' | 'DYNAMIC';
export interface ReservationInfo {
  type?: ReservationType;
  role?: string;
  principal?: string;
  labels?: Labels;
}

export type DiskSourceType = 'UNKNOWN' | 'PATH' | 'MOUNT' | 'BLOCK' | 'RAW';
export interface DiskInfo {
  persistence?: { id: string; principal?: string };
  volume?: { mode: 'RW' | 'RO'; container_path: string; host_path?: string };
  source?: {
    type: DiskSourceType;
    path?: { root?: string };
    mount?: { root?: string };
    vendor?: string;
    id?: string;
    profile?: string;
  };
}

/** A resource: cpus/mem/disk/gpus are SCALAR, ports RANGES, anything else may be SET. */
export interface Resource {
  provider_id?: ResourceProviderID;
  name: string;
  type: Exclude<ValueType, 'TEXT'>;
  scalar?: ValueScalar;
  ranges?: ValueRanges;
  set?: ValueSet;
  /** Pre-reservation-refinement role ("*" = unreserved); deprecated in favour of `reservations`. */
  role?: string;
  allocation_info?: ResourceAllocationInfo;
  /** Pre-refinement single reservation; deprecated in favour of `reservations`. */
  reservation?: ReservationInfo;
  /** Reservation stack, innermost last (RESERVATION_REFINEMENT). */
  reservations?: ReservationInfo[];
  disk?: DiskInfo;
  /** Present (as `{}`) when the resource is revocable. */
  revocable?: Record<string, never>;
  /** Present (as `{}`) when the resource is shared. */
  shared?: Record<string, never>;
}

/** An agent attribute (rack, zone, ...). TEXT is the common case. */
export interface Attribute {
  name: string;
  type: ValueType;
  scalar?: ValueScalar;
  ranges?: ValueRanges;
  set?: ValueSet;
  text?: ValueText;
}

export type AgentCapabilityType =
  | 'UNKNOWN'
  | 'MULTI_ROLE'
  | 'HIERARCHICAL_ROLE'
  | 'RESERVATION_REFINEMENT'
  | 'RESOURCE_PROVIDER'
  | 'RESIZE_VOLUME'
  | 'AGENT_OPERATION_FEEDBACK'
  | 'AGENT_DRAINING'
  | 'TASK_RESOURCE_LIMITS';

export interface AgentInfo {
  hostname: string;
  port?: number;
  resources?: Resource[];
  attributes?: Attribute[];
  id?: AgentID;
  domain?: DomainInfo;
}

export type MasterCapabilityType = 'UNKNOWN' | 'AGENT_UPDATE' | 'AGENT_DRAINING' | 'QUOTA_V2';
export interface MasterInfo {
  id: string;
  /** IPv4 address packed into a uint32 (network byte order), as Mesos sends it. */
  ip: number;
  port: number;
  pid?: string;
  hostname?: string;
  version?: string;
  address?: Address;
  domain?: DomainInfo;
  capabilities?: { type: MasterCapabilityType }[];
}

export interface Offer {
  id: OfferID;
  framework_id: FrameworkID;
  agent_id: AgentID;
  hostname: string;
  url?: URL;
  domain?: DomainInfo;
  resources?: Resource[];
  attributes?: Attribute[];
  executor_ids?: ExecutorID[];
  /** Set when the agent is scheduled for maintenance (DRAINING). */
  unavailability?: Unavailability;
  allocation_info?: ResourceAllocationInfo;
}

/** A request from the master to give resources back (maintenance). Empty resources = whole agent. */
export interface InverseOffer {
  id: OfferID;
  url?: URL;
  framework_id: FrameworkID;
  agent_id?: AgentID;
  unavailability: Unavailability;
  resources?: Resource[];
}

export type OfferOperationType =
  | 'UNKNOWN'
  | 'LAUNCH'
  | 'LAUNCH_GROUP'
  | 'RESERVE'
  | 'UNRESERVE'
  | 'CREATE'
  | 'DESTROY'
  | 'GROW_VOLUME'
  | 'SHRINK_VOLUME'
  | 'CREATE_DISK'
  | 'DESTROY_DISK';

export interface OfferOperationLaunch {
  task_infos: TaskInfo[];
}
export interface OfferOperationLaunchGroup {
  executor: ExecutorInfo;
  task_group: TaskGroupInfo;
}

/** Offer.Operation: one of its sub-messages, named by `type`. */
export interface OfferOperation {
  type: OfferOperationType;
  id?: OperationID;
  launch?: OfferOperationLaunch;
  launch_group?: OfferOperationLaunchGroup;
  reserve?: { source?: Resource[]; resources: Resource[] };
  unreserve?: { resources: Resource[] };
  create?: { volumes: Resource[] };
  destroy?: { volumes: Resource[] };
  grow_volume?: { volume: Resource; addition: Resource };
  shrink_volume?: { volume: Resource; subtract: ValueScalar };
  create_disk?: { source: Resource; target_type: DiskSourceType; target_profile?: string };
  destroy_disk?: { source: Resource };
}
