/**
 * Process executor: how TaskInfo.health_check JSON is read — Mesos's defaults and validation
 * messages, and the Borealis convention for naming a port instead of numbering it.
 */
import { describe, expect, it } from 'vitest';
import { isBorealisError } from '../../../pkg/errors/index.js';
import { parseHealthCheck } from '../../../pkg/mesoslocal/executors/process/health-config.js';

const ports = [{ number: 31000, name: 'http' }, { number: 31001, name: 'Admin' }, { number: 31002 }];

describe('process executor: health check settings', () => {
  it('applies Mesos defaults: delay 15 s, interval 10 s, timeout 20 s, 3 failures, grace 10 s', () => {
    const config = parseHealthCheck({ type: 'TCP', tcp: { port: 8080 } }, ports);
    expect(config).toEqual({
      probe: { type: 'TCP', port: 8080, ipv6: false },
      delayMs: 15_000,
      intervalMs: 10_000,
      timeoutMs: 20_000,
      consecutiveFailures: 3,
      gracePeriodMs: 10_000,
    });
  });

  it('resolves a port given by number, by assigned-port name (any case) or as PORT<n>', () => {
    const port = (value: unknown): number => {
      const { probe } = parseHealthCheck({ type: 'HTTP', http: { port: value } }, ports);
      return probe.type === 'HTTP' ? probe.port : -1;
    };
    expect(port(9000)).toBe(9000);
    expect(port('9000')).toBe(9000);
    expect(port('http')).toBe(31000);
    expect(port('admin')).toBe(31001);
    expect(port('PORT2')).toBe(31002);
    expect(port('$PORT1')).toBe(31001);
  });

  it('defaults an HTTP check to scheme http and path "" (GET /), and a COMMAND check to a shell', () => {
    expect(parseHealthCheck({ type: 'HTTP', http: { port: 1 } }, ports).probe).toEqual({
      type: 'HTTP',
      scheme: 'http',
      port: 1,
      path: '',
      ipv6: false,
    });
    expect(
      parseHealthCheck(
        {
          type: 'COMMAND',
          command: { value: 'true', environment: { variables: [{ name: 'A', value: 'b' }] } },
        },
        ports,
      ).probe,
    ).toEqual({ type: 'COMMAND', shell: true, value: 'true', arguments: [], env: { A: 'b' } });
  });

  it('rejects invalid settings with every problem named, in Mesos words', () => {
    let thrown: unknown;
    try {
      parseHealthCheck(
        {
          type: 'HTTP',
          http: { port: 'metrics', scheme: 'ftp', path: 'health' },
          delay_seconds: -1,
          consecutive_failures: 1.5,
        },
        ports,
      );
    } catch (err) {
      thrown = err;
    }
    expect(isBorealisError(thrown, 'Invalid')).toBe(true);
    const causes = isBorealisError(thrown) ? thrown.causes.map((c) => `${c.field}: ${c.message}`) : [];
    expect(causes).toEqual([
      'health_check.delay_seconds: must be a non-negative number',
      'health_check.consecutive_failures: must be a non-negative integer',
      "health_check.http.scheme: Unsupported HTTP health check scheme: 'ftp'",
      "health_check.http.path: The path 'health' of HTTP health check must start with '/'",
      'health_check.http.port: "metrics" is neither a port number nor the name of an assigned port',
    ]);
  });

  it('rejects a check without a known type or without its settings', () => {
    expect(() => parseHealthCheck({ type: 'GRPC' }, ports)).toThrow(
      "'GRPC' is not a valid health check type",
    );
    expect(() => parseHealthCheck({ type: 'TCP' }, ports)).toThrow(
      "Expecting 'tcp' to be set for TCP health check",
    );
    expect(() => parseHealthCheck({ type: 'COMMAND', command: {} }, ports)).toThrow(
      "Command health check must contain 'shell command'",
    );
  });
});
