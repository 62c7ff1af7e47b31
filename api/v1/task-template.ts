/**
 * The task template: what one instance of a job runs (Aurora's TaskConfig minus the job-level
 * fields). Shared by Job (spec.task), CronJob (spec.jobTemplate.spec.task), JobUpdate and Task
 * (each Task carries its own copy, so a task can be understood and rescheduled without its Job).
 */
import type { JsonSchema } from '../kind.js';
import { arr, bool, int32, listMap, map, num, obj, oneOfStr, set, str } from '../schema.js';

export interface Resources {
  cpus: number;
  ramMb: number;
  diskMb: number;
  gpus?: number;
  ports?: string[];
}

/** Exactly one of `limit` (at most N instances per attribute value) or `values` (attribute in set). */
export interface Constraint {
  attribute: string;
  limit?: number;
  values?: string[];
  negate?: boolean;
}

export interface HttpHealthCheck {
  port: string;
  path: string;
  expectedResponse?: string;
  expectedResponseCode: number;
}

export interface HealthCheck {
  http?: HttpHealthCheck;
  shell?: { command: string };
  initialDelaySeconds: number;
  intervalSeconds: number;
  timeoutSeconds: number;
  maxConsecutiveFailures: number;
  minConsecutiveSuccesses: number;
}

export interface Volume {
  containerPath: string;
  hostPath: string;
  mode: 'RO' | 'RW';
}

export interface FetchUri {
  uri: string;
  extract: boolean;
  executable: boolean;
  cache: boolean;
}

export interface TaskTemplate {
  command: string;
  env?: Record<string, string>;
  resources: Resources;
  constraints?: Constraint[];
  healthCheck?: HealthCheck;
  container?: { image?: string; volumes?: Volume[] };
  fetch?: FetchUri[];
  metadata?: Record<string, string>;
  gracefulShutdownSeconds: number;
}

/** Port names become environment variables PORT_<NAME> (upper-cased, non-alphanumerics as "_"). */
export const PORT_NAME_PATTERN = '^[a-zA-Z][a-zA-Z0-9_-]{0,62}$';
export const portEnvName = (port: string): string => `PORT_${port.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;

const resourcesSchema = obj(
  'Resources reserved for each instance on its host. Borealis adds no executor overhead to these.',
  {
    cpus: num('CPU cores (fractions allowed). Must be greater than 0.', { minimum: 0 }),
    ramMb: int32('Memory in MiB. Must be greater than 0.', { minimum: 0 }),
    diskMb: int32('Sandbox disk in MiB. Must be greater than 0.', { minimum: 0 }),
    gpus: int32('Whole GPUs. Default none.', { minimum: 0 }),
    ports: set(
      'Named ports the task needs. Each is given a free host port at launch, exposed to the command as ' +
        'the environment variable PORT_<NAME> (e.g. http → $PORT_HTTP) and shown in the Task status.',
      str('Port name: a letter, then letters, digits, "_" or "-".', { pattern: PORT_NAME_PATTERN }),
    ),
  },
  { required: ['cpus', 'ramMb', 'diskMb'] },
);

const constraintSchema = obj(
  'A placement constraint on a host attribute. Set exactly one of limit (spread) or values (pin).',
  {
    attribute: str(
      'Host attribute name, e.g. host, rack, zone. "host" is every host\'s own name. "dedicated" is ' +
        'special: a host carrying it accepts only tasks constrained to its value "<role>/<name>" or "*/<name>".',
      { minLength: 1 },
    ),
    limit: int32('Limit constraint: at most this many instances of the job per distinct attribute value.', {
      minimum: 1,
    }),
    values: set("Value constraint: the host's attribute must have one of these values.", str('A value.'), {
      minItems: 1,
    }),
    negate: bool('With values: the attribute must have none of the values ("not in").'),
  },
  { required: ['attribute'] },
);

const healthCheckSchema = obj(
  'How the executor checks that a running instance is healthy. Set exactly one of http or shell. ' +
    'An instance counts as ready (and an update as progressing) only once healthy.',
  {
    http: obj(
      'HTTP check: GET http://127.0.0.1:<port><path>; healthy on the expected status code (and body, if set).',
      {
        port: str("Name of one of the task's ports (spec.task.resources.ports).", { minLength: 1 }),
        path: str('Request path. Aurora default: /health.', { default: '/health' }),
        expectedResponse: str(
          'If set, the trimmed response body must equal this (Aurora used "ok"). Unset: any body passes.',
        ),
        expectedResponseCode: int32('Expected HTTP status code.', {
          default: 200,
          minimum: 100,
          maximum: 599,
        }),
      },
      { required: ['port'] },
    ),
    shell: obj(
      'Shell check: healthy when the command exits 0 within the timeout.',
      { command: str('Command run with sh -c in the task sandbox.', { minLength: 1 }) },
      { required: ['command'] },
    ),
    initialDelaySeconds: int32('Grace period after start before failures count. Aurora default 15.', {
      default: 15,
      minimum: 0,
    }),
    intervalSeconds: int32('Seconds between checks. Aurora default 10.', { default: 10, minimum: 1 }),
    timeoutSeconds: int32('Seconds a single check may take. Aurora default 1.', { default: 1, minimum: 1 }),
    maxConsecutiveFailures: int32(
      'Consecutive failed checks tolerated; one more kills the instance. Aurora default 0 (the first failure after the initial delay kills).',
      { default: 0, minimum: 0 },
    ),
    minConsecutiveSuccesses: int32(
      'Consecutive passed checks before the instance is healthy. Aurora default 1.',
      {
        default: 1,
        minimum: 1,
      },
    ),
  },
);

export const taskTemplateSchema: JsonSchema = obj(
  'What each instance runs: command, environment, resources, placement constraints and health check.',
  {
    command: str('Shell command (run with sh -c in the sandbox). Named ports are in $PORT_<NAME>.', {
      minLength: 1,
    }),
    env: map('Extra environment variables for the command.', str('Value.')),
    resources: resourcesSchema,
    constraints: listMap('Placement constraints; all must hold.', constraintSchema, ['attribute']),
    healthCheck: healthCheckSchema,
    container: obj("Optional container the command runs in (Aurora's Mesos container).", {
      image: str('Image reference, e.g. docker.io/library/python:3.12. Unset: the host filesystem.'),
      volumes: listMap(
        'Host paths mounted into the container.',
        obj(
          'A host path mount.',
          {
            containerPath: str('Mount point inside the container.', { minLength: 1 }),
            hostPath: str('Path on the host.', { minLength: 1 }),
            mode: oneOfStr('Access mode.', ['RO', 'RW'], { default: 'RO' }),
          },
          { required: ['containerPath', 'hostPath'] },
        ),
        ['containerPath'],
      ),
    }),
    fetch: arr(
      'URIs the Mesos fetcher downloads into the sandbox before the command starts (Aurora mesosFetcherUris).',
      obj(
        'One URI to fetch.',
        {
          uri: str('http(s), hdfs or file URI.', { minLength: 1 }),
          extract: bool('Unpack archives (.tar.gz, .zip, ...).', { default: true }),
          executable: bool('Mark the fetched file executable.', { default: false }),
          cache: bool('Let the agent cache the download.', { default: false }),
        },
        { required: ['uri'] },
      ),
    ),
    metadata: map(
      'Free-form key/value metadata passed to Mesos as task labels (Aurora TaskConfig.metadata).',
      str('Value.'),
    ),
    gracefulShutdownSeconds: int32(
      'On kill, seconds between SIGTERM and SIGKILL (Thermos finalization wait, default 30).',
      { default: 30, minimum: 0 },
    ),
  },
  { required: ['command', 'resources'] },
);
