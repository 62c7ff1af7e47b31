/**
 * The scheduler and operator clients against the embedded Mesos-compatible master (pkg/mesoslocal)
 * over real HTTP: the full loop a framework runs — subscribe, launch hundreds of tasks in one
 * ACCEPT, acknowledge, kill, reconcile, fail over, and answer inverse offers for maintenance.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { MesosCallRejected, MesosHttpError, MesosMasterError } from '../../../pkg/mesos/errors.js';
import { TaskReconciler } from '../../../pkg/mesos/task-reconciler.js';
import type { TaskInfo } from '../../../pkg/mesos/types.js';
import {
  cleanUpAfterEach,
  clients,
  launchRunning,
  operatorFor,
  startMaster,
  subscribed,
  tasksFor,
} from './embedded-harness.js';
import { FRAMEWORK_INFO, newClient, next, waitUntil } from './helpers.js';

cleanUpAfterEach();

describe('scheduler client against the embedded master', () => {
  it('subscribes and receives typed offers from every agent', async () => {
    const m = await startMaster();
    const { client, book } = await subscribed(m.url);
    expect(client.frameworkId).toBe(`${m.state.masterId}-0000`);
    const offers = book.offers;
    await waitUntil(
      () => new Set(offers.map((o) => o.agent_id.value)).size === 2,
      5000,
      'offers from both agents',
    );
    const cpus = offers[0]?.resources?.find((r) => r.name === 'cpus');
    expect(cpus).toMatchObject({ type: 'SCALAR', scalar: { value: 64 } });
  });

  it('launches 300 tasks in one ACCEPT; each reports STARTING then RUNNING and is acknowledged', async () => {
    const m = await startMaster();
    const { client, book } = await subscribed(m.url);
    const offer = await launchRunning(client, book, 'web', 300);
    for (const [id, states] of book.states)
      expect([id, states]).toEqual([id, ['TASK_STARTING', 'TASK_RUNNING']]);
    await book.until('every reliable update acknowledged', () => book.acked.size === 600);
    expect(book.ackFailures).toEqual([]);
    expect(
      book.all.every((s) => s.source === 'SOURCE_EXECUTOR' && s.agent_id?.value === offer.agent_id.value),
    ).toBe(true);
    const operator = operatorFor(m.url);
    const { tasks } = await operator.getTasks();
    const ours = tasks.filter((t) => t.framework_id.value === client.frameworkId);
    expect(ours).toHaveLength(300);
    expect(ours.every((t) => t.state === 'TASK_RUNNING')).toBe(true);
  });

  it('kills tasks through TASK_KILLING (the framework asked for that capability) to TASK_KILLED', async () => {
    const m = await startMaster();
    const { client, book } = await subscribed(m.url);
    await launchRunning(client, book, 'victim', 5);
    await Promise.all(
      [0, 1, 2].map((i) =>
        client.calls.kill(`victim-${i}`, {
          agentId: book.latest.get(`victim-${i}`)!.agent_id!,
          gracePeriodMs: 200,
        }),
      ),
    );
    await book.until('3 tasks KILLED', () => book.count('TASK_KILLED') === 3);
    for (const i of [0, 1, 2])
      expect(book.states.get(`victim-${i}`)).toEqual([
        'TASK_STARTING',
        'TASK_RUNNING',
        'TASK_KILLING',
        'TASK_KILLED',
      ]);
    expect(book.count('TASK_RUNNING')).toBe(2);
  });

  it('reconciles explicitly (known and unknown tasks) and implicitly; the answers cannot be acknowledged', async () => {
    const m = await startMaster();
    const { client, book } = await subscribed(m.url);
    const offer = await launchRunning(client, book, 'rec', 20);
    const before = book.all.length;
    await client.calls.reconcile([
      { taskId: 'rec-0', agentId: offer.agent_id },
      { taskId: 'never-launched', agentId: offer.agent_id },
    ]);
    await book.until('2 explicit answers', () => book.all.length >= before + 2);
    const explicit = book.all.slice(before);
    const answer = (id: string) => explicit.find((s) => s.task_id.value === id);
    expect(answer('rec-0')).toMatchObject({
      state: 'TASK_RUNNING',
      source: 'SOURCE_MASTER',
      reason: 'REASON_RECONCILIATION',
    });
    // PARTITION_AWARE framework, agent registered, task unknown: TASK_GONE.
    expect(answer('never-launched')).toMatchObject({ state: 'TASK_GONE', reason: 'REASON_RECONCILIATION' });
    expect(explicit.every((s) => s.uuid === undefined)).toBe(true);
    await expect(client.calls.acknowledge(answer('rec-0')!)).rejects.toThrow(MesosCallRejected);

    const beforeImplicit = book.all.length;
    await client.calls.reconcileAll();
    await book.until('20 implicit answers', () => book.all.length >= beforeImplicit + 20);
    const implicit = book.all.slice(beforeImplicit);
    expect(new Set(implicit.map((s) => s.task_id.value)).size).toBe(20);
    expect(implicit.every((s) => s.reason === 'REASON_RECONCILIATION' && s.state === 'TASK_RUNNING')).toBe(
      true,
    );
  });

  it('fails over: a new client with the same framework id, within failover_timeout, keeps the tasks', async () => {
    const m = await startMaster();
    const first = await subscribed(m.url);
    await launchRunning(first.client, first.book, 'keep', 10);
    await first.book.until('acknowledged', () => first.book.acked.size === 20);
    const frameworkId = first.client.frameworkId!;
    first.client.stop();

    const second = await subscribed(m.url, frameworkId);
    expect(second.client.frameworkId).toBe(frameworkId);
    await second.client.calls.reconcileAll();
    await second.book.until('10 tasks reported', () => second.book.latest.size === 10);
    expect(second.book.count('TASK_RUNNING')).toBe(10);
  });

  it('re-subscribes by itself after the master restarts, with the same framework id and tasks', async () => {
    const m = await startMaster();
    const { client, book } = await subscribed(m.url);
    await launchRunning(client, book, 'survivor', 4);
    const frameworkId = client.frameworkId;
    const disconnected = next(client, 'disconnected');
    const reconnected = next(client, 'connected', 10_000);
    m.faults.restartMaster({ keepState: true });
    expect((await disconnected)[0].wasSubscribed).toBe(true);
    const [info] = await reconnected;
    expect(info).toMatchObject({ frameworkId, resubscribed: true });
    const before = book.all.length;
    await client.calls.reconcileAll();
    await book.until('4 tasks reported', () => book.all.length >= before + 4);
    expect(book.all.slice(before).every((s) => s.state === 'TASK_RUNNING')).toBe(true);
  });

  it('gets inverse offers for a machine scheduled for maintenance, and its answer shows in the status', async () => {
    const m = await startMaster();
    const { client, book } = await subscribed(m.url);
    const offer = await launchRunning(client, book, 'maint', 2);
    const operator = operatorFor(m.url);
    const inverse = next(client, 'inverseOffers', 10_000);
    const startNs = (Date.now() + 3_600_000) * 1_000_000;
    await operator.updateMaintenanceSchedule({
      windows: [
        {
          machine_ids: [{ hostname: offer.hostname }],
          unavailability: { start: { nanoseconds: startNs }, duration: { nanoseconds: 3_600_000_000_000 } },
        },
      ],
    });
    const [inverseOffers] = await inverse;
    const ours = inverseOffers.find((o) => o.agent_id?.value === offer.agent_id.value);
    expect(ours).toBeDefined();
    expect(Number(ours!.unavailability.start.nanoseconds)).toBe(startNs);
    await client.calls.acceptInverseOffers([ours!.id]);
    const answers = async () => {
      const status = await operator.getMaintenanceStatus();
      const draining = status.draining_machines.find((d) => d.id.hostname === offer.hostname);
      return draining?.statuses?.map((s) => [s.framework_id.value, s.status]);
    };
    let seen = await answers();
    for (let i = 0; i < 50 && seen?.length !== 1; i++) seen = await answers();
    expect(seen).toEqual([[client.frameworkId, 'ACCEPT']]);
  });
  it('takes over from a scheduler still connected: the old client gets ERROR and stops', async () => {
    const m = await startMaster();
    const old = await subscribed(m.url);
    await launchRunning(old.client, old.book, 'handover', 3);
    const mesosError = next(old.client, 'mesosError');
    const successor = await subscribed(m.url, old.client.frameworkId);
    const [error] = await mesosError;
    expect(error).toBeInstanceOf(MesosMasterError);
    expect(error.masterMessage).toBe('Framework failed over');
    expect(old.client.state).toBe('stopped');
    await sleep(200); // the old client must not come back and steal the framework again
    expect(successor.client.connected).toBe(true);
    await successor.client.calls.reconcileAll();
    await successor.book.until('3 tasks reported', () => successor.book.count('TASK_RUNNING') === 3);
  });

  it('after failover_timeout the framework is gone: re-subscribing gets ERROR and the client stops', async () => {
    const m = await startMaster();
    const first = await subscribed(m.url, undefined, { ...FRAMEWORK_INFO, failover_timeout: 0.3 });
    await launchRunning(first.client, first.book, 'doomed', 2);
    const frameworkId = first.client.frameworkId!;
    first.client.stop();
    await sleep(800);
    const late = newClient(m.url, { frameworkId });
    clients.push(late);
    const mesosError = next(late, 'mesosError');
    late.start();
    const [error] = await mesosError;
    expect(error.masterMessage).toMatch(/Framework has been removed/);
    expect(late.state).toBe('stopped');
    const operator = operatorFor(m.url);
    const { tasks } = await operator.getTasks();
    expect(tasks.filter((t) => t.framework_id.value === frameworkId)).toEqual([]);
  });

  it('declined agents stay away for refuse_seconds until REVIVE; SUPPRESS stops offers', async () => {
    const m = await startMaster({ agents: 1 });
    const { client, book } = await subscribed(m.url);
    const offers = await book.takeOffers();
    const offered = book.offers;
    await client.calls.decline(
      offers.map((o) => o.id),
      { refuse_seconds: 3600 },
    );
    await sleep(300); // 15 allocation rounds
    expect(offered).toEqual([]);
    await client.calls.revive();
    await waitUntil(() => offered.length > 0, 5000, 'an offer after REVIVE');
    await client.calls.suppress();
    await client.calls.decline(
      offered.map((o) => o.id),
      { refuse_seconds: 0 },
    );
    const count = offered.length;
    await sleep(300);
    expect(offered.length).toBe(count);
  });

  it('answers a launch on an offer that is no longer valid with TASK_DROPPED, which needs no acknowledgement', async () => {
    const m = await startMaster({ agents: 1 });
    const { client, book } = await subscribed(m.url);
    const offer = await book.takeOffer();
    await client.calls.decline([offer.id], { refuse_seconds: 0 });
    await client.calls.launch([offer.id], tasksFor(offer, 'stale', 1));
    await book.until('TASK_DROPPED', () => book.latest.get('stale-0')?.state === 'TASK_DROPPED');
    expect(book.latest.get('stale-0')).toMatchObject({
      reason: 'REASON_INVALID_OFFERS',
      source: 'SOURCE_MASTER',
    });
    expect(book.latest.get('stale-0')?.uuid).toBeUndefined();
    expect(book.ackFailures).toEqual([]);
  });

  it('surfaces a rejected call as MesosHttpError with the master text', async () => {
    const m = await startMaster({ agents: 1 });
    const { client, book } = await subscribed(m.url);
    const offer = await book.takeOffer();
    const [task] = tasksFor(offer, 'nameless', 1);
    const { name: _, ...withoutName } = task!;
    const err = await client.calls.launch([offer.id], [withoutName as TaskInfo]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MesosHttpError);
    expect((err as MesosHttpError).status).toBe(400);
    expect((err as MesosHttpError).body).not.toBe('');
    expect(client.connected).toBe(true);
  });
  it('TaskReconciler gets an answer about every task, including one the master never heard of', async () => {
    const m = await startMaster();
    const { client, book } = await subscribed(m.url);
    const offer = await launchRunning(client, book, 'known', 5);
    const reconciler = new TaskReconciler(client, { backoff: { initialMs: 200 }, maxAttempts: 3 });
    const result = await reconciler.reconcile([
      ...Array.from({ length: 5 }, (_, i) => ({ taskId: `known-${i}`, agentId: offer.agent_id })),
      { taskId: 'ghost', agentId: 'no-such-agent' },
    ]);
    expect(result.unanswered).toEqual([]);
    expect(result.answers.size).toBe(6);
    expect(result.answers.get('known-3')?.state).toBe('TASK_RUNNING');
    // PARTITION_AWARE framework, neither task nor agent known: TASK_UNKNOWN.
    expect(result.answers.get('ghost')?.state).toBe('TASK_UNKNOWN');
  });
});
