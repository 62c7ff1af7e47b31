/**
 * Job-level policies shared by Job, CronJob and JobUpdate: tiers, environments, the rolling update
 * strategy, the SLA policy and the partition policy, with Aurora's defaults.
 */
import { forbidden, invalid, required } from '../field.js';
import type { FieldProblem, JsonSchema } from '../kind.js';
import { arr, bool, int32, obj, str } from '../schema.js';

/** Aurora's job key part rule (role, environment, name): word characters, "-" and ".", ≤ 255. */
export const JOB_KEY_PART = /^[\w\-.]+$/;
export const ENVIRONMENT_PATTERN = '^(prod|devel|test|staging\\d*)$';

/** The tiers a job may name. preferred is production: neither preemptible nor revocable. */
export const TIERS = ['preferred', 'preemptible', 'revocable'] as const;
export type TierName = (typeof TIERS)[number];
/** Aurora's default tier (tiers.json "default": "preemptible"). */
export const DEFAULT_TIER: TierName = 'preemptible';
export const isProductionTier = (tier: string): boolean => tier === 'preferred';

export interface UpdateStrategy {
  batchSize: number;
  watchSeconds: number;
  maxPerInstanceFailures: number;
  maxFailedInstances: number;
  rollbackOnFailure: boolean;
  waitForBatchCompletion: boolean;
  variableBatchSizes?: number[];
  autoPauseAfterBatch: boolean;
  slaAware: boolean;
  pulseTimeoutSeconds?: number;
}

/** Exactly one of percentage, count or coordinator. */
export interface SlaPolicy {
  percentage?: number;
  count?: number;
  durationSeconds?: number;
  coordinator?: { url: string; statusKey: string };
}

export interface PartitionPolicy {
  reschedule: boolean;
  delaySeconds: number;
}

export const updateStrategySchema: JsonSchema = obj(
  "How changes to the task template or instance count roll out (Aurora UpdateConfig; defaults are the Aurora client's).",
  {
    batchSize: int32('Instances updated at once. Aurora default 1.', { default: 1, minimum: 1 }),
    watchSeconds: int32(
      'Seconds an updated instance must stay Running (and healthy) before it counts as updated. Aurora default 45.',
      { default: 45, minimum: 0 },
    ),
    maxPerInstanceFailures: int32(
      'Times one instance may fail during the update before it counts as failed.',
      {
        default: 0,
        minimum: 0,
      },
    ),
    maxFailedInstances: int32('Failed instances tolerated before the whole update fails.', {
      default: 0,
      minimum: 0,
    }),
    rollbackOnFailure: bool('Roll back to the previous template when the update fails.', { default: true }),
    waitForBatchCompletion: bool(
      'Batch strategy: start the next batch only when the whole previous batch is done (false = queue: keep batchSize instances in flight).',
      { default: false },
    ),
    variableBatchSizes: arr(
      'Variable batch strategy: sizes of successive batches; the last size repeats. Overrides batchSize.',
      int32('A batch size.', { minimum: 1 }),
      { minItems: 1 },
    ),
    autoPauseAfterBatch: bool('Batch strategies: pause the update (RollForwardPaused) after each batch.', {
      default: false,
    }),
    slaAware: bool("Kill an instance only when the job's slaPolicy allows it.", { default: false }),
    pulseTimeoutSeconds: int32(
      'Coordinated update: block (AwaitingPulse) when no pulse came for this long. Unset: not coordinated.',
      { minimum: 1 },
    ),
  },
);

export const slaPolicySchema: JsonSchema = obj(
  'How many instances must stay up when hosts are drained or SLA-aware updates kill instances. ' +
    'Set one of percentage, count or coordinator. Only production (tier preferred) jobs may have one.',
  {
    percentage: {
      type: 'number',
      format: 'double',
      description: 'Percentage of instances that must stay Running.',
      minimum: 0,
      maximum: 100,
    },
    count: int32('Number of other instances that must stay Running.', { minimum: 1 }),
    durationSeconds: int32(
      'With percentage or count: an instance counts only after Running this long. At most 7200.',
      { minimum: 0, maximum: 7200 },
    ),
    coordinator: obj(
      'Ask an external service (HTTP POST of the task as JSON) whether an instance may go down.',
      {
        url: str('Coordinator URL.', { minLength: 1 }),
        statusKey: str('Boolean field of the JSON answer that allows it. Aurora default: drain.', {
          default: 'drain',
        }),
      },
      { required: ['url'] },
    ),
  },
);

export const partitionPolicySchema: JsonSchema = obj(
  'What to do with a task whose agent is unreachable (Partitioned).',
  {
    reschedule: bool(
      'Replace a Partitioned task (mark it Lost) once delaySeconds pass; false keeps waiting.',
      {
        default: true,
      },
    ),
    delaySeconds: int32('Seconds to wait for a Partitioned task to come back before replacing it.', {
      default: 0,
      minimum: 0,
    }),
  },
);

export function validateUpdateStrategy(u: UpdateStrategy | undefined, path: string): FieldProblem[] {
  if (u === undefined) return [];
  const problems: FieldProblem[] = [];
  if (u.variableBatchSizes !== undefined && !u.waitForBatchCompletion) {
    problems.push(
      invalid(
        `${path}.waitForBatchCompletion`,
        false,
        'must be true when variableBatchSizes is set (batch strategy)',
      ),
    );
  }
  if (u.autoPauseAfterBatch && !u.waitForBatchCompletion) {
    problems.push(
      forbidden(`${path}.autoPauseAfterBatch`, 'applies only to batch strategies (waitForBatchCompletion)'),
    );
  }
  return problems;
}

/** The shape rules of an SLA policy, wherever it appears (jobs, maintenance). */
export function validateSlaPolicyShape(sla: SlaPolicy | undefined, path: string): FieldProblem[] {
  if (sla === undefined) return [];
  const problems: FieldProblem[] = [];
  const kinds = [sla.percentage, sla.count, sla.coordinator].filter((k) => k !== undefined).length;
  if (kinds === 0) problems.push(required(path, 'one of percentage, count or coordinator must be set'));
  if (kinds > 1) problems.push(forbidden(path, 'only one of percentage, count or coordinator may be set'));
  if (sla.coordinator !== undefined && sla.durationSeconds !== undefined) {
    problems.push(forbidden(`${path}.durationSeconds`, 'applies only to percentage or count'));
  }
  if ((sla.percentage !== undefined || sla.count !== undefined) && sla.durationSeconds === undefined) {
    problems.push(
      required(`${path}.durationSeconds`, 'how long an instance must have been Running to count'),
    );
  }
  return problems;
}

/** A job's SLA policy: its shape, and Aurora's rule that only production jobs may have one. */
export function validateSlaPolicy(
  sla: SlaPolicy | undefined,
  tier: string,
  path: string,
  tierPath: string,
): FieldProblem[] {
  if (sla === undefined) return [];
  const problems = validateSlaPolicyShape(sla, path);
  if (!isProductionTier(tier)) {
    problems.push(invalid(tierPath, tier, `must be "preferred" (production) for a job with ${path}`));
  }
  return problems;
}
