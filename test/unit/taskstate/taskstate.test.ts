import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TASK_PHASES, TERMINAL_PHASES } from '../../../api/v1/task.js';
import {
  canTransition,
  decideReschedule,
  flappingPenaltyMs,
  MAX_PENALTY_MS,
  phaseForUpdate,
  type TerminalFacts,
} from '../../../pkg/taskstate/index.js';

describe('task transitions', () => {
  it.each([
    ['Pending', 'Assigned', true],
    ['Pending', 'Running', false],
    ['Throttled', 'Pending', true],
    ['Throttled', 'Assigned', false],
    ['Running', 'Partitioned', true],
    ['Partitioned', 'Running', true],
    ['Killing', 'Running', false],
    ['Finished', 'Running', false],
  ] as const)('%s → %s allowed: %s', (from, to, allowed) => {
    expect(canTransition(from, to)).toBe(allowed);
  });

  it('never leaves a terminal phase', () => {
    for (const from of TERMINAL_PHASES)
      for (const to of TASK_PHASES) expect(canTransition(from, to)).toBe(from === to);
  });
});

describe('Mesos updates', () => {
  it.each([
    ['Assigned', 'TASK_STARTING', 'Starting'],
    ['Starting', 'TASK_RUNNING', 'Running'],
    ['Running', 'TASK_RUNNING', undefined],
    ['Running', 'TASK_FAILED', 'Failed'],
    ['Running', 'TASK_UNREACHABLE', 'Partitioned'],
    ['Running', 'TASK_DROPPED', 'Lost'],
    ['Killing', 'TASK_KILLING', undefined],
    ['Killing', 'TASK_RUNNING', undefined],
    ['Killing', 'TASK_KILLED', 'Killed'],
    ['Running', 'TASK_KILLING', 'Killing'],
  ] as const)('%s + %s → %s', (current, state, next) => {
    expect(phaseForUpdate(current, state)).toBe(next);
  });
});

describe('rescheduling after a terminal phase (Aurora rules)', () => {
  const base: TerminalFacts = {
    terminal: 'Failed',
    previous: 'Running',
    wasKilling: false,
    service: false,
    maxTaskFailures: 1,
    failuresBefore: 0,
  };
  it.each([
    ['service that finished', { terminal: 'Finished', service: true }, true],
    ['adhoc that finished', { terminal: 'Finished' }, false],
    ['service that failed', { service: true }, true],
    ['adhoc, maxTaskFailures 1, first failure', {}, false],
    ['adhoc, maxTaskFailures 3, second failure', { maxTaskFailures: 3, failuresBefore: 1 }, true],
    ['adhoc, maxTaskFailures 3, third failure', { maxTaskFailures: 3, failuresBefore: 2 }, false],
    ['adhoc, unlimited failures', { maxTaskFailures: -1, failuresBefore: 50 }, true],
    ['killed behind our back', { terminal: 'Killed' }, true],
    ['killed on request', { terminal: 'Killed', previous: 'Killing', wasKilling: true }, false],
    ['lost', { terminal: 'Lost' }, true],
    ['lost while being killed', { terminal: 'Lost', previous: 'Partitioned', wasKilling: true }, false],
    ['ended while draining', { terminal: 'Killed', previous: 'Draining' }, true],
  ] as const)('%s → reschedule %s', (_name, over, expected) => {
    expect(decideReschedule({ ...base, ...over }).reschedule).toBe(expected);
  });

  it('carries the failure count to the replacement', () => {
    expect(decideReschedule({ ...base, service: true, failuresBefore: 4 }).failureCount).toBe(5);
    expect(decideReschedule({ ...base, terminal: 'Lost', failuresBefore: 4 }).failureCount).toBe(4);
  });
});

describe('flapping penalty', () => {
  const flap = { activeAtMs: 0, endedAtMs: 1000, stoppedOnPurpose: false };
  const stable = { activeAtMs: 0, endedAtMs: 10 * 60 * 1000, stoppedOnPurpose: false };
  it('grows 30 s → 60 s → 120 s → 240 s → 5 min with each consecutive flap', () => {
    const low = (): number => 0;
    expect([1, 2, 3, 4, 5, 6].map((n) => flappingPenaltyMs(Array(n).fill(flap), low))).toEqual([
      30_000, 60_000, 120_000, 240_000, 300_000, 300_000,
    ]);
  });
  it('is zero when the newest ancestor ran long enough or was stopped on purpose', () => {
    expect(flappingPenaltyMs([stable, flap, flap])).toBe(0);
    expect(flappingPenaltyMs([{ ...flap, stoppedOnPurpose: true }, flap])).toBe(0);
  });
  it('always stays within [30 s, 5 min] for any flapping history and randomness', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.double({ min: 0, max: 0.9999, noNaN: true }),
        (n, r) => {
          const p = flappingPenaltyMs(Array(n).fill(flap), () => r);
          expect(p).toBeGreaterThanOrEqual(30_000);
          expect(p).toBeLessThanOrEqual(MAX_PENALTY_MS);
        },
      ),
    );
  });
});
