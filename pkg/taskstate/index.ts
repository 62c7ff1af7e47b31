/** The task state machine shared by the jobs, tasks, updates and maintenance controllers. */
export {
  type AncestorRun,
  AURORA_FLAPPING,
  FLAPPING_THRESHOLD_MS,
  type FlappingLimits,
  flapped,
  flappingPenaltyMs,
  INITIAL_PENALTY_MS,
  MAX_PENALTY_MS,
} from './flapping.js';
export { type MesosTaskState, phaseForUpdate, phaseOfMesosState } from './mesos-mapping.js';
export { decideReschedule, type RescheduleDecision, type TerminalFacts } from './reschedule.js';
export {
  mesosTaskId,
  parseMesosTaskId,
  randomSuffix,
  runSuffix,
  type TaskIdentity,
  taskObjectName,
} from './task-id.js';
export { allowedNext, canTransition, isActive, isTerminal, mayBeRunning } from './transitions.js';
