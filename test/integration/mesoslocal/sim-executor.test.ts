/**
 * The sim executor on a FakeClock: default tasks start and run until killed; labels or
 * environment script exits, slow starts, failing health checks and slow kills.
 */
import { describe, expect, it } from 'vitest';
import { SimExecutor } from '../../../pkg/mesoslocal/executors/sim.js';
import type { ExecutorReport, ExecutorTaskSpec } from '../../../pkg/mesoslocal/executors/types.js';
import { FakeClock } from '../../../pkg/runtime/clock.js';

function spec(labels: Record<string, string> = {}, extra: Partial<ExecutorTaskSpec> = {}): ExecutorTaskSpec {
  return {
    taskId: 't',
    agentId: 'a',
    hostname: 'agent-0',
    command: 'sleep 1000',
    env: {},
    ports: [],
    sandboxDir: '/tmp/none',
    labels,
    killGracePeriodMs: 3000,
    ...extra,
  };
}

function run(clock: FakeClock, s: ExecutorTaskSpec) {
  const executor = new SimExecutor(clock);
  const reports: ExecutorReport[] = [];
  executor.launch(s, (r) => reports.push(r));
  return { executor, reports, states: () => reports.map((r) => r.state) };
}

describe('sim executor', () => {
  it('starts and runs until killed, then KILLING and KILLED', () => {
    const clock = new FakeClock();
    const { executor, states } = run(clock, spec());
    expect(states()).toEqual(['TASK_STARTING', 'TASK_RUNNING']);
    clock.advance(3_600_000);
    expect(states()).toEqual(['TASK_STARTING', 'TASK_RUNNING']);
    executor.kill('t');
    expect(states()).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_KILLED']);
  });

  it('takes its time to start when told to', () => {
    const clock = new FakeClock();
    const { states } = run(clock, spec({ 'sim.start_delay_ms': '1000', 'sim.run_delay_ms': '500' }));
    expect(states()).toEqual([]);
    clock.advance(1000);
    expect(states()).toEqual(['TASK_STARTING']);
    clock.advance(500);
    expect(states()).toEqual(['TASK_STARTING', 'TASK_RUNNING']);
  });

  it('exits with a code after a delay: 0 is FINISHED, anything else FAILED (labels or environment)', () => {
    const clock = new FakeClock();
    const ok = run(clock, spec({ 'sim.exit_after_ms': '2000' }));
    const bad = run(clock, spec({}, { taskId: 'u', env: { SIM_EXIT_AFTER_MS: '1000', SIM_EXIT_CODE: '3' } }));
    clock.advance(1000);
    expect(bad.reports.at(-1)).toMatchObject({
      state: 'TASK_FAILED',
      message: 'Command exited with status 3',
      reason: 'REASON_COMMAND_EXECUTOR_FAILED',
    });
    expect(ok.states().at(-1)).toBe('TASK_RUNNING');
    clock.advance(1000);
    expect(ok.states().at(-1)).toBe('TASK_FINISHED');
  });

  it('reports health like the command executor and kills after consecutive failures', () => {
    const clock = new FakeClock();
    const healthCheck = { type: 'HTTP', delay_seconds: 1, interval_seconds: 1, consecutive_failures: 2 };
    const { reports } = run(clock, spec({ 'sim.unhealthy_after_ms': '3000' }, { healthCheck }));
    clock.advance(1000);
    expect(reports.at(-1)).toMatchObject({
      state: 'TASK_RUNNING',
      healthy: true,
      reason: 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED',
    });
    clock.advance(1000);
    expect(reports).toHaveLength(3); // only the first healthy result is reported
    clock.advance(1000);
    expect(reports.at(-1)).toMatchObject({ state: 'TASK_RUNNING', healthy: false });
    clock.advance(1000);
    expect(reports.at(-1)).toMatchObject({ state: 'TASK_KILLED', healthy: false });
  });

  it('waits kill_delay_ms between KILLING and KILLED, capped by the grace period', () => {
    const clock = new FakeClock();
    const { executor, states } = run(clock, spec({ 'sim.kill_delay_ms': '10000' }));
    executor.kill('t', 2000);
    expect(states().at(-1)).toBe('TASK_KILLING');
    clock.advance(1999);
    expect(states().at(-1)).toBe('TASK_KILLING');
    clock.advance(1);
    expect(states().at(-1)).toBe('TASK_KILLED');
  });
});
