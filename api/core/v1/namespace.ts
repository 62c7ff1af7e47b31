/**
 * Namespace (core/v1), served under /api/v1 as kubectl expects. In Borealis a namespace is an
 * Aurora role: it owns jobs, tasks, cron jobs and quota.
 */
import { defineKind } from '../../define-kind.js';
import { invalid } from '../../field.js';
import type { ApiObject, FieldProblem, KindDefinition } from '../../kind.js';
import { type Condition, conditionsSchema, objectSchema, type Resource } from '../../meta.js';
import { obj, oneOfStr, set, str } from '../../schema.js';

export interface NamespaceSpec {
  finalizers?: string[];
}

export interface NamespaceStatus {
  phase?: 'Active' | 'Terminating';
  conditions?: Condition[];
}

export type Namespace = Resource<NamespaceSpec, NamespaceStatus>;

/** RFC 1123 label, the rule Kubernetes applies to namespace names. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function validateNamespace(o: ApiObject): FieldProblem[] {
  const name = o.metadata?.['name'];
  if (typeof name === 'string' && (name.length > 63 || !DNS_LABEL.test(name))) {
    return [
      invalid(
        'metadata.name',
        name,
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
      ),
    ];
  }
  return [];
}

export const namespaceKind: KindDefinition = defineKind({
  group: '',
  version: 'v1',
  kind: 'Namespace',
  listKind: 'NamespaceList',
  plural: 'namespaces',
  singular: 'namespace',
  shortNames: ['ns'],
  categories: [],
  namespaced: false,
  schema: objectSchema('A namespace; in Borealis, an Aurora role owning jobs, tasks and quota.', {
    spec: obj('Namespace spec.', {
      finalizers: set(
        'Things that must finish before the namespace is removed (e.g. deleting its jobs).',
        str('A finalizer name.'),
      ),
    }),
    status: obj('Observed state of the namespace.', {
      phase: oneOfStr('Active, or Terminating while its contents are being deleted.', [
        'Active',
        'Terminating',
      ]),
      conditions: conditionsSchema('Namespace conditions, e.g. NamespaceDeletionContentFailure.'),
    }),
  }),
  printerColumns: [
    { name: 'Status', type: 'string', jsonPath: '.status.phase' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
  statusSubresource: true,
  selectableFields: ['.status.phase'],
  validate: validateNamespace,
});
