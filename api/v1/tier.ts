/**
 * Tier: what a scheduling tier means (Aurora tiers.json). The three tiers a Job may name are fixed
 * in v1 (Job.spec.tier's enum), so Tier objects describe them for `kubectl get tiers` and carry
 * their flags for the scheduler; their flags must agree with Aurora's definitions.
 */
import { defineKind } from '../define-kind.js';
import { invalid, record } from '../field.js';
import type { ApiObject, FieldProblem, KindDefinition } from '../kind.js';
import {
  type Condition,
  conditionsSchema,
  objectSchema,
  observedGenerationSchema,
  type Resource,
} from '../meta.js';
import { bool, obj, str } from '../schema.js';
import { GROUP, VERSION } from './group.js';
import { DEFAULT_TIER, TIERS, type TierName } from './policies.js';

export interface TierSpec {
  preemptible: boolean;
  revocable: boolean;
  description?: string;
}

export interface TierStatus {
  observedGeneration?: number;
  conditions?: Condition[];
}

export type Tier = Resource<TierSpec, TierStatus>;

/** Aurora's tiers.json: preferred is production; revocable tasks are also preemptible. */
export const BUILTIN_TIER_SPECS: Readonly<Record<TierName, TierSpec>> = {
  preferred: { preemptible: false, revocable: false, description: 'Production: never preempted.' },
  preemptible: { preemptible: true, revocable: false, description: 'May be preempted (the default tier).' },
  revocable: { preemptible: true, revocable: true, description: 'Preemptible, on revocable resources.' },
};

/** The Tier objects a fresh cluster starts with. */
export const builtinTiers: readonly Tier[] = TIERS.map((name) => ({
  apiVersion: `${GROUP}/${VERSION}`,
  kind: 'Tier',
  metadata: { name, labels: { 'borealis.dev/default-tier': String(name === DEFAULT_TIER) } },
  spec: BUILTIN_TIER_SPECS[name],
}));

export function validateTier(o: ApiObject): FieldProblem[] {
  const spec = record(o['spec']) as unknown as TierSpec | undefined;
  if (spec === undefined) return [];
  const problems: FieldProblem[] = [];
  if (spec.revocable && !spec.preemptible) {
    problems.push(invalid('spec.preemptible', false, 'a revocable tier must be preemptible'));
  }
  const name = o.metadata?.['name'];
  const builtin =
    typeof name === 'string' && Object.hasOwn(BUILTIN_TIER_SPECS, name)
      ? BUILTIN_TIER_SPECS[name as TierName]
      : undefined;
  if (builtin !== undefined) {
    for (const f of ['preemptible', 'revocable'] as const) {
      if (spec[f] !== builtin[f]) {
        problems.push(
          invalid(`spec.${f}`, spec[f], `tier "${String(name)}" is ${builtin[f] ? '' : 'not '}${f}`),
        );
      }
    }
  }
  return problems;
}

export const tierKind: KindDefinition = defineKind({
  group: GROUP,
  version: VERSION,
  kind: 'Tier',
  listKind: 'TierList',
  plural: 'tiers',
  singular: 'tier',
  shortNames: ['tr'],
  categories: ['borealis'],
  namespaced: false,
  schema: objectSchema(
    'A scheduling tier: whether its tasks may be preempted and whether they run on revocable resources.',
    {
      spec: obj('What the tier allows.', {
        preemptible: bool(
          'Tasks may be preempted by production tasks or higher-priority tasks of their role.',
          {
            default: false,
          },
        ),
        revocable: bool('Tasks run on revocable (oversubscribed) resources; implies preemptible.', {
          default: false,
        }),
        description: str('What the tier is for.'),
      }),
      status: obj('Observed state of the tier.', {
        observedGeneration: observedGenerationSchema,
        conditions: conditionsSchema('Tier conditions.'),
      }),
    },
    ['spec'],
  ),
  printerColumns: [
    { name: 'Preemptible', type: 'boolean', jsonPath: '.spec.preemptible' },
    { name: 'Revocable', type: 'boolean', jsonPath: '.spec.revocable' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    { name: 'Description', type: 'string', jsonPath: '.spec.description', priority: 1 },
  ],
  statusSubresource: true,
  selectableFields: ['.spec.preemptible', '.spec.revocable'],
  validate: validateTier,
});
