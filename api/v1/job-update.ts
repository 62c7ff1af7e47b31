/**
 * JobUpdate: one rolling update of a Job from its running template(s) to a new one (Aurora
 * JobUpdate). The jobs controller creates one when a service Job's template or instance count
 * changes; the updates controller drives it. Users steer it through spec (paused, abort,
 * rollback, lastPulseTime), the declarative form of Aurora's pause/resume/abort/rollback/pulse.
 */
import { defineKind } from '../define-kind.js';
import { forbidden, immutable, invalid, jsonEqual, record } from '../field.js';
import type { ApiObject, FieldProblem, JsonSchema, KindDefinition } from '../kind.js';
import {
  type Condition,
  conditionsSchema,
  objectSchema,
  observedGenerationSchema,
  type Resource,
} from '../meta.js';
import { arr, bool, int, int32, listMap, obj, oneOfStr, str, time } from '../schema.js';
import { GROUP, VERSION } from './group.js';
import { MAX_INSTANCES } from './job.js';
import { type UpdateStrategy, updateStrategySchema, validateUpdateStrategy } from './policies.js';
import { type TaskTemplate, taskTemplateSchema } from './task-template.js';
import { namespaceOf, validateTaskTemplate } from './task-template-validation.js';

export const ACTIVE_UPDATE_PHASES = [
  'RollingForward',
  'RollingBack',
  'RollForwardPaused',
  'RollBackPaused',
  'RollForwardAwaitingPulse',
  'RollBackAwaitingPulse',
] as const;
export const TERMINAL_UPDATE_PHASES = ['RolledForward', 'RolledBack', 'Aborted', 'Error', 'Failed'] as const;
export const UPDATE_PHASES = [...ACTIVE_UPDATE_PHASES, ...TERMINAL_UPDATE_PHASES] as const;
export type UpdatePhase = (typeof UPDATE_PHASES)[number];

/** Aurora's allowed update state transitions (JobUpdateStateMachine); terminal phases allow none. */
export const UPDATE_TRANSITIONS: Readonly<Record<UpdatePhase, readonly UpdatePhase[]>> = {
  RollingForward: [
    'RollingBack',
    'RollForwardPaused',
    'RollForwardAwaitingPulse',
    'RolledForward',
    'Aborted',
    'Failed',
    'Error',
  ],
  RollingBack: ['RollBackPaused', 'RollBackAwaitingPulse', 'RolledBack', 'Aborted', 'Error', 'Failed'],
  RollForwardPaused: ['RollingBack', 'RollingForward', 'RollForwardAwaitingPulse', 'Aborted', 'Error'],
  RollBackPaused: ['RollingBack', 'RollBackAwaitingPulse', 'Aborted', 'Error'],
  RollForwardAwaitingPulse: ['RollingBack', 'RollingForward', 'RollForwardPaused', 'Aborted', 'Error'],
  RollBackAwaitingPulse: ['RollingBack', 'RollBackPaused', 'Aborted', 'Error'],
  RolledForward: [],
  RolledBack: [],
  Aborted: [],
  Error: [],
  Failed: [],
};

export const INSTANCE_UPDATE_STATES = [
  'Pending',
  'Updating',
  'Updated',
  'RollingBack',
  'RolledBack',
  'Failed',
] as const;

export interface InstanceRange {
  first: number;
  last: number;
}

export interface JobUpdateSpec {
  jobName: string;
  targetRevision: number;
  instances: number;
  template: TaskTemplate;
  initial?: { revision: number; instances: InstanceRange[] }[];
  strategy: UpdateStrategy;
  onlyInstances?: InstanceRange[];
  paused: boolean;
  abort: boolean;
  rollback: boolean;
  lastPulseTime?: string;
  message?: string;
}

export interface JobUpdateStatus {
  observedGeneration?: number;
  phase?: UpdatePhase;
  progress?: string;
  updatedInstances?: number;
  failedInstances?: number;
  instances?: { instance: number; state: (typeof INSTANCE_UPDATE_STATES)[number]; failures?: number }[];
  startedAt?: string;
  finishedAt?: string;
  history?: { time: string; phase: UpdatePhase; message?: string }[];
  conditions?: Condition[];
}

export type JobUpdate = Resource<JobUpdateSpec, JobUpdateStatus>;

const rangeSchema = obj(
  'An inclusive range of instance ids.',
  {
    first: int32('First instance id.', { minimum: 0 }),
    last: int32('Last instance id (inclusive).', { minimum: 0 }),
  },
  { required: ['first', 'last'] },
);

const specSchema: JsonSchema = obj(
  "What the update rolls out, and the operator's controls over it.",
  {
    jobName: str('Name of the Job (same namespace) being updated.', { minLength: 1 }),
    targetRevision: int(
      'metadata.generation of the Job whose template and instance count this update rolls to.',
      {
        minimum: 1,
      },
    ),
    instances: int32('Instance count after the update; instances beyond it are removed.', {
      minimum: 0,
      maximum: MAX_INSTANCES,
    }),
    template: taskTemplateSchema,
    initial: arr(
      'Which instances ran which Job revision when the update started; rollback returns them there.',
      obj(
        'Instances on one revision.',
        {
          revision: int('Job revision (metadata.generation) these instances ran.', { minimum: 1 }),
          instances: arr('Instance ranges.', rangeSchema),
        },
        { required: ['revision', 'instances'] },
      ),
    ),
    strategy: { ...updateStrategySchema, default: {} },
    onlyInstances: arr(
      'Limit the update to these instance ranges (Aurora updateOnlyTheseInstances).',
      rangeSchema,
    ),
    paused: bool('true pauses the update (…Paused); false resumes it.', { default: false }),
    abort: bool('true aborts the update where it stands (Aborted); cannot be undone.', { default: false }),
    rollback: bool('true rolls the update back (RollingBack); cannot be undone.', { default: false }),
    lastPulseTime: time('Coordinated updates: the latest pulse; an update without a recent pulse blocks.'),
    message: str('Why the update was started (shown in history).'),
  },
  { required: ['jobName', 'targetRevision', 'instances', 'template'] },
);

const statusSchema: JsonSchema = obj('Progress of the update, written by the updates controller.', {
  observedGeneration: observedGenerationSchema,
  phase: oneOfStr('Aurora JobUpdateStatus, CamelCase.', UPDATE_PHASES),
  progress: str('Updated instances over instances to update, e.g. "2/5" (the PROGRESS column).'),
  updatedInstances: int('Instances done.'),
  failedInstances: int('Instances that failed more than maxPerInstanceFailures times.'),
  instances: listMap(
    'Per-instance state.',
    obj(
      'One instance.',
      {
        instance: int32('Instance id.', { minimum: 0 }),
        state: oneOfStr('Where this instance is in the update.', INSTANCE_UPDATE_STATES),
        failures: int32('Failures of this instance during the update.', { minimum: 0 }),
      },
      { required: ['instance', 'state'] },
    ),
    ['instance'],
  ),
  startedAt: time('When the update started.'),
  finishedAt: time('When it reached a terminal phase.'),
  history: arr(
    'Phase changes, oldest first.',
    obj(
      'A phase change.',
      { time: time('When.'), phase: oneOfStr('The phase entered.', UPDATE_PHASES), message: str('Why.') },
      { required: ['time', 'phase'] },
    ),
    { maxItems: 100 },
  ),
  conditions: conditionsSchema(
    'Progressing: the update is moving. Paused, AwaitingPulse, Failed as they say.',
  ),
});

/** What identifies an update cannot change; operators may only steer it. */
const IMMUTABLE = ['jobName', 'targetRevision', 'instances', 'template', 'initial', 'onlyInstances'] as const;

export function validateJobUpdate(o: ApiObject, old: ApiObject | undefined): FieldProblem[] {
  const spec = record(o['spec']) as unknown as JobUpdateSpec | undefined;
  if (spec === undefined) return [];
  const problems = [
    ...validateTaskTemplate(spec.template, 'spec.template', namespaceOf(o)),
    ...validateUpdateStrategy(spec.strategy, 'spec.strategy'),
  ];
  const ranges = (rs: InstanceRange[] | undefined, path: string): void => {
    for (const [i, r] of (rs ?? []).entries()) {
      if (r.first > r.last)
        problems.push(invalid(`${path}[${i}].last`, r.last, `must be at least first (${r.first})`));
    }
  };
  ranges(spec.onlyInstances, 'spec.onlyInstances');
  for (const [i, g] of (spec.initial ?? []).entries()) ranges(g.instances, `spec.initial[${i}].instances`);
  if (spec.abort && spec.rollback) problems.push(forbidden('spec.rollback', 'the update is being aborted'));

  const oldSpec = record(old?.['spec']);
  if (oldSpec !== undefined) {
    for (const f of IMMUTABLE)
      if (!jsonEqual(spec[f], oldSpec[f])) problems.push(immutable(`spec.${f}`, spec[f]));
    if (oldSpec['abort'] === true && !spec.abort)
      problems.push(forbidden('spec.abort', 'an abort cannot be undone'));
    if (oldSpec['rollback'] === true && !spec.rollback) {
      problems.push(forbidden('spec.rollback', 'a rollback cannot be undone'));
    }
  }
  const from = record(old?.['status'])?.['phase'] as UpdatePhase | undefined;
  const to = record(o['status'])?.['phase'] as UpdatePhase | undefined;
  if (from !== undefined && to !== undefined && from !== to && !UPDATE_TRANSITIONS[from]?.includes(to)) {
    problems.push(invalid('status.phase', to, `cannot go from ${from} to ${to}`));
  }
  return problems;
}

export const jobUpdateKind: KindDefinition = defineKind({
  group: GROUP,
  version: VERSION,
  kind: 'JobUpdate',
  listKind: 'JobUpdateList',
  plural: 'jobupdates',
  singular: 'jobupdate',
  shortNames: ['ju'],
  categories: ['borealis'],
  namespaced: true,
  schema: objectSchema(
    'A rolling update of a Job to a new template or instance count (Aurora JobUpdate).',
    { spec: specSchema, status: statusSchema },
    ['spec'],
  ),
  printerColumns: [
    { name: 'Job', type: 'string', jsonPath: '.spec.jobName' },
    { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
    { name: 'Progress', type: 'string', jsonPath: '.status.progress' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    { name: 'Revision', type: 'integer', jsonPath: '.spec.targetRevision', priority: 1 },
    { name: 'Failed', type: 'integer', jsonPath: '.status.failedInstances', priority: 1 },
    { name: 'Paused', type: 'boolean', jsonPath: '.spec.paused', priority: 1 },
  ],
  statusSubresource: true,
  selectableFields: ['.spec.jobName', '.status.phase'],
  validate: validateJobUpdate,
});
