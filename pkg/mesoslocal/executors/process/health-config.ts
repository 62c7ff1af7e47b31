/**
 * TaskInfo.health_check (Mesos JSON) → the settings the health checker runs with, with Mesos's
 * defaults and its validation rules (src/common/validation.cpp).
 *
 * Port convention (Borealis extension): `http.port` / `tcp.port` is either a number, as in Mesos,
 * or a string naming one of the task's assigned ports — a DiscoveryInfo port name ("health",
 * case-insensitive) or an index form "PORT1" / "$PORT1" — resolved when the task launches.
 */
import { type ErrorCause, invalid } from '../../../errors/index.js';
import type { ExecutorTaskSpec } from '../types.js';

export type HealthProbeSpec =
  | {
      readonly type: 'HTTP';
      readonly scheme: 'http' | 'https';
      readonly port: number;
      readonly path: string;
      readonly ipv6: boolean;
    }
  | { readonly type: 'TCP'; readonly port: number; readonly ipv6: boolean }
  | {
      readonly type: 'COMMAND';
      readonly shell: boolean;
      readonly value: string;
      readonly arguments: readonly string[];
      readonly env: Readonly<Record<string, string>>;
    };

export interface HealthCheckConfig {
  readonly probe: HealthProbeSpec;
  readonly delayMs: number;
  readonly intervalMs: number;
  /** 0 = no timeout, as in Mesos. */
  readonly timeoutMs: number;
  readonly consecutiveFailures: number;
  readonly gracePeriodMs: number;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parse and validate; throws an Invalid BorealisError listing every problem. */
export function parseHealthCheck(raw: unknown, ports: ExecutorTaskSpec['ports']): HealthCheckConfig {
  const causes: ErrorCause[] = [];
  const fail = (field: string, message: string): void => {
    causes.push({ reason: 'FieldValueInvalid', field: `health_check.${field}`, message });
  };
  const hc: Json = isObject(raw) ? raw : {};
  if (!isObject(raw)) fail('', 'must be an object');

  const seconds = (key: string, fallback: number): number => {
    const value = hc[key] ?? fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      fail(key, 'must be a non-negative number');
      return fallback * 1000;
    }
    return value * 1000;
  };
  const delayMs = seconds('delay_seconds', 15);
  const intervalMs = seconds('interval_seconds', 10);
  const timeoutMs = seconds('timeout_seconds', 20);
  const gracePeriodMs = seconds('grace_period_seconds', 10);
  const failuresRaw = hc['consecutive_failures'] ?? 3;
  let consecutiveFailures = 3;
  if (typeof failuresRaw === 'number' && Number.isInteger(failuresRaw) && failuresRaw >= 0) {
    consecutiveFailures = failuresRaw;
  } else {
    fail('consecutive_failures', 'must be a non-negative integer');
  }

  const port = (field: string, value: unknown): number => {
    const resolved = resolvePort(value, ports);
    if (resolved === undefined) {
      fail(field, `${JSON.stringify(value)} is neither a port number nor the name of an assigned port`);
      return 0;
    }
    return resolved;
  };

  let probe: HealthProbeSpec | undefined;
  const type = hc['type'];
  if (type === 'HTTP') {
    const http = isObject(hc['http']) ? hc['http'] : undefined;
    if (http === undefined) fail('http', "Expecting 'http' to be set for HTTP health check");
    const scheme = http?.['scheme'] ?? 'http';
    if (scheme !== 'http' && scheme !== 'https')
      fail('http.scheme', `Unsupported HTTP health check scheme: '${String(scheme)}'`);
    const path = http?.['path'] ?? '';
    if (typeof path !== 'string' || (path !== '' && !path.startsWith('/'))) {
      fail('http.path', `The path '${String(path)}' of HTTP health check must start with '/'`);
    }
    probe = {
      type: 'HTTP',
      scheme: scheme === 'https' ? 'https' : 'http',
      port: http === undefined ? 0 : port('http.port', http['port']),
      path: typeof path === 'string' ? path : '',
      ipv6: http?.['protocol'] === 'IPv6',
    };
  } else if (type === 'TCP') {
    const tcp = isObject(hc['tcp']) ? hc['tcp'] : undefined;
    if (tcp === undefined) fail('tcp', "Expecting 'tcp' to be set for TCP health check");
    const tcpPort = tcp === undefined ? 0 : port('tcp.port', tcp['port']);
    probe = { type: 'TCP', port: tcpPort, ipv6: tcp?.['protocol'] === 'IPv6' };
  } else if (type === 'COMMAND') {
    probe = parseCommand(hc['command'], fail);
  } else {
    fail('type', `'${String(type)}' is not a valid health check type`);
  }

  if (causes.length > 0 || probe === undefined) throw invalid('health_check', causes);
  return { probe, delayMs, intervalMs, timeoutMs, consecutiveFailures, gracePeriodMs };
}

function parseCommand(raw: unknown, fail: (field: string, message: string) => void): HealthProbeSpec {
  const command = isObject(raw) ? raw : {};
  if (!isObject(raw)) fail('command', "Expecting 'command' to be set for COMMAND health check");
  const shell = command['shell'] !== false; // CommandInfo.shell defaults to true
  const value = command['value'];
  if (typeof value !== 'string' || value === '') {
    fail(
      'command.value',
      `Command health check must contain ${shell ? "'shell command'" : "'executable path'"}`,
    );
  }
  const args = Array.isArray(command['arguments']) ? command['arguments'].map(String) : [];
  const env: Record<string, string> = {};
  const environment = command['environment'];
  const variables =
    isObject(environment) && Array.isArray(environment['variables']) ? environment['variables'] : [];
  for (const variable of variables) {
    if (isObject(variable) && typeof variable['name'] === 'string') {
      env[variable['name']] = String(variable['value'] ?? '');
    }
  }
  return { type: 'COMMAND', shell, value: typeof value === 'string' ? value : '', arguments: args, env };
}

/** A port number, a numeric string, an assigned port's name, or "PORT<i>" / "$PORT<i>". */
export function resolvePort(value: unknown, ports: ExecutorTaskSpec['ports']): number | undefined {
  const valid = (n: number): number | undefined =>
    Number.isInteger(n) && n > 0 && n < 65536 ? n : undefined;
  if (typeof value === 'number') return valid(value);
  if (typeof value !== 'string' || value === '') return undefined;
  if (/^\d+$/.test(value)) return valid(Number(value));
  const index = /^\$?PORT(\d+)$/i.exec(value);
  if (index?.[1] !== undefined) return ports[Number(index[1])]?.number;
  return ports.find((p) => p.name?.toLowerCase() === value.toLowerCase())?.number;
}
