/** Scheduling: pure resource math, constraints, vetoes, scoring and placement rounds. */

export { type Assignment, planRound, type RoundInput, type RoundResult, type Unplaced } from './assign.js';
export { countPlacement, DEDICATED, type LimitCounts } from './constraints.js';
export { portCount, resourceVetoes, subtract, takePorts } from './resources.js';
export { SCORING_POLICIES, type ScoringPolicyName } from './scoring.js';
export * from './types.js';
export { summarizeVetoes, UNAVAILABILITY_THRESHOLD_MS, vetoesFor } from './vetoes.js';
