/**
 * Placement alone against the embedded master (one sim agent), through a real API server and
 * informers: what a placement test needs, torn down after each test.
 */
import { afterEach } from 'vitest';
import type { Task } from '../../../api/v1/task.js';
import { createPlacementController } from '../../../controllers/placement/controller.js';
import { buildInformers } from '../../../controllers/shared/informers.js';
import { NAMESPACES, TASKS } from '../../../pkg/client/refs.js';
import type { MesosLocalOptions } from '../../../pkg/mesoslocal/index.js';
import { systemClock } from '../../../pkg/runtime/clock.js';
import { task } from '../../unit/controllers/jobs/fixtures.js';
import { startTestServer, type TestServer } from '../client/support/servers.js';
import { cleanUpAfterEach, startMaster, subscribed } from '../mesos/embedded-harness.js';
import { FRAMEWORK_INFO } from '../mesos/helpers.js';

cleanUpAfterEach();
let server: TestServer | undefined;
const stops: (() => void)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) stop();
  await server?.close();
  server = undefined;
});

export function pendingTask(name: string): Task {
  const t = task(0, 'Pending', { name, events: ['Pending'] });
  return {
    ...t,
    metadata: { name, namespace: 'www-data' },
    spec: {
      ...t.spec,
      template: {
        command: 'sleep 3600',
        gracefulShutdownSeconds: 5,
        resources: { cpus: 1, ramMb: 64, diskMb: 64 },
      },
    },
    status: { phase: 'Pending', events: [] },
  } as Task;
}

/** Informers and placement over a fresh server, subscribed to a one-agent master. */
/** `subscribesSuppressed`: subscribe with the role suppressed, as the controllers do. */
export async function setUp(offerHoldMs = 200, subscribesSuppressed = false) {
  const options: MesosLocalOptions = { agents: 1, executor: 'sim', agentResources: { cpus: 4, mem: 4096 } };
  const master = await startMaster(options);
  server = await startTestServer();
  const client = server.clients.inProcess;
  await client
    .resource(NAMESPACES)
    .create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'www-data' } });
  const informers = buildInformers(client, systemClock);
  for (const informer of informers.all) {
    informer.start();
    stops.push(() => informer.stop());
  }
  await Promise.all(informers.all.map((i) => i.waitForSync()));
  const { client: mesos } = await subscribed(
    master.url,
    undefined,
    { ...FRAMEWORK_INFO, roles: ['borealis'] },
    subscribesSuppressed ? { suppressedRoles: ['borealis'] } : {},
  );
  const agent = [...master.state.agents.values()][0]!;
  const start = (): void => {
    const placement = createPlacementController({
      client,
      informers,
      mesos,
      clock: systemClock,
      role: 'borealis',
      offerHoldMs,
      subscribesSuppressed,
    });
    stops.push(() => placement.stop());
    mesos.on('offers', (offers) => placement.onOffers(offers));
    mesos.on('rescind', (id) => placement.onRescind(id.value));
    placement.onConnected();
  };
  /** Ids of the Mesos tasks on the agent (the Task's name is their last part). */
  const onAgent = (): string[] => [...agent.tasks.values()].map((t) => t.taskId);
  return { master, mesos, informers, tasks: client.resource<Task>(TASKS), agent, onAgent, start };
}
