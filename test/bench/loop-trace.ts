/**
 * Diagnostics for latency tails: records, in one process, every event-loop stall (a 1 ms timer
 * that fired late by ≥ `minStallMs`) and every GC pause ≥ 1 ms, with wall-clock times, and writes
 * them as JSON to `<dir>/<name>-<pid>.json` when the process exits. A slow request can then be
 * matched with what its server and its client were doing at the time (stall-report.ts).
 *
 * In a Borealis process started by the benchmarks: BOREALIS_BENCH_NODE_FLAGS="--import
 * <repo>/dist/test/bench/loop-trace-preload.js" and BOREALIS_LOOP_TRACE_DIR=<dir>.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type PerformanceEntry, PerformanceObserver, performance } from 'node:perf_hooks';

export interface Span {
  /** Wall-clock ms (performance.timeOrigin-based, comparable across processes). */
  readonly start: number;
  readonly ms: number;
  readonly kind: string;
  /** CPU ms the whole process (every thread) used during a stall: ≪ ms means it waited for a core. */
  readonly cpu?: number;
}

export interface LoopTrace {
  readonly name: string;
  readonly pid: number;
  readonly stalls: Span[];
  readonly gcs: Span[];
  /** One instant on both clocks: maps V8 CPU profile times (monotonic µs) to wall-clock ms. */
  readonly clock: { readonly monotonicUs: number; readonly wallMs: number };
}

const GC_KINDS: Record<number, string> = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weakcb' };

export function startLoopTrace(dir: string, name: string, minStallMs = 5): LoopTrace {
  const origin = performance.timeOrigin;
  const clock = { monotonicUs: Number(process.hrtime.bigint() / 1000n), wallMs: origin + performance.now() };
  const trace: LoopTrace = { name, pid: process.pid, stalls: [], gcs: [], clock };
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  // A 1 ms timer: any gap much longer than that is time the loop could not run callbacks.
  const timer = setInterval(() => {
    const now = performance.now();
    const cpu = process.cpuUsage();
    const late = now - last - 1;
    if (late >= minStallMs) {
      const used = (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000;
      trace.stalls.push({ start: origin + last, ms: late, kind: 'loop', cpu: used });
    }
    last = now;
    lastCpu = cpu;
  }, 1);
  timer.unref();
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries() as (PerformanceEntry & { detail?: { kind?: number } })[]) {
      if (e.duration < 1) continue;
      const kind = GC_KINDS[e.detail?.kind ?? 0] ?? 'other';
      trace.gcs.push({ start: origin + e.startTime, ms: e.duration, kind });
    }
  });
  gc.observe({ entryTypes: ['gc'] });
  process.on('exit', () => {
    writeFileSync(join(dir, `${name}-${process.pid}.json`), JSON.stringify(trace));
  });
  return trace;
}
