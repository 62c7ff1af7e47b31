/**
 * Borealis's own Mesos client (pkg/mesos), which must work unchanged against a real master,
 * driven against the embedded master: subscribe, launch, acknowledge to RUNNING, explicit
 * reconciliation, surviving a master restart, and the operator client's maintenance calls.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  buildFrameworkInfo,
  MesosOperatorClient,
  MesosSchedulerClient,
  needsAcknowledgement,
  TaskReconciler,
} from '../../../pkg/mesos/index.js';
import type { Offer, TaskStatus } from '../../../pkg/mesos/types.js';
import { type MesosLocal, startMesosLocal } from '../../../pkg/mesoslocal/index.js';
import { scalar } from './raw-client.js';

let master: MesosLocal;
let client: MesosSchedulerClient;
const statuses: TaskStatus[] = [];

beforeEach(async () => {
  statuses.length = 0;
  master = await startMesosLocal({ agents: 2, allocationIntervalMs: 20 });
  client = new MesosSchedulerClient({
    masters: master.url,
    frameworkInfo: buildFrameworkInfo({ name: 'interop', user: 'root', failoverTimeoutSeconds: 60 }),
    backoff: { initialMs: 20, maxMs: 100, jitter: 0 },
  });
  client.on('update', (status) => {
    statuses.push(status);
    if (needsAcknowledgement(status)) void client.calls.acknowledge(status).catch(() => undefined);
  });
});
afterEach(async () => {
  client.stop();
  await master.stop();
});

const nextOffers = () => new Promise<Offer[]>((resolve) => client.once('offers', resolve));
const connected = () =>
  new Promise<{ resubscribed: boolean }>((resolve) => client.once('connected', resolve));

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline)
      throw new Error(`condition not met; statuses ${statuses.map((s) => s.state).join(',')}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

it('launches through the client, acknowledges to RUNNING and reconciles the task', async () => {
  const offers = nextOffers();
  client.start();
  const offer = (await offers)[0]!;
  await client.calls.launch(
    [offer.id],
    [
      {
        name: 'interop',
        task_id: { value: 'interop-1' },
        agent_id: offer.agent_id,
        command: { shell: true, value: 'sleep 100' },
        resources: [scalar('cpus', 0.1), scalar('mem', 32)],
      },
    ],
  );
  await until(() => statuses.some((s) => s.state === 'TASK_RUNNING'));
  const result = await new TaskReconciler(client, { backoff: { initialMs: 50, maxMs: 100 } }).reconcile([
    { taskId: 'interop-1', agentId: offer.agent_id.value },
    { taskId: 'never-launched', agentId: offer.agent_id.value },
  ]);
  expect(result.answers.get('interop-1')?.state).toBe('TASK_RUNNING');
  expect(result.answers.get('never-launched')?.state).toBe('TASK_GONE'); // the client is PARTITION_AWARE
  expect(result.unanswered).toEqual([]);
});

it('re-subscribes on its own after a master restart and keeps its framework id', async () => {
  const first = connected();
  client.start();
  await first;
  const id = client.frameworkId;
  const again = connected();
  master.faults.restartMaster({ keepState: true });
  expect((await again).resubscribed).toBe(true);
  expect(client.frameworkId).toBe(id);
});

it('runs the maintenance cycle through the operator client', async () => {
  const operator = new MesosOperatorClient({ masters: master.url });
  try {
    const agents = await operator.getAgents();
    const hostname = agents.agents![0]!.agent_info.hostname;
    const machine = { hostname, ip: '127.0.0.1' };
    await operator.updateMaintenanceSchedule({
      windows: [{ machine_ids: [machine], unavailability: { start: { nanoseconds: Date.now() * 1e6 } } }],
    });
    expect((await operator.getMaintenanceStatus()).draining_machines?.[0]?.id).toEqual(machine);
    await operator.startMaintenance([machine]);
    expect((await operator.getMaintenanceStatus()).down_machines).toEqual([machine]);
    await operator.stopMaintenance([machine]);
    expect((await operator.getMaintenanceSchedule()).windows).toEqual([]);
  } finally {
    operator.close();
  }
});
