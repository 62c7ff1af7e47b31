/**
 * Framework failover: a second SUBSCRIBE with the same id takes over (the old stream gets ERROR
 * "Framework failed over"), updates wait for a disconnected framework and are re-sent on
 * re-subscribe, failover_timeout removes the framework and kills its tasks, TEARDOWN too.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FrameworkInfo } from '../../../pkg/mesos/types.js';
import { type MesosLocal, startMesosLocal } from '../../../pkg/mesoslocal/index.js';
import { accountingErrors } from './accounting.js';
import {
  FRAMEWORK,
  isType,
  isUpdate,
  launchCall,
  type Subscription,
  sleep,
  subscribe,
  takeOffers,
  taskInfo,
} from './raw-client.js';

let master: MesosLocal;
const subs: Subscription[] = [];

beforeEach(async () => {
  master = await startMesosLocal({ agents: 1, allocationIntervalMs: 20, statusUpdateRetryMs: 5000 });
});
afterEach(async () => {
  for (const s of subs.splice(0)) s.close();
  // Whatever happened in the test, the master's resource books must balance.
  const errors = accountingErrors(master.state.agents.values());
  await master.stop();
  expect(errors).toEqual([]);
});

async function framework(info: FrameworkInfo = FRAMEWORK, frameworkId?: string): Promise<Subscription> {
  const sub = await subscribe(master.url, info, frameworkId === undefined ? {} : { frameworkId });
  subs.push(sub);
  return sub;
}

const usedCpus = () => [...master.state.agents.values()][0]!.used.cpus;

describe('failover', () => {
  it('closes the old stream with ERROR "Framework failed over"; offers are dropped without RESCIND', async () => {
    const first = await framework();
    const offers = await takeOffers(first);
    const second = await framework(FRAMEWORK, first.frameworkId);
    await first.ended;
    expect(first.events.at(-1)).toEqual({ type: 'ERROR', error: { message: 'Framework failed over' } });
    expect(first.events.some((e) => e.type === 'RESCIND')).toBe(false);
    expect(second.events[0]?.subscribed?.framework_id.value).toBe(first.frameworkId);
    const fresh = await takeOffers(second);
    expect(fresh[0]!.id.value).not.toBe(offers[0]!.id.value);
    expect(second.events.some((e) => e.type === 'RESCIND')).toBe(false);
  });

  it('holds updates while the framework is away and re-sends them when it re-subscribes', async () => {
    const first = await framework();
    const offer = (await takeOffers(first))[0]!;
    await first.call('ACCEPT', launchCall([offer], [taskInfo(offer, 'held')]));
    const starting = (await first.waitFor(isUpdate('held', 'TASK_STARTING'))).update!.status;
    first.close();
    await first.ended;
    await sleep(50);
    const second = await framework(FRAMEWORK, first.frameworkId);
    // Re-sent at once on re-subscribe (the retry interval here is 5 s), with the same uuid.
    const again = (await second.waitFor(isUpdate('held', 'TASK_STARTING'), 1000)).update!.status;
    expect(again.uuid).toBe(starting.uuid);
  });

  it('removes the framework after failover_timeout: tasks killed, a later SUBSCRIBE gets ERROR', async () => {
    const first = await framework({ ...FRAMEWORK, failover_timeout: 0.2 });
    const offer = (await takeOffers(first))[0]!;
    await first.call('ACCEPT', launchCall([offer], [taskInfo(offer, 'orphan')]));
    await first.waitFor(isUpdate('orphan', 'TASK_STARTING'));
    expect(usedCpus()).toBe(0.5);
    first.close();
    await sleep(100);
    expect(master.state.frameworks.has(first.frameworkId)).toBe(true); // within the timeout
    await sleep(300);
    expect(master.state.frameworks.has(first.frameworkId)).toBe(false);
    expect(usedCpus()).toBe(0);
    const late = await framework(FRAMEWORK, first.frameworkId);
    await late.ended;
    expect(late.events).toEqual([{ type: 'ERROR', error: { message: 'Framework has been removed' } }]);
  });

  it('re-subscribing within failover_timeout keeps the tasks', async () => {
    const info = { ...FRAMEWORK, failover_timeout: 1 };
    const first = await framework(info);
    const offer = (await takeOffers(first))[0]!;
    await first.call('ACCEPT', launchCall([offer], [taskInfo(offer, 'kept')]));
    await first.waitFor(isUpdate('kept', 'TASK_STARTING'));
    first.close();
    await sleep(100);
    const second = await framework(info, first.frameworkId);
    await second.waitFor(isType('SUBSCRIBED'));
    await sleep(1100); // past the first disconnection's deadline
    expect(master.state.frameworks.has(first.frameworkId)).toBe(true);
    expect(usedCpus()).toBe(0.5);
  });

  it('TEARDOWN kills the tasks and frees their resources', async () => {
    const sub = await framework();
    const offer = (await takeOffers(sub))[0]!;
    await sub.call('ACCEPT', launchCall([offer], [taskInfo(offer, 'torn')]));
    await sub.waitFor(isUpdate('torn', 'TASK_STARTING'));
    expect((await sub.call('TEARDOWN')).status).toBe(202);
    await sub.ended;
    expect(usedCpus()).toBe(0);
    expect(master.state.frameworks.size).toBe(0);
  });
});
