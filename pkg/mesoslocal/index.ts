/**
 * The embedded Mesos-compatible master: `startMesosLocal(options)` starts a master with agents
 * on 127.0.0.1 speaking the v1 scheduler and operator HTTP APIs as Mesos does.
 */
import type { AddressInfo } from 'node:net';
import { addAgent } from './agents.js';
import { Allocator } from './allocator.js';
import { createFaults, type MesosLocalFaults } from './faults.js';
import { createMasterServer } from './http/server.js';
import { Master } from './master.js';
import type { AgentNode, FrameworkRecord, OfferRecord } from './model.js';
import { type MesosLocalOptions, resolveOptions } from './options.js';

export { parseAgentResources, parseAttributes } from './agent-spec.js';
export type { MesosLocalFaults } from './faults.js';
export type { AgentNode, FrameworkRecord, OfferRecord, TaskRecord } from './model.js';
export type { AgentResourceOptions, ExecutorFactory, MesosLocalOptions } from './options.js';

/** Read-only access to the master's books, for tests and tools. */
export interface MesosLocalState {
  readonly masterId: string;
  readonly agents: ReadonlyMap<string, AgentNode>;
  readonly frameworks: ReadonlyMap<string, FrameworkRecord>;
  readonly offers: ReadonlyMap<string, OfferRecord>;
  /** Agent ids in registration order (stable across tests: agent i is agentIds[i]). */
  agentIds(): string[];
}

export interface MesosLocal {
  /** http://127.0.0.1:PORT (the scheduler API is at `${url}/api/v1/scheduler`). */
  readonly url: string;
  readonly port: number;
  readonly faults: MesosLocalFaults;
  readonly state: MesosLocalState;
  /** Run one allocation round now (tests with a FakeClock). */
  allocate(): Promise<void>;
  stop(): Promise<void>;
}

export async function startMesosLocal(options: MesosLocalOptions = {}): Promise<MesosLocal> {
  const resolved = resolveOptions(options);
  const m = new Master(resolved);
  for (let i = 0; i < resolved.agents; i++) addAgent(m, i);
  const allocator = new Allocator(m);
  const faults = createFaults(m, allocator);
  const server = createMasterServer(m, faults);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, resolved.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  m.port = (server.address() as AddressInfo).port;
  allocator.start();
  m.log.debug(
    { port: m.port, agents: resolved.agents, masterId: m.ids.masterId },
    'mesos-local master started',
  );
  let stopped = false;
  return {
    url: `http://${resolved.host}:${m.port}`,
    port: m.port,
    faults,
    state: {
      get masterId() {
        return m.ids.masterId;
      },
      agents: m.agents,
      frameworks: m.frameworks,
      offers: m.offers,
      agentIds: () => [...m.agents.keys()],
    },
    allocate: () => allocator.round(),
    async stop() {
      if (stopped) return;
      stopped = true;
      allocator.stop();
      for (const fw of m.frameworks.values()) {
        fw.failoverTimer?.cancel();
        fw.connection?.close();
      }
      for (const agent of m.agents.values()) agent.pingTimer?.cancel();
      for (const manager of m.updateManagers.values()) manager.dropAll();
      await Promise.all([...m.executors.values()].map((e) => e.shutdown()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
