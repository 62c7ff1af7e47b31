import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type Job, jobKind } from '../../../api/v1/job.js';
import type { TierName } from '../../../api/v1/policies.js';
import { admit, variant } from './admit.js';

const hello = parse(readFileSync(new URL('./fixtures/hello-job.yaml', import.meta.url), 'utf8')) as Job;
const task = (j: Job) => j.spec.task;

const minimal = {
  apiVersion: 'borealis.dev/v1',
  kind: 'Job',
  metadata: { name: 'batch', namespace: 'www-data' },
  spec: {
    environment: 'devel',
    instances: 2,
    task: { command: 'true', resources: { cpus: 1, ramMb: 16, diskMb: 16 } },
  },
};

describe('Job: the contract document', () => {
  it('is accepted as written', () => {
    expect(admit(jobKind, hello).errors).toEqual([]);
  });

  it('keeps what the user wrote and fills in the rest with Aurora defaults', () => {
    const spec = (admit(jobKind, hello).object as unknown as Job).spec;
    expect(spec.task.healthCheck).toEqual({
      http: { port: 'http', path: '/', expectedResponseCode: 200 },
      initialDelaySeconds: 1,
      intervalSeconds: 2,
      timeoutSeconds: 1,
      maxConsecutiveFailures: 3,
      minConsecutiveSuccesses: 1,
    });
    expect(spec.updateStrategy).toEqual({
      batchSize: 1,
      watchSeconds: 45,
      maxPerInstanceFailures: 0,
      maxFailedInstances: 0,
      rollbackOnFailure: true,
      waitForBatchCompletion: false,
      autoPauseAfterBatch: false,
      slaAware: false,
    });
    expect(spec.task.gracefulShutdownSeconds).toBe(30);
    expect(spec.slaPolicy).toEqual({ percentage: 95, durationSeconds: 1800 });
  });
});

describe('Job: defaults for a minimal document', () => {
  const spec = (admit(jobKind, minimal).object as unknown as Job).spec;

  it('is an adhoc, preemptible job allowed one failure, at priority 0', () => {
    expect(admit(jobKind, minimal).errors).toEqual([]);
    expect(spec).toMatchObject({ service: false, tier: 'preemptible', priority: 0, maxTaskFailures: 1 });
  });

  it('gets the Aurora client update settings and partition policy without writing them', () => {
    expect(spec.updateStrategy).toMatchObject({ batchSize: 1, watchSeconds: 45, rollbackOnFailure: true });
    expect(spec.partitionPolicy).toEqual({ reschedule: true, delaySeconds: 0 });
  });

  it('gets Aurora health check timings when only the check itself is given', () => {
    const withCheck = variant(minimal, (j) => {
      Object.assign(j.spec.task, { healthCheck: { http: { port: 'http' } } });
      Object.assign(j.spec.task.resources, { ports: ['http'] });
    });
    const admitted = admit(jobKind, withCheck);
    expect(admitted.errors).toEqual([]);
    expect((admitted.object as unknown as Job).spec.task.healthCheck).toEqual({
      http: { port: 'http', path: '/health', expectedResponseCode: 200 },
      initialDelaySeconds: 15,
      intervalSeconds: 10,
      timeoutSeconds: 1,
      maxConsecutiveFailures: 0,
      minConsecutiveSuccesses: 1,
    });
  });

  it('accepts every Aurora environment form', () => {
    for (const environment of ['prod', 'devel', 'test', 'staging', 'staging12']) {
      expect(
        admit(
          jobKind,
          variant(minimal, (j) => {
            j.spec.environment = environment;
          }),
        ).errors,
      ).toEqual([]);
    }
  });
});

/** Each case changes one thing in the contract document; the error must name the field. */
const rejected: readonly [string, (j: Job) => void, string][] = [
  [
    'an unknown tier',
    (j) => {
      j.spec.tier = 'gold' as TierName;
    },
    'spec.tier: Unsupported value: "gold": supported values: "preferred", "preemptible", "revocable"',
  ],
  [
    'zero cpus',
    (j) => {
      task(j).resources.cpus = 0;
    },
    'spec.task.resources.cpus: Invalid value: 0: must be greater than 0',
  ],
  [
    'negative cpus',
    (j) => {
      task(j).resources.cpus = -0.5;
    },
    'spec.task.resources.cpus: Invalid value: -0.5: spec.task.resources.cpus in body should be greater than or equal to 0',
  ],
  [
    'negative ram',
    (j) => {
      task(j).resources.ramMb = -1;
    },
    'spec.task.resources.ramMb: Invalid value: -1: spec.task.resources.ramMb in body should be greater than or equal to 0',
  ],
  [
    'negative disk',
    (j) => {
      task(j).resources.diskMb = -64;
    },
    'spec.task.resources.diskMb: Invalid value: -64: spec.task.resources.diskMb in body should be greater than or equal to 0',
  ],
  [
    'zero ram',
    (j) => {
      task(j).resources.ramMb = 0;
    },
    'spec.task.resources.ramMb: Invalid value: 0: must be greater than 0',
  ],
  [
    'an environment outside prod|devel|test|staging<N>',
    (j) => {
      j.spec.environment = 'production';
    },
    `spec.environment: Invalid value: "production": spec.environment in body should match '^(prod|devel|test|staging\\d*)$'`,
  ],
  [
    'a health check on an undeclared port',
    (j) => {
      task(j).healthCheck!.http!.port = 'admin';
    },
    'spec.task.healthCheck.http.port: Invalid value: "admin": must be one of the ports in spec.task.resources.ports (declared: http)',
  ],
  [
    'a constraint without attribute',
    (j) => {
      task(j).constraints![0] = { limit: 1 } as never;
    },
    'spec.task.constraints[0].attribute: Required value',
  ],
  [
    'a constraint with an empty attribute',
    (j) => {
      task(j).constraints![0]!.attribute = '';
    },
    `spec.task.constraints[0].attribute: Invalid value: "": spec.task.constraints[0].attribute in body should be at least 1 chars long`,
  ],
  [
    'a constraint with a blank attribute',
    (j) => {
      task(j).constraints![0]!.attribute = '  ';
    },
    'spec.task.constraints[0].attribute: Required value: the host attribute the constraint is about',
  ],
  [
    'a constraint with both limit and values',
    (j) => {
      task(j).constraints![1]!.limit = 2;
    },
    'spec.task.constraints[1]: Invalid value: {"limit":2,"values":["r1","r2"]}: may not set both limit and values',
  ],
  [
    'a constraint with neither limit nor values',
    (j) => {
      delete task(j).constraints![0]!.limit;
    },
    'spec.task.constraints[0]: Required value: one of limit or values must be set',
  ],
  [
    'negative instances',
    (j) => {
      j.spec.instances = -1;
    },
    'spec.instances: Invalid value: -1: spec.instances in body should be greater than or equal to 0',
  ],
  [
    'more instances than Aurora allows',
    (j) => {
      j.spec.instances = 4001;
    },
    'spec.instances: Invalid value: 4001: spec.instances in body should be less than or equal to 4000',
  ],
  [
    'instances written as a string',
    (j) => {
      j.spec.instances = '3' as unknown as number;
    },
    'spec.instances: Invalid value: "string": spec.instances in body must be of type integer: "string"',
  ],
  [
    'a duplicate port name',
    (j) => {
      task(j).resources.ports = ['http', 'admin', 'http'];
    },
    'spec.task.resources.ports[2]: Duplicate value: "http"',
  ],
  [
    'two port names that would share one environment variable',
    (j) => {
      task(j).resources.ports = ['http', 'admin-port', 'admin_port'];
    },
    'spec.task.resources.ports[2]: Invalid value: "admin_port": maps to the same variable PORT_ADMIN_PORT as port "admin-port"',
  ],
  [
    'an env variable that shadows a port variable',
    (j) => {
      task(j).env = { PORT_HTTP: '80' };
    },
    'spec.task.env[PORT_HTTP]: Forbidden: PORT_HTTP is set from the named port',
  ],
  [
    'a missing environment',
    (j) => {
      delete (j.spec as Partial<Job['spec']>).environment;
    },
    'spec.environment: Required value',
  ],
  [
    'an SLA policy on a non-production tier',
    (j) => {
      j.spec.tier = 'preemptible';
    },
    'spec.tier: Invalid value: "preemptible": must be "preferred" (production) for a job with spec.slaPolicy',
  ],
  [
    'a batch size of 0',
    (j) => {
      j.spec.updateStrategy.batchSize = 0;
    },
    'spec.updateStrategy.batchSize: Invalid value: 0: spec.updateStrategy.batchSize in body should be greater than or equal to 1',
  ],
  [
    'a malformed dedicated constraint',
    (j) => {
      task(j).constraints![1] = { attribute: 'dedicated', values: ['hello'] };
    },
    'spec.task.constraints[1].values[0]: Invalid value: "hello": a dedicated value must be "<role>/<name>" or "*/<name>"',
  ],
  [
    'announcing an undeclared port',
    (j) => {
      j.spec.announce = { primaryPort: 'thrift' };
    },
    'spec.announce.primaryPort: Invalid value: "thrift": must be one of the ports in spec.task.resources.ports',
  ],
  [
    'a job name Aurora cannot key',
    (j) => {
      j.metadata.name = 'hello world';
    },
    'metadata.name: Invalid value: "hello world": must match ^[\\w\\-.]+$ and be at most 255 characters',
  ],
];

describe('Job: rejected documents name the field', () => {
  it.each(rejected)('rejects %s', (_, mutate, expected) => {
    expect(admit(jobKind, variant(hello, mutate)).errors).toContain(expected);
  });

  it('reports every problem at once, not just the first', () => {
    const bad = variant(hello, (j) => {
      task(j).resources.cpus = 0;
      task(j).healthCheck!.http!.port = 'admin';
    });
    const { errors } = admit(jobKind, bad);
    expect(errors.map((e) => e.split(':')[0])).toEqual([
      'spec.task.resources.cpus',
      'spec.task.healthCheck.http.port',
    ]);
  });
});
