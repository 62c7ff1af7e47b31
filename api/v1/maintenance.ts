/**
 * Maintenance: an operator's request to take hosts out of service (Aurora start_maintenance /
 * drain_hosts / end_maintenance, as one declarative object). Creating it moves the hosts to
 * Scheduled (or Draining with drain: true); deleting it ends maintenance (hosts back to None).
 */
import { defineKind } from '../define-kind.js';
import { record } from '../field.js';
import type { ApiObject, FieldProblem, JsonSchema, KindDefinition } from '../kind.js';
import {
  type Condition,
  conditionsSchema,
  objectSchema,
  observedGenerationSchema,
  type Resource,
} from '../meta.js';
import { bool, int, int32, listMap, obj, oneOfStr, set, str, time } from '../schema.js';
import { GROUP, VERSION } from './group.js';
import { HOST_MODES, type HostMode } from './host.js';
import { type SlaPolicy, slaPolicySchema, validateSlaPolicyShape } from './policies.js';

/** aurora_admin sla_host_drain defaults: 95 % of instances up for 30 minutes; forced after 7 days. */
export const DEFAULT_DRAIN_SLA: SlaPolicy = { percentage: 95, durationSeconds: 1800 };
export const DEFAULT_DRAIN_TIMEOUT_SECONDS = 7 * 24 * 3600;

export const MAINTENANCE_PHASES = ['Scheduled', 'Draining', 'Drained'] as const;

export interface MaintenanceSpec {
  hosts: string[];
  drain: boolean;
  window?: { start: string; durationSeconds?: number };
  slaPolicy: SlaPolicy;
  force: boolean;
  timeoutSeconds: number;
  reason?: string;
}

export interface MaintenanceStatus {
  observedGeneration?: number;
  phase?: (typeof MAINTENANCE_PHASES)[number];
  hosts?: { hostname: string; mode: HostMode; activeTasks?: number }[];
  drainedHosts?: number;
  startedAt?: string;
  drainedAt?: string;
  forcedAt?: string;
  conditions?: Condition[];
}

export type Maintenance = Resource<MaintenanceSpec, MaintenanceStatus>;

const specSchema: JsonSchema = obj(
  'Which hosts, when, and how carefully.',
  {
    hosts: set('Hostnames (Host names) under maintenance.', str('A hostname.', { minLength: 1 }), {
      minItems: 1,
    }),
    drain: bool(
      'false: hosts are only Scheduled (placement avoids them, nothing is killed). true: hosts are Draining: tasks are moved off, SLA permitting.',
      { default: false },
    ),
    window: obj(
      'Planned downtime announced to Mesos as an unavailability window; placement avoids hosts whose window starts within 6 minutes.',
      {
        start: time('Start of the downtime.'),
        durationSeconds: int('Length of the downtime; unset means indefinite.', { minimum: 1 }),
      },
      { required: ['start'] },
    ),
    slaPolicy: {
      ...slaPolicySchema,
      description:
        'SLA each production job must keep while its tasks are drained off these hosts. Default 95 % for 30 minutes (aurora_admin).',
      default: DEFAULT_DRAIN_SLA,
    },
    force: bool('Drain without SLA checks (aurora_admin --force).', { default: false }),
    timeoutSeconds: int32(
      'After this long Draining, remaining tasks are drained regardless of SLA. Default 7 days.',
      {
        default: DEFAULT_DRAIN_TIMEOUT_SECONDS,
        minimum: 0,
      },
    ),
    reason: str('Why (shown in events), e.g. a ticket id.'),
  },
  { required: ['hosts'] },
);

const statusSchema: JsonSchema = obj('Progress, written by the maintenance controller.', {
  observedGeneration: observedGenerationSchema,
  phase: oneOfStr('Overall progress: the least advanced of the hosts.', MAINTENANCE_PHASES),
  hosts: listMap(
    'Per-host progress.',
    obj(
      'One host.',
      {
        hostname: str('The host.'),
        mode: oneOfStr('Its maintenance mode.', HOST_MODES),
        activeTasks: int32('Active tasks still on it.', { minimum: 0 }),
      },
      { required: ['hostname', 'mode'] },
    ),
    ['hostname'],
  ),
  drainedHosts: int('Hosts in mode Drained.', { minimum: 0 }),
  startedAt: time('When maintenance started.'),
  drainedAt: time('When the last host became Drained.'),
  forcedAt: time('When the timeout forced the drain, if it did.'),
  conditions: conditionsSchema(
    'Drained: every host is Drained. Blocked: an SLA policy keeps tasks from moving.',
  ),
});

export function validateMaintenance(o: ApiObject): FieldProblem[] {
  const spec = record(o['spec']) as unknown as MaintenanceSpec | undefined;
  if (spec === undefined) return [];
  // Repeated hosts are caught by the generic list-type (set) check.
  return validateSlaPolicyShape(spec.slaPolicy, 'spec.slaPolicy');
}

export const maintenanceKind: KindDefinition = defineKind({
  group: GROUP,
  version: VERSION,
  kind: 'Maintenance',
  listKind: 'MaintenanceList',
  plural: 'maintenances',
  singular: 'maintenance',
  shortNames: ['mt'],
  categories: ['borealis'],
  namespaced: false,
  schema: objectSchema(
    'Hosts taken out of service: scheduled (avoided) or drained (tasks moved off within SLA). Delete to end it.',
    { spec: specSchema, status: statusSchema },
    ['spec'],
  ),
  printerColumns: [
    { name: 'Drain', type: 'boolean', jsonPath: '.spec.drain' },
    { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
    {
      name: 'Drained',
      type: 'integer',
      jsonPath: '.status.drainedHosts',
      description: 'Hosts drained so far.',
    },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    { name: 'Window-Start', type: 'date', jsonPath: '.spec.window.start', priority: 1 },
    { name: 'Force', type: 'boolean', jsonPath: '.spec.force', priority: 1 },
    { name: 'Reason', type: 'string', jsonPath: '.spec.reason', priority: 1 },
  ],
  statusSubresource: true,
  selectableFields: ['.spec.drain', '.status.phase'],
  validate: validateMaintenance,
});
