/**
 * Quota: resources a role (namespace) may use for production tasks (Aurora ResourceAggregate).
 * Admission checks it on job create, instance add, update start and cron runs; every Quota in a
 * namespace must hold, as with Kubernetes ResourceQuota. Non-production tasks are not counted.
 */
import { defineKind } from '../define-kind.js';
import type { JsonSchema, KindDefinition } from '../kind.js';
import {
  type Condition,
  conditionsSchema,
  objectSchema,
  observedGenerationSchema,
  type Resource,
} from '../meta.js';
import { int32, num, obj } from '../schema.js';
import { GROUP, VERSION } from './group.js';

export interface QuotaAmounts {
  cpus: number;
  ramMb: number;
  diskMb: number;
  gpus?: number;
}

export interface QuotaStatus {
  observedGeneration?: number;
  used?: QuotaAmounts;
  conditions?: Condition[];
}

export type Quota = Resource<QuotaAmounts, QuotaStatus>;

const amounts = (description: string, defaults: boolean): JsonSchema =>
  obj(
    description,
    {
      cpus: num('CPU cores.', { minimum: 0, ...(defaults ? { default: 0 } : {}) }),
      ramMb: int32('Memory in MiB.', { minimum: 0, ...(defaults ? { default: 0 } : {}) }),
      diskMb: int32('Disk in MiB.', { minimum: 0, ...(defaults ? { default: 0 } : {}) }),
      gpus: int32('GPUs.', { minimum: 0 }),
    },
    // A role without a Quota has no production quota (Aurora's default is zero), so an unset
    // amount means zero too, never "unlimited".
  );

export const quotaKind: KindDefinition = defineKind({
  group: GROUP,
  version: VERSION,
  kind: 'Quota',
  listKind: 'QuotaList',
  plural: 'quotas',
  singular: 'quota',
  shortNames: ['qt'],
  categories: ['borealis'],
  namespaced: true,
  schema: objectSchema(
    'Production resources the role (namespace) may use. Lowering it below current use is rejected at admission.',
    {
      spec: amounts(
        "Limits for the sum of the role's production tasks' resources. Unset amounts are 0.",
        true,
      ),
      status: obj('Current production use, written by the quota controller.', {
        observedGeneration: observedGenerationSchema,
        used: amounts("Resources reserved by the role's active production tasks.", false),
        conditions: conditionsSchema('Exceeded: use is above the limit (e.g. after an operator lowered it).'),
      }),
    },
    ['spec'],
  ),
  printerColumns: [
    { name: 'CPUs', type: 'number', jsonPath: '.spec.cpus' },
    { name: 'RAM-MB', type: 'integer', jsonPath: '.spec.ramMb' },
    { name: 'Disk-MB', type: 'integer', jsonPath: '.spec.diskMb' },
    { name: 'Used-CPUs', type: 'number', jsonPath: '.status.used.cpus' },
    { name: 'Used-RAM-MB', type: 'integer', jsonPath: '.status.used.ramMb' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    { name: 'Used-Disk-MB', type: 'integer', jsonPath: '.status.used.diskMb', priority: 1 },
    { name: 'GPUs', type: 'integer', jsonPath: '.spec.gpus', priority: 1 },
  ],
  statusSubresource: true,
  selectableFields: [],
});
