/**
 * Mesos v1 JSON wire types shared by every message: ids, labels, time, values, filters.
 * Field names are the proto field names (snake_case) because that is what the master reads and
 * writes; enums are string unions of the proto enum names.
 */

/**
 * A proto int64/uint64. Mesos writes these as JSON numbers, but a proxy or another JSON codec may
 * write them as strings, and nanosecond timestamps can exceed 2^53; read them with `int64ToNumber`.
 */
export type Int64 = number | string;

export interface FrameworkID {
  value: string;
}
export interface OfferID {
  value: string;
}
export interface AgentID {
  value: string;
}
export interface TaskID {
  value: string;
}
export interface ExecutorID {
  value: string;
}
export interface ContainerID {
  value: string;
  parent?: ContainerID;
}
export interface OperationID {
  value: string;
}
export interface ResourceProviderID {
  value: string;
}

export interface Label {
  key: string;
  value?: string;
}
export interface Labels {
  labels: Label[];
}

export interface Parameter {
  key: string;
  value: string;
}
export interface Parameters {
  parameter: Parameter[];
}

/** A point in time, nanoseconds since the epoch. */
export interface TimeInfo {
  nanoseconds: Int64;
}
export interface DurationInfo {
  nanoseconds: Int64;
}
/** google.protobuf.Duration as the operator API's DRAIN_AGENT takes it. */
export interface ProtobufDuration {
  seconds: Int64;
  nanos?: number;
}

/** When a machine or resource will become unavailable, and for how long (absent = forever). */
export interface Unavailability {
  start: TimeInfo;
  duration?: DurationInfo;
}

/** A machine as maintenance names it: hostname and/or IP. */
export interface MachineID {
  hostname?: string;
  ip?: string;
}

export interface Address {
  hostname?: string;
  ip?: string;
  port: number;
}
export interface URL {
  scheme: string;
  address: Address;
  path?: string;
  query?: Parameter[];
  fragment?: string;
}

export interface DomainInfo {
  fault_domain?: {
    region: { name: string };
    zone: { name: string };
  };
}

export type ValueType = 'SCALAR' | 'RANGES' | 'SET' | 'TEXT';
export interface ValueScalar {
  value: number;
}
/** Inclusive range; ports in practice, so numbers. */
export interface ValueRange {
  begin: number;
  end: number;
}
export interface ValueRanges {
  range: ValueRange[];
}
export interface ValueSet {
  item: string[];
}
export interface ValueText {
  value: string;
}

/** Offer filters: how long the master should hold back refused resources (default 5 s). */
export interface Filters {
  refuse_seconds?: number;
}
