/**
 * Job: an Aurora job. Key role/environment/name = metadata.namespace/spec.environment/metadata.name.
 * The jobs controller keeps spec.instances tasks (instances 0..N-1) running the task template and
 * rolls template changes out as JobUpdates following spec.updateStrategy.
 */
import { defineKind } from '../define-kind.js';
import { immutable, invalid, record } from '../field.js';
import type { ApiObject, FieldProblem, JsonSchema, KindDefinition } from '../kind.js';
import {
  type Condition,
  conditionsSchema,
  objectSchema,
  observedGenerationSchema,
  type Resource,
} from '../meta.js';
import { bool, int, int32, obj, oneOfStr, str } from '../schema.js';
import { GROUP, VERSION } from './group.js';
import {
  DEFAULT_TIER,
  ENVIRONMENT_PATTERN,
  JOB_KEY_PART,
  type PartitionPolicy,
  partitionPolicySchema,
  type SlaPolicy,
  slaPolicySchema,
  TIERS,
  type TierName,
  type UpdateStrategy,
  updateStrategySchema,
  validateSlaPolicy,
  validateUpdateStrategy,
} from './policies.js';
import type { TaskTemplate } from './task-template.js';
import { taskTemplateSchema } from './task-template.js';
import { namespaceOf, validateTaskTemplate } from './task-template-validation.js';

export { API_VERSION, GROUP, VERSION } from './group.js';
/** Aurora's configurable ceiling on instances per job. */
export const MAX_INSTANCES = 4000;

export interface JobSpec {
  environment: string;
  instances: number;
  service: boolean;
  tier: TierName;
  priority: number;
  maxTaskFailures: number;
  task: TaskTemplate;
  updateStrategy: UpdateStrategy;
  slaPolicy?: SlaPolicy;
  partitionPolicy: PartitionPolicy;
  contactEmail?: string;
  announce?: { primaryPort: string; portMap?: Record<string, string> };
}

/** Task counts by phase (Aurora ScheduleStatus), over the job's current (non-pruned) tasks. */
export type TaskCounts = Partial<Record<TaskCountKey, number>>;
export const TASK_COUNT_KEYS = [
  'pending',
  'throttled',
  'assigned',
  'starting',
  'running',
  'killing',
  'preempting',
  'restarting',
  'draining',
  'partitioned',
  'finished',
  'failed',
  'killed',
  'lost',
] as const;
export type TaskCountKey = (typeof TASK_COUNT_KEYS)[number];

export interface JobStatus {
  observedGeneration?: number;
  ready?: string;
  readyInstances?: number;
  updatedInstances?: number;
  taskCounts?: TaskCounts;
  activeUpdate?: string;
  conditions?: Condition[];
}

export type Job = Resource<JobSpec, JobStatus>;

export const jobSpecSchema: JsonSchema = obj(
  'Desired state of the job.',
  {
    environment: str('Aurora environment, the middle part of the job key: prod, devel, test or staging<N>.', {
      pattern: ENVIRONMENT_PATTERN,
    }),
    instances: int32(
      `Number of instances (0..N-1), at most ${MAX_INSTANCES}. 0 keeps the job with no tasks.`,
      {
        minimum: 0,
        maximum: MAX_INSTANCES,
      },
    ),
    service: bool(
      'true: a service, restarted whenever an instance ends. false: adhoc, restarted only after a failure, up to maxTaskFailures.',
      { default: false },
    ),
    tier: oneOfStr(
      'Scheduling tier. preferred: production, never preempted; preemptible: may be preempted by production or higher-priority tasks of the role; revocable: preemptible and runs on revocable resources. Default preemptible (Aurora).',
      TIERS,
      { default: DEFAULT_TIER },
    ),
    priority: int32("Preemption priority among the role's tasks of the same tier; higher preempts lower.", {
      default: 0,
      minimum: 0,
    }),
    maxTaskFailures: int32(
      'Adhoc jobs: failures of one instance before it is no longer restarted; -1 = unlimited. Aurora default 1.',
      { default: 1, minimum: -1 },
    ),
    task: taskTemplateSchema,
    updateStrategy: { ...updateStrategySchema, default: {} },
    slaPolicy: slaPolicySchema,
    partitionPolicy: { ...partitionPolicySchema, default: {} },
    contactEmail: str('Who to contact about this job (Aurora TaskConfig.contactEmail).', {
      pattern: '^[^@\\s]+@[^@\\s]+$',
    }),
    announce: obj(
      'Publish the instances as service endpoints (Aurora Announcer), e.g. for a service registry.',
      {
        primaryPort: str('The named port announced as the primary endpoint. Aurora default: http.', {
          default: 'http',
        }),
        portMap: {
          type: 'object',
          description: 'Extra announced endpoints: announced name → named port of the task.',
          additionalProperties: str('A named port of the task.'),
        },
      },
    ),
  },
  { required: ['environment', 'instances', 'task'] },
);

export const jobStatusSchema: JsonSchema = obj('Observed state of the job, written by the jobs controller.', {
  observedGeneration: observedGenerationSchema,
  ready: str('Ready instances over desired instances, e.g. "3/3" (the READY column).'),
  readyInstances: int('Instances whose current task is Running, healthy and on the current template.'),
  updatedInstances: int('Instances whose current task runs the current template (metadata.generation).'),
  taskCounts: obj(
    "Number of the job's tasks in each phase (Aurora ScheduleStatus), including retained terminal tasks.",
    Object.fromEntries(
      TASK_COUNT_KEYS.map((k) => [k, int(`Tasks in phase ${k[0]?.toUpperCase()}${k.slice(1)}.`)]),
    ),
  ),
  activeUpdate: str('Name of the JobUpdate rolling out now, if any.'),
  conditions: conditionsSchema(
    'Ready: all instances ready. Progressing: an update or scale is under way. Degraded: instances failing or throttled.',
  ),
});

/** Rules shared by Job and CronJob's job template. `path` is where the spec sits ("spec"); `role` its namespace. */
export function validateJobSpec(spec: JobSpec | undefined, path: string, role?: string): FieldProblem[] {
  if (spec === undefined) return [];
  const problems = [
    ...validateTaskTemplate(spec.task, `${path}.task`, role),
    ...validateUpdateStrategy(spec.updateStrategy, `${path}.updateStrategy`),
    ...validateSlaPolicy(spec.slaPolicy, spec.tier, `${path}.slaPolicy`, `${path}.tier`),
  ];
  const ports = spec.task?.resources?.ports ?? [];
  const announce = spec.announce;
  if (announce !== undefined) {
    const named = [
      [`${path}.announce.primaryPort`, announce.primaryPort] as const,
      ...Object.entries(announce.portMap ?? {}).map(
        ([k, v]) => [`${path}.announce.portMap[${k}]`, v] as const,
      ),
    ];
    for (const [field, port] of named) {
      if (!ports.includes(port))
        problems.push(invalid(field, port, `must be one of the ports in ${path}.task.resources.ports`));
    }
  }
  return problems;
}

/** Aurora's job key rule for role (namespace) and name, which is stricter about length than DNS names. */
export function validateJobKey(obj: ApiObject): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const part of ['name', 'namespace'] as const) {
    const value = obj.metadata?.[part];
    if (typeof value === 'string' && (!JOB_KEY_PART.test(value) || value.length > 255)) {
      problems.push(
        invalid(`metadata.${part}`, value, 'must match ^[\\w\\-.]+$ and be at most 255 characters'),
      );
    }
  }
  return problems;
}

export function validateJob(o: ApiObject, old: ApiObject | undefined): FieldProblem[] {
  const spec = record(o['spec']) as JobSpec | undefined;
  const problems = [...validateJobKey(o), ...validateJobSpec(spec, 'spec', namespaceOf(o))];
  // The environment is part of Aurora's job key: another environment is another job.
  const oldEnv = record(old?.['spec'])?.['environment'];
  if (oldEnv !== undefined && spec !== undefined && spec.environment !== oldEnv) {
    problems.push(immutable('spec.environment', spec.environment));
  }
  return problems;
}

/** Condition types of a Job's status (kstatus-compatible: Flux reads Ready and observedGeneration). */
export const JOB_CONDITIONS = ['Ready', 'Progressing', 'Degraded'] as const;

export const jobKind: KindDefinition = defineKind({
  group: GROUP,
  version: VERSION,
  kind: 'Job',
  listKind: 'JobList',
  plural: 'jobs',
  singular: 'job',
  shortNames: ['jb'],
  categories: ['all', 'borealis'],
  namespaced: true,
  schema: objectSchema(
    'An Aurora job: N instances of a task template, kept running (service) or run to completion (adhoc). The namespace is the Aurora role.',
    { spec: jobSpecSchema, status: jobStatusSchema },
    ['spec'],
  ),
  printerColumns: [
    {
      name: 'Ready',
      type: 'string',
      jsonPath: '.status.ready',
      description: 'Ready instances / desired instances.',
    },
    { name: 'Env', type: 'string', jsonPath: '.spec.environment', description: 'Aurora environment.' },
    { name: 'Tier', type: 'string', jsonPath: '.spec.tier', description: 'Scheduling tier.' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    { name: 'Instances', type: 'integer', jsonPath: '.spec.instances', priority: 1 },
    { name: 'Up-to-date', type: 'integer', jsonPath: '.status.updatedInstances', priority: 1 },
    { name: 'Service', type: 'boolean', jsonPath: '.spec.service', priority: 1 },
    { name: 'Priority', type: 'integer', jsonPath: '.spec.priority', priority: 1 },
    { name: 'Update', type: 'string', jsonPath: '.status.activeUpdate', priority: 1 },
  ],
  statusSubresource: true,
  selectableFields: ['.spec.environment', '.spec.tier', '.spec.service'],
  validate: validateJob,
});
