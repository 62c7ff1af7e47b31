import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type Job, TASK_COUNT_KEYS } from '../../../api/v1/job.js';
import { MAX_TASK_EVENTS, TASK_PHASES, type Task, taskKind } from '../../../api/v1/task.js';
import { admit, variant } from './admit.js';

const hello = parse(readFileSync(new URL('./fixtures/hello-job.yaml', import.meta.url), 'utf8')) as Job;

/** A task as the jobs controller creates it for instance 2 of the hello job, then as it runs. */
const running = {
  apiVersion: 'borealis.dev/v1',
  kind: 'Task',
  metadata: { name: 'www-data-prod-hello-2-7f3a', namespace: 'www-data', generation: 1 },
  spec: {
    jobName: 'hello',
    environment: 'prod',
    instance: 2,
    templateRevision: 1,
    template: hello.spec.task,
    service: true,
    tier: 'preferred',
  },
  status: {
    phase: 'Running',
    mesosState: 'TASK_RUNNING',
    healthy: true,
    host: 'agent-1.example.com',
    agentId: 'a1b2-S0',
    ports: { http: 31000 },
    startedAt: '2026-11-22T01:00:00Z',
    events: [
      { time: '2026-11-22T00:59:58Z', phase: 'Pending' },
      { time: '2026-11-22T00:59:59Z', phase: 'Assigned', source: 'placement' },
      { time: '2026-11-22T01:00:00Z', phase: 'Running' },
    ],
  },
} as unknown as Task;

describe('Task', () => {
  /** What the server stored at creation (defaults applied); updates are compared with it. */
  const stored = admit(taskKind, running).object;

  it('accepts a running task and fills in the job settings it did not copy', () => {
    const { object, errors } = admit(taskKind, running);
    expect(errors).toEqual([]);
    expect((object as unknown as Task).spec).toMatchObject({
      priority: 0,
      maxTaskFailures: 1,
      failureCount: 0,
    });
  });

  it('accepts every Aurora task phase, and rejects anything else listing the phases', () => {
    for (const phase of TASK_PHASES) {
      expect(
        admit(
          taskKind,
          variant(running, (t) => {
            t.status!.phase = phase;
          }),
        ).errors,
      ).toEqual([]);
    }
    const { errors } = admit(
      taskKind,
      variant(running, (t) => {
        t.status!.phase = 'Sleeping' as never;
      }),
    );
    expect(errors).toEqual([
      `status.phase: Unsupported value: "Sleeping": supported values: ${TASK_PHASES.map((p) => `"${p}"`).join(', ')}`,
    ]);
  });

  it('names the port when a host port is out of range', () => {
    const { errors } = admit(
      taskKind,
      variant(running, (t) => {
        t.status!.ports = { http: 70000 };
      }),
    );
    expect(errors).toEqual([
      'status.ports[http]: Invalid value: 70000: status.ports[http] in body should be less than or equal to 65535',
    ]);
  });

  it(`keeps the event history bounded at ${MAX_TASK_EVENTS}`, () => {
    const events = Array.from({ length: MAX_TASK_EVENTS + 1 }, () => ({
      time: '2026-11-22T01:00:00Z',
      phase: 'Running',
    }));
    const { errors } = admit(
      taskKind,
      variant(running, (t) => {
        t.status!.events = events as never;
      }),
    );
    expect(errors).toEqual([
      `status.events: Too many: ${MAX_TASK_EVENTS + 1}: must have at most ${MAX_TASK_EVENTS} items`,
    ]);
  });

  it('validates its template copy like a job template', () => {
    const bad = variant(running, (t) => {
      t.spec.template.healthCheck!.http!.port = 'admin';
    });
    expect(admit(taskKind, bad).errors.map((e) => e.split(':')[0])).toEqual([
      'spec.template.healthCheck.http.port',
    ]);
  });

  it('rejects a timestamp that is not RFC 3339', () => {
    const { errors } = admit(
      taskKind,
      variant(running, (t) => {
        t.status!.startedAt = 'yesterday';
      }),
    );
    expect(errors).toEqual([
      'status.startedAt: Invalid value: "yesterday": status.startedAt in body must be of type date-time: "yesterday"',
    ]);
  });

  it('keeps what ran immutable: a changed template or instance is refused on update', () => {
    const changed = variant(running, (t) => {
      t.spec.template.command = 'sleep 1';
      t.spec.instance = 1;
    });
    const errors = admit(taskKind, changed, stored).errors;
    expect(errors.map((e) => e.split(':')[0])).toEqual(['spec.instance', 'spec.template']);
    expect(errors[0]).toBe('spec.instance: Invalid value: 1: field is immutable');
  });

  it('lets status change freely on update', () => {
    const killed = variant(running, (t) => {
      t.status!.phase = 'Killed';
      t.status!.mesosState = 'TASK_KILLED';
    });
    expect(admit(taskKind, killed, stored).errors).toEqual([]);
  });
});

describe('Job status counts', () => {
  it('have one counter for every task phase', () => {
    expect([...TASK_COUNT_KEYS]).toEqual(TASK_PHASES.map((p) => p.toLowerCase()));
  });
});
