/** Flags shared by `borealis up` and `borealis controllers`: scheduling policy and Aurora's tuning knobs. */
import type { Command } from 'commander';
import type { ControllersOptions } from '../../../controllers/manager.js';
import { AURORA_FLAPPING } from '../../taskstate/index.js';

export interface ControllerFlags {
  policy: string;
  flappingTaskThreshold?: string;
  initialFlappingTaskDelay?: string;
  maxFlappingTaskDelay?: string;
}

export function addControllerFlags(command: Command): Command {
  return command
    .option('--policy <name>', 'placement scoring: pack (fill hosts) or spread', 'pack')
    .option(
      '--flapping-task-threshold <ms>',
      `a task ending sooner than this after starting flapped (default ${AURORA_FLAPPING.thresholdMs})`,
    )
    .option(
      '--initial-flapping-task-delay <ms>',
      `first penalty for a flapping task (default ${AURORA_FLAPPING.initialPenaltyMs})`,
    )
    .option(
      '--max-flapping-task-delay <ms>',
      `largest penalty for a flapping task (default ${AURORA_FLAPPING.maxPenaltyMs})`,
    );
}

function ms(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`${name} must be a whole number of milliseconds, got '${value}'`);
  return n;
}

export function controllerOptions(flags: ControllerFlags): Pick<ControllersOptions, 'policy' | 'flapping'> {
  if (flags.policy !== 'pack' && flags.policy !== 'spread')
    throw new Error(`--policy must be pack or spread, not '${flags.policy}'`);
  return {
    policy: flags.policy,
    flapping: {
      thresholdMs: ms('--flapping-task-threshold', flags.flappingTaskThreshold, AURORA_FLAPPING.thresholdMs),
      initialPenaltyMs: ms(
        '--initial-flapping-task-delay',
        flags.initialFlappingTaskDelay,
        AURORA_FLAPPING.initialPenaltyMs,
      ),
      maxPenaltyMs: ms('--max-flapping-task-delay', flags.maxFlappingTaskDelay, AURORA_FLAPPING.maxPenaltyMs),
    },
  };
}
