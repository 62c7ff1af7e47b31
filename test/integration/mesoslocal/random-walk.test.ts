/**
 * Random walks over what a framework and the faults can do — launch, decline, kill, acknowledge,
 * partition and heal, restart an agent — after which the master's books must balance and every
 * task the framework launched must be accounted for by reconciliation.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { TaskStatus } from '../../../pkg/mesos/types.js';
import { startMesosLocal } from '../../../pkg/mesoslocal/index.js';
import { accountingErrors } from './accounting.js';
import { launchCall, scalar, sleep, subscribe, taskInfo, withCapabilities } from './raw-client.js';

const ops = ['launch', 'decline', 'kill', 'ack', 'partition', 'heal', 'restart'] as const;
type Op = (typeof ops)[number];

it('keeps the books balanced and every task answerable through random operations', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.constantFrom(...ops), { minLength: 5, maxLength: 20 }),
      async (steps: Op[]) => {
        const master = await startMesosLocal({
          agents: 3,
          allocationIntervalMs: 10,
          statusUpdateRetryMs: 50,
          agentPingTimeoutMs: 60,
          agentResources: { cpus: 2, mem: 512, ports: [{ begin: 31000, end: 31003 }] },
        });
        const sub = await subscribe(master.url, withCapabilities('PARTITION_AWARE', 'TASK_KILLING_STATE'));
        const launched: string[] = [];
        let acked = 0;
        try {
          for (const [i, step] of steps.entries()) {
            const offers = sub.events
              .flatMap((e) => e.offers?.offers ?? [])
              .filter((o) => master.state.offers.has(o.id.value));
            const agents = master.state.agentIds();
            const agent = agents[i % agents.length]!;
            if (step === 'launch' && offers.length > 0) {
              const offer = offers[0]!;
              const id = `t${i}`;
              launched.push(id);
              const task = taskInfo(offer, id, { resources: [scalar('cpus', 0.5), scalar('mem', 100)] });
              await sub.call('ACCEPT', launchCall([offer], [task], 0));
            } else if (step === 'decline' && offers.length > 0) {
              await sub.call('DECLINE', {
                decline: { offer_ids: [offers[0]!.id], filters: { refuse_seconds: 0.05 } },
              });
            } else if (step === 'kill' && launched.length > 0) {
              await sub.call('KILL', { kill: { task_id: { value: launched[i % launched.length]! } } });
            } else if (step === 'ack') {
              const pending = sub.events
                .slice(acked)
                .flatMap((e) => (e.update?.status.uuid ? [e.update.status] : []));
              acked = sub.events.length;
              for (const s of pending as TaskStatus[]) {
                await sub.call('ACKNOWLEDGE', {
                  acknowledge: { agent_id: s.agent_id, task_id: s.task_id, uuid: s.uuid },
                });
              }
            } else if (step === 'partition') master.faults.partitionAgent(agent);
            else if (step === 'heal') master.faults.healAgent(agent);
            else if (step === 'restart') master.faults.restartAgent(agent);
            await sleep(15);
            expect(accountingErrors(master.state.agents.values())).toEqual([]);
          }
          for (const id of master.state.agentIds()) master.faults.healAgent(id);
          await sleep(100);
          expect(accountingErrors(master.state.agents.values())).toEqual([]);
          // Every launched task gets an answer: known, or gone/unknown — never silence.
          const mark = sub.events.length;
          await sub.call('RECONCILE', {
            reconcile: { tasks: launched.map((id) => ({ task_id: { value: id } })) },
          });
          const answered = () =>
            new Set(sub.events.slice(mark).flatMap((e) => (e.update ? [e.update.status.task_id.value] : [])));
          await sub
            .waitFor(() => launched.every((id) => answered().has(id)), 3000, mark)
            .catch(() => undefined);
          expect(launched.filter((id) => !answered().has(id))).toEqual([]);
        } finally {
          sub.close();
          await master.stop();
        }
      },
    ),
    { numRuns: 8 },
  );
}, 60_000);
