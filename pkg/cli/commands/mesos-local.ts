/**
 * `borealis mesos-local`: run the embedded Mesos-compatible master with agents until SIGINT or
 * SIGTERM. Frameworks (Borealis itself, or any v1 HTTP scheduler) connect to the printed URL.
 */
import type { Command } from 'commander';
import { parseAgentResources, parseAttributes } from '../../mesoslocal/agent-spec.js';
import { startMesosLocal } from '../../mesoslocal/index.js';

function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0)
      throw new Error(`${name} must be a non-negative integer, got '${value}'`);
    return n;
  };
}

export interface MesosLocalCommandDeps {
  /** Where the one "listening on" line goes (default stdout). */
  readonly out?: (line: string) => void;
  /** Resolves when the master should stop (default: SIGINT or SIGTERM). */
  readonly stopped?: () => Promise<void>;
}

function untilSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export function registerMesosLocal(program: Command, deps: MesosLocalCommandDeps = {}): void {
  const out = deps.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const stopped = deps.stopped ?? untilSignal;
  program
    .command('mesos-local')
    .description('Run an embedded Mesos-compatible master (v1 scheduler and operator HTTP APIs) with agents.')
    .option('--port <port>', 'port of the master (0 picks a free one)', positiveInt('--port'), 5050)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--agents <n>', 'number of agents', positiveInt('--agents'), 1)
    .option(
      '--executor <kind>',
      "how agents run tasks: 'sim' (simulated) or 'process' (real processes)",
      'sim',
    )
    .option(
      '--agent-resources <resources>',
      'resources of every agent, e.g. "cpus:4;mem:8192;disk:20000;ports:[31000-32000]" (also gpus, revocable_cpus)',
    )
    .option(
      '--attributes <attributes>',
      'agent attributes, e.g. "rack:r1,r2;zone:a". A comma list spreads agents over its values: ' +
        'agent i gets value number (i mod n), so with "rack:r1,r2" agents 0,2,4.. are in r1 and 1,3,5.. in r2. ' +
        "Every agent also has 'host' = its hostname (agent-<i>).",
    )
    .option(
      '--allocation-interval <ms>',
      'allocation round interval in ms',
      positiveInt('--allocation-interval'),
      1000,
    )
    .option(
      '--agent-ping-timeout <ms>',
      'time before a silent agent is marked unreachable',
      positiveInt('--agent-ping-timeout'),
    )
    .action(async (opts: Record<string, unknown>) => {
      const executor = opts['executor'];
      if (executor !== 'sim' && executor !== 'process')
        throw new Error(`--executor must be sim or process, got '${String(executor)}'`);
      const resources =
        typeof opts['agentResources'] === 'string' ? parseAgentResources(opts['agentResources']) : undefined;
      const attributes =
        typeof opts['attributes'] === 'string' ? parseAttributes(opts['attributes']) : undefined;
      const ping = opts['agentPingTimeout'];
      const master = await startMesosLocal({
        port: opts['port'] as number,
        host: opts['host'] as string,
        agents: opts['agents'] as number,
        executor,
        allocationIntervalMs: opts['allocationInterval'] as number,
        ...(resources === undefined ? {} : { agentResources: resources }),
        ...(attributes === undefined ? {} : { attributes }),
        ...(typeof ping === 'number' ? { agentPingTimeoutMs: ping } : {}),
      });
      out(
        `mesos-local master listening on ${master.url} (${String(opts['agents'])} agents, ${executor} executor)`,
      );
      await stopped();
      await master.stop();
    });
}
