/**
 * Tasks as the scheduler describes them (TaskInfo and what it holds) and as the master reports
 * them (TaskStatus, TaskState, Task), in Mesos v1 JSON.
 */
import type {
  AgentID,
  DurationInfo,
  ExecutorID,
  FrameworkID,
  Labels,
  Parameter,
  TaskID,
  ValueScalar,
} from './common.js';
import type { Resource } from './resources.js';

export interface CommandURI {
  value: string;
  executable?: boolean;
  extract?: boolean;
  cache?: boolean;
  output_file?: string;
}

export type EnvironmentVariableType = 'UNKNOWN' | 'VALUE' | 'SECRET';
export interface EnvironmentVariable {
  name: string;
  type?: EnvironmentVariableType;
  value?: string;
  secret?: {
    type: 'UNKNOWN' | 'REFERENCE' | 'VALUE';
    reference?: { name: string; key?: string };
    value?: { data: string };
  };
}
export interface Environment {
  variables: EnvironmentVariable[];
}

/** What to run. With `shell` (default true) `value` is run by `sh -c`; else `value` is argv[0]. */
export interface CommandInfo {
  uris?: CommandURI[];
  environment?: Environment;
  shell?: boolean;
  value?: string;
  arguments?: string[];
  user?: string;
}

export type HealthCheckType = 'UNKNOWN' | 'COMMAND' | 'HTTP' | 'TCP';
export type NetworkProtocol = 'IPv4' | 'IPv6';
export interface HealthCheckHTTP {
  protocol?: NetworkProtocol;
  scheme?: string;
  port: number;
  path?: string;
  /** Deprecated by Mesos; 200–399 count as healthy. */
  statuses?: number[];
}
export interface HealthCheckTCP {
  protocol?: NetworkProtocol;
  port: number;
}
/** Defaults: delay 15 s, interval 10 s, timeout 20 s, 3 consecutive failures, grace 10 s. */
export interface HealthCheck {
  delay_seconds?: number;
  interval_seconds?: number;
  timeout_seconds?: number;
  consecutive_failures?: number;
  grace_period_seconds?: number;
  type?: HealthCheckType;
  command?: CommandInfo;
  http?: HealthCheckHTTP;
  tcp?: HealthCheckTCP;
}

export type CheckType = 'UNKNOWN' | 'COMMAND' | 'HTTP' | 'TCP';
export interface CheckInfo {
  type?: CheckType;
  command?: { command: CommandInfo };
  http?: { port: number; path?: string };
  tcp?: { port: number };
  delay_seconds?: number;
  interval_seconds?: number;
  timeout_seconds?: number;
}

/** How long a task gets between the graceful signal and the forced kill. */
export interface KillPolicy {
  grace_period?: DurationInfo;
}

export type DiscoveryVisibility = 'FRAMEWORK' | 'CLUSTER' | 'EXTERNAL';
export interface Port {
  number: number;
  name?: string;
  protocol?: string;
  visibility?: DiscoveryVisibility;
  labels?: Labels;
}
export interface Ports {
  ports: Port[];
}
export interface DiscoveryInfo {
  visibility: DiscoveryVisibility;
  name?: string;
  environment?: string;
  location?: string;
  version?: string;
  ports?: Ports;
  labels?: Labels;
}

export interface NetworkInfo {
  ip_addresses?: { protocol?: NetworkProtocol; ip_address?: string }[];
  name?: string;
  groups?: string[];
  labels?: Labels;
  port_mappings?: { host_port: number; container_port: number; protocol?: string }[];
}

export type ContainerType = 'DOCKER' | 'MESOS';
export interface ContainerVolume {
  mode: 'RW' | 'RO';
  container_path: string;
  host_path?: string;
}
export interface ContainerInfo {
  type: ContainerType;
  volumes?: ContainerVolume[];
  hostname?: string;
  docker?: {
    image: string;
    network?: 'HOST' | 'BRIDGE' | 'NONE' | 'USER';
    port_mappings?: { host_port: number; container_port: number; protocol?: string }[];
    privileged?: boolean;
    parameters?: Parameter[];
    force_pull_image?: boolean;
  };
  mesos?: {
    image?: { type: 'APPC' | 'DOCKER'; docker?: { name: string }; appc?: { name: string }; cached?: boolean };
  };
  network_infos?: NetworkInfo[];
}

export type ExecutorType = 'UNKNOWN' | 'DEFAULT' | 'CUSTOM';
export interface ExecutorInfo {
  type?: ExecutorType;
  executor_id: ExecutorID;
  framework_id?: FrameworkID;
  command?: CommandInfo;
  container?: ContainerInfo;
  resources?: Resource[];
  name?: string;
  /** bytes, base64. */
  data?: string;
  discovery?: DiscoveryInfo;
  shutdown_grace_period?: DurationInfo;
  labels?: Labels;
}

/** A task to launch. Exactly one of `command` or `executor` must be set. */
export interface TaskInfo {
  name: string;
  task_id: TaskID;
  agent_id: AgentID;
  resources?: Resource[];
  executor?: ExecutorInfo;
  command?: CommandInfo;
  container?: ContainerInfo;
  health_check?: HealthCheck;
  check?: CheckInfo;
  kill_policy?: KillPolicy;
  /** bytes, base64. */
  data?: string;
  labels?: Labels;
  discovery?: DiscoveryInfo;
  max_completion_time?: DurationInfo;
  /** Resource limits above the request, e.g. `{"cpus": {"value": 2}}`. */
  limits?: Record<string, ValueScalar>;
}

export interface TaskGroupInfo {
  tasks: TaskInfo[];
}
