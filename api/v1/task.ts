/**
 * Task: one run of one instance of a job (Aurora ScheduledTask). The jobs controller creates it
 * (Pending or Throttled) with a copy of the job's template; the task lifecycle controller writes
 * its status from placement and Mesos status updates. A reschedule creates a new Task for the same
 * instance; the old one stays, terminal, until pruned. metadata.name is the Mesos task id.
 */
import { defineKind } from '../define-kind.js';
import { immutable, jsonEqual, record } from '../field.js';
import type { ApiObject, FieldProblem, JsonSchema, KindDefinition } from '../kind.js';
import {
  type Condition,
  conditionsSchema,
  objectSchema,
  observedGenerationSchema,
  type Resource,
} from '../meta.js';
import { arr, bool, int, int32, map, obj, oneOfStr, str, time } from '../schema.js';
import { GROUP, VERSION } from './group.js';
import {
  DEFAULT_TIER,
  type PartitionPolicy,
  partitionPolicySchema,
  TIERS,
  type TierName,
} from './policies.js';
import { type TaskTemplate, taskTemplateSchema } from './task-template.js';
import { namespaceOf, validateTaskTemplate } from './task-template-validation.js';

/** Aurora ScheduleStatus, CamelCase. */
export const ACTIVE_PHASES = [
  'Pending',
  'Throttled',
  'Assigned',
  'Starting',
  'Running',
  'Killing',
  'Preempting',
  'Restarting',
  'Draining',
  'Partitioned',
] as const;
export const TERMINAL_PHASES = ['Finished', 'Failed', 'Killed', 'Lost'] as const;
export const TASK_PHASES = [...ACTIVE_PHASES, ...TERMINAL_PHASES] as const;
export type TaskPhase = (typeof TASK_PHASES)[number];

/** Mesos v1 TaskState names, as Mesos reports them. */
export const MESOS_TASK_STATES = [
  'TASK_STAGING',
  'TASK_STARTING',
  'TASK_RUNNING',
  'TASK_KILLING',
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_ERROR',
  'TASK_LOST',
  'TASK_DROPPED',
  'TASK_UNREACHABLE',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
  'TASK_UNKNOWN',
] as const;

/** Most task events kept in status.events; the controller drops the oldest beyond this. */
export const MAX_TASK_EVENTS = 50;

export interface TaskSpec {
  jobName: string;
  environment: string;
  instance: number;
  templateRevision: number;
  template: TaskTemplate;
  service: boolean;
  tier: TierName;
  priority: number;
  maxTaskFailures: number;
  partitionPolicy?: PartitionPolicy;
  failureCount: number;
  ancestor?: string;
}

export interface TaskEvent {
  time: string;
  phase: TaskPhase;
  message?: string;
  source?: string;
}

export interface Veto {
  reason: string;
  message?: string;
  hosts?: number;
}

export interface TaskStatus {
  observedGeneration?: number;
  phase?: TaskPhase;
  mesosState?: (typeof MESOS_TASK_STATES)[number];
  reason?: string;
  message?: string;
  healthy?: boolean;
  host?: string;
  agentId?: string;
  ports?: Record<string, number>;
  assignedAt?: string;
  startedAt?: string;
  finishedAt?: string;
  lastTransitionTime?: string;
  throttledUntil?: string;
  events?: TaskEvent[];
  vetoes?: Veto[];
  vetoesObservedAt?: string;
  conditions?: Condition[];
}

export type Task = Resource<TaskSpec, TaskStatus>;

const taskSpecSchema: JsonSchema = obj(
  'What this task is: which instance of which job, and the exact template it runs. Immutable after creation.',
  {
    jobName: str('Name of the Job (same namespace) this task is an instance of.', { minLength: 1 }),
    environment: str("The job's environment at creation (part of the Aurora job key)."),
    instance: int32('Instance id, 0..instances-1.', { minimum: 0 }),
    templateRevision: int('metadata.generation of the Job whose template this task copies.', { minimum: 1 }),
    template: taskTemplateSchema,
    service: bool('Copied from the job: restart whenever the task ends.', { default: false }),
    tier: oneOfStr('Copied from the job: scheduling tier.', TIERS, { default: DEFAULT_TIER }),
    priority: int32('Copied from the job: preemption priority.', { default: 0, minimum: 0 }),
    maxTaskFailures: int32('Copied from the job: failures allowed for an adhoc instance; -1 unlimited.', {
      default: 1,
      minimum: -1,
    }),
    partitionPolicy: partitionPolicySchema,
    failureCount: int32('Failures of this instance so far, carried over from the ancestor task.', {
      default: 0,
      minimum: 0,
    }),
    ancestor: str('Name of the task this one replaces (rescheduled after it ended), if any.'),
  },
  { required: ['jobName', 'instance', 'templateRevision', 'template'] },
);

const taskStatusSchema: JsonSchema = obj(
  'Where the task is in its lifecycle, written by the task controller.',
  {
    observedGeneration: observedGenerationSchema,
    phase: oneOfStr(
      'Aurora ScheduleStatus. Active: Pending, Throttled, Assigned, Starting, Running, Killing, Preempting, Restarting, Draining, Partitioned; terminal: Finished, Failed, Killed, Lost.',
      TASK_PHASES,
    ),
    mesosState: oneOfStr('Last TaskState Mesos reported for the task.', MESOS_TASK_STATES),
    reason: str(
      'Machine-readable reason of the last transition, e.g. a Mesos reason (REASON_COMMAND_EXECUTOR_FAILED) or Preempted.',
    ),
    message: str('Human-readable message of the last transition (Mesos status message, kill reason, ...).'),
    healthy: bool(
      'Result of the health check (Mesos TaskStatus.healthy); unset while unknown or without a check.',
    ),
    host: str('Hostname the task was assigned to.'),
    agentId: str('Mesos agent id the task was assigned to.'),
    ports: map(
      'Host port assigned to each named port.',
      int32('Host port number.', { minimum: 1, maximum: 65535 }),
    ),
    assignedAt: time('When the task was placed on a host (Assigned).'),
    startedAt: time('When the task first became Running.'),
    finishedAt: time('When the task reached a terminal phase.'),
    lastTransitionTime: time('When phase last changed.'),
    throttledUntil: time('Throttled tasks: when the flapping penalty ends and the task becomes Pending.'),
    events: arr(
      `Phase history, oldest first; at most ${MAX_TASK_EVENTS} (oldest dropped).`,
      obj(
        'One phase change.',
        {
          time: time('When the phase was entered.'),
          phase: oneOfStr('The phase entered.', TASK_PHASES),
          message: str('Why.'),
          source: str('Who caused it: a controller name or the Mesos agent.'),
        },
        { required: ['time', 'phase'] },
      ),
      { maxItems: MAX_TASK_EVENTS },
    ),
    vetoes: arr(
      'Pending tasks: why no host takes the task ("why is it pending?"), one entry per reason.',
      obj(
        'A reason hosts were rejected.',
        {
          reason: str(
            'Veto kind: DedicatedHost, Maintenance, Unavailability, ValueConstraint, LimitConstraint, InsufficientResources.',
          ),
          message: str('Details, e.g. "Insufficient CPU" or "constraint rack not in [r1 r2]".'),
          hosts: int32('Number of hosts rejected for this reason in the last placement round.', {
            minimum: 0,
          }),
        },
        { required: ['reason'] },
      ),
    ),
    vetoesObservedAt: time('When vetoes were computed.'),
    conditions: conditionsSchema('Ready: Running and healthy (if a health check is set).'),
  },
);

/** The spec describes one fixed run; changing it would make status lie about what ran. */
const IMMUTABLE_SPEC_FIELDS = [
  'jobName',
  'environment',
  'instance',
  'templateRevision',
  'template',
  'ancestor',
] as const;

export function validateTask(o: ApiObject, old: ApiObject | undefined): FieldProblem[] {
  const spec = record(o['spec']) as unknown as TaskSpec | undefined;
  if (spec === undefined) return [];
  const problems = validateTaskTemplate(spec.template, 'spec.template', namespaceOf(o));
  const oldSpec = record(old?.['spec']);
  if (oldSpec !== undefined) {
    for (const f of IMMUTABLE_SPEC_FIELDS) {
      if (!jsonEqual(spec[f], oldSpec[f])) problems.push(immutable(`spec.${f}`, spec[f]));
    }
  }
  return problems;
}

export const taskKind: KindDefinition = defineKind({
  group: GROUP,
  version: VERSION,
  kind: 'Task',
  listKind: 'TaskList',
  plural: 'tasks',
  singular: 'task',
  shortNames: ['tk'],
  categories: ['all', 'borealis'],
  namespaced: true,
  schema: objectSchema(
    'One run of one instance of a Job on Mesos (Aurora ScheduledTask). Created by the jobs controller.',
    { spec: taskSpecSchema, status: taskStatusSchema },
    ['spec'],
  ),
  printerColumns: [
    { name: 'Job', type: 'string', jsonPath: '.spec.jobName' },
    { name: 'Instance', type: 'integer', jsonPath: '.spec.instance' },
    { name: 'Phase', type: 'string', jsonPath: '.status.phase', description: 'Aurora ScheduleStatus.' },
    { name: 'Host', type: 'string', jsonPath: '.status.host' },
    { name: 'Ports', type: 'string', jsonPath: '.status.ports', description: 'Named port → host port.' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    { name: 'Healthy', type: 'boolean', jsonPath: '.status.healthy', priority: 1 },
    { name: 'Mesos-State', type: 'string', jsonPath: '.status.mesosState', priority: 1 },
    { name: 'Revision', type: 'integer', jsonPath: '.spec.templateRevision', priority: 1 },
    { name: 'Failures', type: 'integer', jsonPath: '.spec.failureCount', priority: 1 },
    { name: 'Reason', type: 'string', jsonPath: '.status.reason', priority: 1 },
    { name: 'Agent', type: 'string', jsonPath: '.status.agentId', priority: 1 },
  ],
  statusSubresource: true,
  // The jobs controller creates each Task with its first status (Pending or Throttled).
  statusOnCreate: true,
  selectableFields: ['.spec.jobName', '.spec.instance', '.status.phase', '.status.host'],
  validate: validateTask,
});
