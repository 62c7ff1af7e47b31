/**
 * The built-in kinds and how to find them by group/kind, by resource, or by any name kubectl
 * accepts (plural, singular, short name, kind).
 */
import { customResourceDefinitionKind } from './apiextensions/v1/custom-resource-definition.js';
import { eventKind } from './core/v1/event.js';
import { namespaceKind } from './core/v1/namespace.js';
import type { KindDefinition } from './kind.js';
import { cronJobKind } from './v1/cron-job.js';
import { hostKind } from './v1/host.js';
import { jobKind } from './v1/job.js';
import { jobUpdateKind } from './v1/job-update.js';
import { maintenanceKind } from './v1/maintenance.js';
import { quotaKind } from './v1/quota.js';
import { taskKind } from './v1/task.js';
import { tierKind } from './v1/tier.js';

export {
  type CustomResourceDefinition,
  customResourceDefinitionKind,
} from './apiextensions/v1/custom-resource-definition.js';
export { kindsFromCrd } from './apiextensions/v1/kind-from-crd.js';
export { type Event, eventKind } from './core/v1/event.js';
export { type Namespace, namespaceKind } from './core/v1/namespace.js';
export { defineKind } from './define-kind.js';
export { formatProblem } from './field.js';
export type { ApiObject, FieldProblem, JsonSchema, KindDefinition, PrinterColumn } from './kind.js';
export { validateListTypes } from './list-types.js';
export type { Condition, ObjectMeta, OwnerReference } from './meta.js';
export { problemsFromSchemaErrors, type SchemaError } from './schema-errors.js';
export { unknownFields } from './unknown-fields.js';
export { type CronJob, cronJobKind } from './v1/cron-job.js';
export { type Host, hostKind } from './v1/host.js';
export { API_VERSION, GROUP, type Job, jobKind } from './v1/job.js';
export { type JobUpdate, jobUpdateKind } from './v1/job-update.js';
export { type Maintenance, maintenanceKind } from './v1/maintenance.js';
export { type Quota, quotaKind } from './v1/quota.js';
export { type Task, taskKind } from './v1/task.js';
export { builtinTiers, type Tier, tierKind } from './v1/tier.js';

export const builtinKinds: readonly KindDefinition[] = [
  namespaceKind,
  eventKind,
  customResourceDefinitionKind,
  jobKind,
  taskKind,
  jobUpdateKind,
  cronJobKind,
  quotaKind,
  hostKind,
  maintenanceKind,
  tierKind,
];

/** "borealis.dev/v1" or "v1" for the core group. */
export const apiVersionOf = (k: Pick<KindDefinition, 'group' | 'version'>): string =>
  k.group === '' ? k.version : `${k.group}/${k.version}`;

export function kindByGroupVersionKind(
  group: string,
  version: string,
  kind: string,
  kinds: readonly KindDefinition[] = builtinKinds,
): KindDefinition | undefined {
  return kinds.find((k) => k.group === group && k.version === version && k.kind === kind);
}

/** Find by apiVersion ("borealis.dev/v1", "v1") and kind, as written in a manifest. */
export function kindByApiVersion(
  apiVersion: string,
  kind: string,
  kinds: readonly KindDefinition[] = builtinKinds,
): KindDefinition | undefined {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  return kindByGroupVersionKind(group, version, kind, kinds);
}

export function kindByResource(
  group: string,
  version: string,
  plural: string,
  kinds: readonly KindDefinition[] = builtinKinds,
): KindDefinition | undefined {
  return kinds.find((k) => k.group === group && k.version === version && k.plural === plural);
}

/**
 * Every kind a user-typed name could mean (plural, singular, short name or kind, case-insensitive
 * for the kind), optionally restricted to a group: "jobs", "job", "jb", "Job", "jobs.borealis.dev".
 */
export function kindsByName(name: string, kinds: readonly KindDefinition[] = builtinKinds): KindDefinition[] {
  const dot = name.indexOf('.');
  const base = (dot < 0 ? name : name.slice(0, dot)).toLowerCase();
  const group = dot < 0 ? undefined : name.slice(dot + 1);
  return kinds.filter(
    (k) =>
      (group === undefined || k.group === group) &&
      (k.plural === base ||
        k.singular === base ||
        k.kind.toLowerCase() === base ||
        k.shortNames.includes(base)),
  );
}

/** Kinds in a category, e.g. "all" for `kubectl get all`. */
export const kindsInCategory = (
  category: string,
  kinds: readonly KindDefinition[] = builtinKinds,
): KindDefinition[] => kinds.filter((k) => k.categories.includes(category));
