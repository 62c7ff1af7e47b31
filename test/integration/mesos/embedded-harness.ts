/**
 * Harness for running the Mesos clients against the embedded master: a TaskBook that tracks
 * offers and task updates (acknowledging reliable ones, as a framework must), and helpers to start
 * a master, subscribe, and launch tasks until they run.
 */
import { afterEach } from 'vitest';
import { MesosOperatorClient } from '../../../pkg/mesos/operator-client.js';
import { needsAcknowledgement } from '../../../pkg/mesos/scheduler-calls.js';
import type { MesosSchedulerClient, SchedulerClientOptions } from '../../../pkg/mesos/scheduler-client.js';
import type { Offer, TaskInfo, TaskState, TaskStatus } from '../../../pkg/mesos/types.js';
import { type MesosLocal, type MesosLocalOptions, startMesosLocal } from '../../../pkg/mesoslocal/index.js';
import { FRAMEWORK_INFO, newClient, next, waitUntil } from './helpers.js';

/**
 * What a framework keeps: outstanding offers, and every update, latest state and acknowledgement
 * per task. Listeners are attached before start(): OFFERS can arrive in the same chunk as
 * SUBSCRIBED, before any `await` after `connected` resumes.
 */
export class TaskBook {
  readonly offers: Offer[] = [];
  readonly latest = new Map<string, TaskStatus>();
  readonly states = new Map<string, TaskState[]>();
  readonly all: TaskStatus[] = [];
  readonly ackFailures: unknown[] = [];
  /** `taskId/uuid` of every update acknowledged (a re-sent update is acknowledged again, same key). */
  readonly acked = new Set<string>();

  constructor(client: MesosSchedulerClient) {
    client.on('offers', (offers) => this.offers.push(...offers));
    client.on('rescind', (id) => {
      const i = this.offers.findIndex((o) => o.id.value === id.value);
      if (i >= 0) this.offers.splice(i, 1);
    });
    client.on('update', (status) => {
      const id = status.task_id.value;
      this.all.push(status);
      this.latest.set(id, status);
      const seen = this.states.get(id) ?? [];
      // Delivery is at least once: a re-sent update repeats the state it carries.
      if (seen.at(-1) !== status.state) seen.push(status.state);
      this.states.set(id, seen);
      if (needsAcknowledgement(status)) {
        client.calls.acknowledge(status).then(
          () => this.acked.add(`${id}/${status.uuid}`),
          (err: unknown) => this.ackFailures.push(err),
        );
      }
    });
  }

  /** Take every outstanding offer (waiting for at least one). */
  async takeOffers(): Promise<Offer[]> {
    await this.until('an offer', () => this.offers.length > 0, 5000);
    return this.offers.splice(0);
  }

  async takeOffer(): Promise<Offer> {
    const [offer, ...rest] = await this.takeOffers();
    this.offers.push(...rest);
    return offer!;
  }

  count(state: TaskState): number {
    let n = 0;
    for (const status of this.latest.values()) if (status.state === state) n++;
    return n;
  }

  async until(what: string, condition: () => boolean, timeoutMs = 20_000): Promise<void> {
    await waitUntil(condition, timeoutMs, what);
  }
}

let master: MesosLocal | undefined;
/** Every scheduler client a test made (stopped after each test). */
export const clients: MesosSchedulerClient[] = [];
const operators: MesosOperatorClient[] = [];

/** Stop every client and the master after each test of the importing file. */
export function cleanUpAfterEach(): void {
  afterEach(async () => {
    for (const c of clients.splice(0)) c.stop();
    for (const o of operators.splice(0)) o.close();
    await master?.stop();
    master = undefined;
  });
}

/** An operator client for `url`, closed after the test. */
export function operatorFor(url: string): MesosOperatorClient {
  const operator = new MesosOperatorClient({ masters: url });
  operators.push(operator);
  return operator;
}

export async function startMaster(options: MesosLocalOptions = {}): Promise<MesosLocal> {
  master = await startMesosLocal({
    agents: 2,
    agentResources: { cpus: 64, mem: 65536 },
    allocationIntervalMs: 20,
    statusUpdateRetryMs: 500,
    ...options,
  });
  return master;
}

export async function subscribed(
  url: string,
  frameworkId?: string,
  frameworkInfo = FRAMEWORK_INFO,
  extra: Partial<SchedulerClientOptions> = {},
): Promise<{ client: MesosSchedulerClient; book: TaskBook }> {
  const client = newClient(
    url,
    frameworkId === undefined ? { ...extra, frameworkInfo } : { ...extra, frameworkId, frameworkInfo },
  );
  clients.push(client);
  const book = new TaskBook(client);
  const connected = next(client, 'connected');
  client.start();
  await connected;
  return { client, book };
}

export function tasksFor(offer: Offer, prefix: string, count: number): TaskInfo[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `${prefix}-${i}`,
    task_id: { value: `${prefix}-${i}` },
    agent_id: offer.agent_id,
    command: { shell: true, value: 'sleep 3600' },
    resources: [
      { name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } },
      { name: 'mem', type: 'SCALAR', scalar: { value: 16 } },
    ],
  }));
}

/** Launch `count` tasks on the first offered agent, in one ACCEPT, and wait until all run. */
export async function launchRunning(
  client: MesosSchedulerClient,
  book: TaskBook,
  prefix: string,
  count: number,
) {
  const offer = await book.takeOffer();
  await client.calls.launch([offer.id], tasksFor(offer, prefix, count), { refuse_seconds: 1 });
  await book.until(`${count} tasks RUNNING`, () => {
    let running = 0;
    for (const [id, status] of book.latest)
      if (id.startsWith(`${prefix}-`) && status.state === 'TASK_RUNNING') running++;
    return running === count;
  });
  return offer;
}
