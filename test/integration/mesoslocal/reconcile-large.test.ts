/**
 * A large explicit reconciliation (more than the thousand answers the master sends per tick) is
 * answered in full and in the order asked, through the real scheduler client.
 */
import { afterEach, expect, it } from 'vitest';
import { MesosSchedulerClient } from '../../../pkg/mesos/index.js';
import type { TaskStatus } from '../../../pkg/mesos/types.js';
import { type MesosLocal, startMesosLocal } from '../../../pkg/mesoslocal/index.js';

let master: MesosLocal | undefined;
let client: MesosSchedulerClient | undefined;
afterEach(async () => {
  client?.stop();
  await master?.stop();
});

it('answers 2,500 tasks named in one RECONCILE, each once, in order', async () => {
  master = await startMesosLocal({ agents: 1 });
  const c = new MesosSchedulerClient({
    masters: master.url,
    frameworkInfo: { user: 'test', name: 'reconcile-large', roles: ['test'] },
  });
  client = c;
  await new Promise<void>((resolve) => {
    c.once('connected', () => resolve());
    c.start();
  });
  const answers: TaskStatus[] = [];
  c.on('update', (s: TaskStatus) => answers.push(s));
  const agentId = master.state.agentIds()[0]!;
  const ids = Array.from({ length: 2500 }, (_, i) => `many-${i}`);
  await c.calls.reconcile(ids.map((taskId) => ({ taskId, agentId })));
  await expect.poll(() => answers.length, { timeout: 20_000 }).toBe(ids.length);
  expect(answers.map((s) => s.task_id.value)).toEqual(ids);
  expect(answers.every((s) => s.reason === 'REASON_RECONCILIATION' && s.state === 'TASK_LOST')).toBe(true);
});
