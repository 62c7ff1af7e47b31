/**
 * CronJob: a schedule that launches runs of an adhoc job template (Aurora cron job). Each run is
 * a Job owned by the CronJob. Aurora's collision policies decide what happens when a trigger
 * fires while the previous run is still active.
 */
import { defineKind } from '../define-kind.js';
import { forbidden, invalid, record } from '../field.js';
import type { ApiObject, FieldProblem, JsonSchema, KindDefinition } from '../kind.js';
import {
  type Condition,
  conditionsSchema,
  type ObjectMeta,
  objectSchema,
  observedGenerationSchema,
  type Resource,
} from '../meta.js';
import { bool, map, obj, oneOfStr, set, str, time } from '../schema.js';
import { cronScheduleProblem, isTimeZone } from './cron-schedule.js';
import { GROUP, VERSION } from './group.js';
import { type JobSpec, jobSpecSchema, validateJobSpec } from './job.js';
import { namespaceOf } from './task-template-validation.js';

/**
 * Aurora CronCollisionPolicy, CamelCase. Aurora's third value, RUN_OVERLAP, was rejected by Aurora
 * itself, so it is left out of the enum: the schema's own "supported values" answer is then exact.
 */
export const CONCURRENCY_POLICIES = ['KillExisting', 'CancelNew'] as const;

export interface CronJobSpec {
  schedule: string;
  timeZone: string;
  concurrencyPolicy: (typeof CONCURRENCY_POLICIES)[number];
  suspend: boolean;
  jobTemplate: { metadata?: Pick<ObjectMeta, 'labels' | 'annotations'>; spec: JobSpec };
}

export interface CronJobStatus {
  observedGeneration?: number;
  active?: string[];
  lastScheduleTime?: string;
  lastSuccessfulTime?: string;
  nextScheduleTime?: string;
  conditions?: Condition[];
}

export type CronJob = Resource<CronJobSpec, CronJobStatus>;

const specSchema: JsonSchema = obj(
  'When to run and what.',
  {
    schedule: str('Crontab schedule, e.g. "*/15 * * * *" or "@daily".', { minLength: 1 }),
    timeZone: str('IANA time zone the schedule is read in. Aurora default UTC.', { default: 'UTC' }),
    concurrencyPolicy: oneOfStr(
      'When a trigger fires while a run is active. KillExisting (Aurora default): kill the active run, start the new one when it is gone. CancelNew: skip this trigger. (RUN_OVERLAP is not supported; Aurora rejected it too.)',
      CONCURRENCY_POLICIES,
      { default: 'KillExisting' },
    ),
    suspend: bool('true: no new runs are started (Aurora deschedule); active runs continue.', {
      default: false,
    }),
    jobTemplate: obj(
      'The Job each run creates. It must not be a service.',
      {
        metadata: obj('Labels and annotations copied to each run.', {
          labels: map('Labels of each run.', str('Label value.')),
          annotations: map('Annotations of each run.', str('Annotation value.')),
        }),
        spec: jobSpecSchema,
      },
      { required: ['spec'] },
    ),
  },
  { required: ['schedule', 'jobTemplate'] },
);

const statusSchema: JsonSchema = obj('Observed state of the schedule, written by the cron controller.', {
  observedGeneration: observedGenerationSchema,
  active: set('Names of the runs (Jobs) still active.', str('A Job name.')),
  lastScheduleTime: time('When a run was last started.'),
  lastSuccessfulTime: time('When a run last finished with every instance Finished.'),
  nextScheduleTime: time('When the schedule fires next.'),
  conditions: conditionsSchema(
    'Ready: the schedule is valid and armed. Missed: triggers were missed during a failover.',
  ),
});

export function validateCronJob(o: ApiObject): FieldProblem[] {
  const spec = record(o['spec']) as unknown as CronJobSpec | undefined;
  if (spec === undefined) return [];
  const problems: FieldProblem[] = [];
  const scheduleProblem = cronScheduleProblem(spec.schedule);
  if (scheduleProblem !== undefined) problems.push(invalid('spec.schedule', spec.schedule, scheduleProblem));
  if (!isTimeZone(spec.timeZone)) problems.push(invalid('spec.timeZone', spec.timeZone, 'unknown time zone'));
  const job = spec.jobTemplate?.spec;
  if (job?.service === true) {
    problems.push(forbidden('spec.jobTemplate.spec.service', 'a cron job cannot be a service'));
  }
  problems.push(...validateJobSpec(job, 'spec.jobTemplate.spec', namespaceOf(o)));
  return problems;
}

export const cronJobKind: KindDefinition = defineKind({
  group: GROUP,
  version: VERSION,
  kind: 'CronJob',
  listKind: 'CronJobList',
  plural: 'cronjobs',
  singular: 'cronjob',
  shortNames: ['cj'],
  categories: ['all', 'borealis'],
  namespaced: true,
  schema: objectSchema(
    'A schedule that runs an adhoc job template (Aurora cron job). The namespace is the Aurora role.',
    { spec: specSchema, status: statusSchema },
    ['spec'],
  ),
  printerColumns: [
    { name: 'Schedule', type: 'string', jsonPath: '.spec.schedule' },
    { name: 'Suspend', type: 'boolean', jsonPath: '.spec.suspend' },
    { name: 'Last Schedule', type: 'date', jsonPath: '.status.lastScheduleTime' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    { name: 'Time Zone', type: 'string', jsonPath: '.spec.timeZone', priority: 1 },
    { name: 'Policy', type: 'string', jsonPath: '.spec.concurrencyPolicy', priority: 1 },
    { name: 'Env', type: 'string', jsonPath: '.spec.jobTemplate.spec.environment', priority: 1 },
    { name: 'Next', type: 'date', jsonPath: '.status.nextScheduleTime', priority: 1 },
  ],
  statusSubresource: true,
  selectableFields: ['.spec.suspend', '.spec.concurrencyPolicy'],
  validate: validateCronJob,
});
