import { describe, expect, it } from 'vitest';
import { MAX_TASK_EVENTS } from '../../../../api/v1/task.js';
import { applyMesosUpdate } from '../../../../controllers/tasks/status-update.js';
import { checkTimers, killRetryDelayMs } from '../../../../controllers/tasks/timers.js';
import type { TaskStatus } from '../../../../pkg/mesos/types.js';
import { iso, NOW, task } from '../jobs/fixtures.js';

const update = (state: TaskStatus['state'], over: Partial<TaskStatus> = {}): TaskStatus => ({
  task_id: { value: 'x' },
  state,
  agent_id: { value: 'S1' },
  ...over,
});
const nowIso = new Date(NOW).toISOString();

describe('Mesos updates → Task status', () => {
  it('walks Assigned → Starting → Running, stamping startedAt once', () => {
    const assigned = task(0, 'Assigned', { events: ['Pending', 'Assigned'] });
    const starting = applyMesosUpdate(assigned, update('TASK_STARTING'), nowIso);
    expect(starting.status?.phase).toBe('Starting');
    const running = applyMesosUpdate(
      { ...assigned, status: starting.status! },
      update('TASK_RUNNING'),
      nowIso,
    );
    expect(running.status).toMatchObject({
      phase: 'Running',
      mesosState: 'TASK_RUNNING',
      startedAt: nowIso,
      agentId: 'S1',
    });
    expect(running.status?.events?.map((e) => e.phase)).toEqual([
      'Pending',
      'Assigned',
      'Starting',
      'Running',
    ]);
  });

  it('a reconciliation answer confirming the state writes nothing; one reporting a change does', () => {
    const assigned = task(0, 'Assigned', { events: ['Pending', 'Assigned'] });
    const running = applyMesosUpdate(assigned, update('TASK_RUNNING'), nowIso).status!;
    const stored = { ...assigned, status: running };
    const confirm = (state: TaskStatus['state']) =>
      update(state, { reason: 'REASON_RECONCILIATION', message: 'Reconciliation: Latest task state' });
    expect(applyMesosUpdate(stored, confirm('TASK_RUNNING'), nowIso)).toEqual({ kill: false });
    expect(applyMesosUpdate(stored, confirm('TASK_FAILED'), nowIso).status?.phase).toBe('Failed');
    // The same answer outside reconciliation carries news worth keeping.
    const news = update('TASK_RUNNING', { reason: 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED', message: 'hi' });
    expect(applyMesosUpdate(stored, news, nowIso).status?.reason).toBe(
      'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED',
    );
  });

  it('records health changes without a phase change', () => {
    const running = task(0, 'Running', { healthy: true });
    const out = applyMesosUpdate(
      running,
      update('TASK_RUNNING', { healthy: false, reason: 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED' }),
      nowIso,
    );
    expect(out.status).toMatchObject({
      phase: 'Running',
      healthy: false,
      reason: 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED',
    });
    expect(out.status?.events).toHaveLength(running.status!.events!.length);
  });

  it('ends a task with the Mesos message and finishedAt', () => {
    const out = applyMesosUpdate(
      task(0, 'Running'),
      update('TASK_FAILED', { message: 'Command exited with status 1' }),
      nowIso,
    );
    expect(out.status).toMatchObject({
      phase: 'Failed',
      message: 'Command exited with status 1',
      finishedAt: nowIso,
    });
  });

  it('asks to kill a task Mesos reports alive after Borealis considers it finished or is killing it', () => {
    expect(applyMesosUpdate(task(0, 'Lost'), update('TASK_RUNNING'), nowIso)).toEqual({ kill: true });
    expect(applyMesosUpdate(task(0, 'Killing'), update('TASK_RUNNING'), nowIso).kill).toBe(true);
    expect(applyMesosUpdate(task(0, 'Lost'), update('TASK_FAILED'), nowIso)).toEqual({ kill: false });
  });

  it('keeps the event history bounded', () => {
    let t = task(0, 'Running', { events: Array(MAX_TASK_EVENTS).fill('Running') });
    t = { ...t, status: applyMesosUpdate(t, update('TASK_UNREACHABLE'), nowIso).status! };
    expect(t.status?.events).toHaveLength(MAX_TASK_EVENTS);
    expect(t.status?.events?.at(-1)?.phase).toBe('Partitioned');
  });
});

describe('task timers', () => {
  it('loses a task stuck in a transient phase for 5 minutes, and says when to look again before', () => {
    const stuck = {
      ...task(0, 'Assigned'),
      status: { phase: 'Assigned' as const, lastTransitionTime: iso(6 * 60_000) },
    };
    expect(checkTimers(stuck, NOW).lose).toMatch(/Assigned/);
    const fresh = { ...stuck, status: { ...stuck.status, lastTransitionTime: iso(60_000) } };
    expect(checkTimers(fresh, NOW)).toEqual({ recheckAfterMs: 4 * 60_000 });
  });

  it('loses a partitioned task per the partition policy', () => {
    const base = task(0, 'Partitioned');
    const partitioned = {
      ...base,
      status: { phase: 'Partitioned' as const, lastTransitionTime: iso(10_000) },
    };
    expect(checkTimers(partitioned, NOW).lose).toBeDefined();
    const patient = {
      ...partitioned,
      spec: { ...partitioned.spec, partitionPolicy: { reschedule: true, delaySeconds: 60 } },
    };
    expect(checkTimers(patient, NOW)).toEqual({ recheckAfterMs: 50_000 });
    const never = {
      ...partitioned,
      spec: { ...partitioned.spec, partitionPolicy: { reschedule: false, delaySeconds: 0 } },
    };
    expect(checkTimers(never, NOW)).toEqual({});
  });

  it('re-sends kills at 15 s, 30 s, 60 s ... capped at 5 minutes', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map(killRetryDelayMs)).toEqual([
      15_000, 30_000, 60_000, 120_000, 240_000, 300_000, 300_000,
    ]);
  });
});
