/**
 * Host: a Mesos agent's machine as the scheduler sees it (Aurora HostAttributes plus what offers
 * tell). The hosts controller creates and updates it from agent registrations and offers; the
 * maintenance controller sets its mode. metadata.name is the hostname.
 */
import { defineKind } from '../define-kind.js';
import { invalid, record } from '../field.js';
import type { ApiObject, FieldProblem, JsonSchema, KindDefinition } from '../kind.js';
import {
  type Condition,
  conditionsSchema,
  objectSchema,
  observedGenerationSchema,
  type Resource,
} from '../meta.js';
import { int, int32, map, num, obj, oneOfStr, set, str, time } from '../schema.js';
import { GROUP, VERSION } from './group.js';

/** Aurora MaintenanceMode, CamelCase. */
export const HOST_MODES = ['None', 'Scheduled', 'Draining', 'Drained'] as const;
export type HostMode = (typeof HOST_MODES)[number];

export interface HostResources {
  cpus?: number;
  ramMb?: number;
  diskMb?: number;
  gpus?: number;
  ports?: number;
}

export interface HostSpec {
  hostname: string;
  agentId?: string;
  attributes?: Record<string, string[]>;
}

export interface HostStatus {
  observedGeneration?: number;
  mode?: HostMode;
  maintenance?: string;
  total?: HostResources;
  allocated?: HostResources;
  activeTasks?: number;
  unavailability?: { start: string; durationSeconds?: number };
  lastSeenTime?: string;
  conditions?: Condition[];
}

export type Host = Resource<HostSpec, HostStatus>;

const resources = (description: string): JsonSchema =>
  obj(description, {
    cpus: num('CPU cores.', { minimum: 0 }),
    ramMb: int32('Memory in MiB.', { minimum: 0 }),
    diskMb: int32('Disk in MiB.', { minimum: 0 }),
    gpus: int32('GPUs.', { minimum: 0 }),
    ports: int32("Number of ports in the agent's port ranges.", { minimum: 0 }),
  });

export function validateHost(o: ApiObject): FieldProblem[] {
  const spec = record(o['spec']) as unknown as HostSpec | undefined;
  const name = o.metadata?.['name'];
  // Constraints on the "host" attribute and maintenance requests name hosts by hostname; one
  // name for both keeps them unambiguous.
  if (spec !== undefined && typeof name === 'string' && spec.hostname !== name) {
    return [invalid('spec.hostname', spec.hostname, `must equal metadata.name ("${name}")`)];
  }
  return [];
}

export const hostKind: KindDefinition = defineKind({
  group: GROUP,
  version: VERSION,
  kind: 'Host',
  listKind: 'HostList',
  plural: 'hosts',
  singular: 'host',
  shortNames: ['ho'],
  categories: ['borealis'],
  namespaced: false,
  schema: objectSchema(
    'A machine running a Mesos agent, with its attributes, resources and maintenance mode.',
    {
      spec: obj(
        'Identity and attributes of the host, from its agent registration.',
        {
          hostname: str('Hostname of the agent; equals metadata.name.', { minLength: 1 }),
          agentId: str('Current Mesos agent id (changes when the agent re-registers as new).'),
          attributes: map(
            'Agent attributes matched by constraints, e.g. rack: [r1], dedicated: [www-data/hello]. The attribute "host" is implicit (the hostname).',
            set('Values of the attribute.', str('A value.')),
          ),
        },
        { required: ['hostname'] },
      ),
      status: obj('What the scheduler observes about the host.', {
        observedGeneration: observedGenerationSchema,
        mode: oneOfStr(
          'Maintenance mode. None: normal. Scheduled: placement prefers other hosts. Draining: tasks are moved off, none placed. Drained: no active tasks left.',
          HOST_MODES,
        ),
        maintenance: str('Name of the Maintenance object that set the mode, if any.'),
        total: resources('Resources the agent offers in total.'),
        allocated: resources('Resources reserved by active Borealis tasks on this host.'),
        activeTasks: int('Active Borealis tasks on this host.', { minimum: 0 }),
        unavailability: obj(
          'Mesos unavailability window announced for the agent.',
          {
            start: time('Start of the window.'),
            durationSeconds: int('Length of the window; unset means indefinite.', { minimum: 0 }),
          },
          { required: ['start'] },
        ),
        lastSeenTime: time('When an offer or status update last came from the agent.'),
        conditions: conditionsSchema('Ready: the agent is registered and reachable.'),
      }),
    },
    ['spec'],
  ),
  printerColumns: [
    { name: 'Mode', type: 'string', jsonPath: '.status.mode' },
    { name: 'CPUs', type: 'number', jsonPath: '.status.total.cpus' },
    { name: 'Alloc-CPUs', type: 'number', jsonPath: '.status.allocated.cpus' },
    { name: 'RAM-MB', type: 'integer', jsonPath: '.status.total.ramMb' },
    { name: 'Tasks', type: 'integer', jsonPath: '.status.activeTasks' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    { name: 'Agent', type: 'string', jsonPath: '.spec.agentId', priority: 1 },
    { name: 'Alloc-RAM-MB', type: 'integer', jsonPath: '.status.allocated.ramMb', priority: 1 },
    { name: 'Maintenance', type: 'string', jsonPath: '.status.maintenance', priority: 1 },
  ],
  statusSubresource: true,
  selectableFields: ['.spec.hostname', '.spec.agentId', '.status.mode'],
  validate: validateHost,
});
