import { describe, expect, it } from 'vitest';
import { endpointUrl, OPERATOR_API_PATH, SCHEDULER_API_PATH } from './endpoints.js';
import { MesosCallRejected } from './errors.js';
import {
  acknowledgementFor,
  buildFrameworkInfo,
  needsAcknowledgement,
  rolesBody,
} from './scheduler-calls.js';
import type { TaskStatus } from './types.js';

const running: TaskStatus = {
  task_id: { value: 't1' },
  agent_id: { value: 'S1' },
  state: 'TASK_RUNNING',
  source: 'SOURCE_EXECUTOR',
  uuid: Buffer.alloc(16, 1).toString('base64'),
};

describe('acknowledgements', () => {
  it('only updates with a uuid need one', () => {
    expect(needsAcknowledgement(running)).toBe(true);
    const { uuid: _, ...withoutUuid } = running;
    expect(needsAcknowledgement(withoutUuid)).toBe(false);
  });

  it('names the task, state and source when refusing an update without a uuid', () => {
    const { uuid: _, ...fromMaster } = { ...running, source: 'SOURCE_MASTER' as const };
    expect(() => acknowledgementFor(fromMaster)).toThrow(
      /update for task t1 \(TASK_RUNNING from SOURCE_MASTER\) carries no uuid/,
    );
  });

  it('refuses an update without an agent id (ACKNOWLEDGE requires one)', () => {
    const { agent_id: _, ...noAgent } = running;
    expect(() => acknowledgementFor(noAgent)).toThrow(MesosCallRejected);
  });

  it('refuses a uuid that is not base64 of 16 bytes', () => {
    expect(() => acknowledgementFor({ ...running, uuid: 'not base64!' })).toThrow(/not base64 of 16 bytes/);
    expect(() => acknowledgementFor({ ...running, uuid: Buffer.alloc(15).toString('base64') })).toThrow(
      /not base64 of 16 bytes/,
    );
  });
});

describe('buildFrameworkInfo', () => {
  it('asks for the capabilities a service scheduler needs and uses roles, not role', () => {
    const info = buildFrameworkInfo({ name: 'n', user: 'u', roles: ['r'], failoverTimeoutSeconds: 1814400 });
    expect(info).toEqual({
      name: 'n',
      user: 'u',
      roles: ['r'],
      failover_timeout: 1814400,
      checkpoint: true,
      capabilities: [
        { type: 'PARTITION_AWARE' },
        { type: 'TASK_KILLING_STATE' },
        { type: 'MULTI_ROLE' },
        { type: 'REVOCABLE_RESOURCES' },
      ],
    });
    expect(info.role).toBeUndefined();
  });
});

describe('endpointUrl', () => {
  it('accepts host:port, a base URL, or a full endpoint URL', () => {
    expect(endpointUrl('mesos-1:5050', SCHEDULER_API_PATH).href).toBe('http://mesos-1:5050/api/v1/scheduler');
    expect(endpointUrl('https://mesos-1:5050/', SCHEDULER_API_PATH).href).toBe(
      'https://mesos-1:5050/api/v1/scheduler',
    );
    expect(endpointUrl('http://m:5050/custom/path', OPERATOR_API_PATH).href).toBe(
      'http://m:5050/custom/path',
    );
    expect(endpointUrl('http://m:5050', OPERATOR_API_PATH).href).toBe('http://m:5050/api/v1');
  });
});

describe('rolesBody', () => {
  it('omits an empty role list, which Mesos reads as every role', () => {
    expect(rolesBody(undefined)).toEqual({});
    expect(rolesBody([])).toEqual({});
    expect(rolesBody(['a'])).toEqual({ roles: ['a'] });
  });
});
