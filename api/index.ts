/**
 * The built-in kinds and how to find them by group/kind, by resource, or by any name kubectl
 * accepts (plural, singular, short name, kind).
 */
import { customResourceDefinitionKind } from './apiextensions/v1/custom-resource-definition.js';
import { eventKind } from './core/v1/event.js';
import { namespaceKind } from './core/v1/namespace.js';
import type { KindDefinition } from './kind.js';
import { jobKind } from './v1/job.js';
import { taskKind } from './v1/task.js';

export type { ApiObject, FieldProblem, JsonSchema, KindDefinition, PrinterColumn } from './kind.js';

export const builtinKinds: readonly KindDefinition[] = [
  namespaceKind,
  eventKind,
  customResourceDefinitionKind,
  jobKind,
  taskKind,
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
