/**
 * `node --import …/loop-trace-preload.js`: a loop trace of a Borealis process the benchmarks
 * start (see loop-trace.ts), when BOREALIS_LOOP_TRACE_DIR is set.
 */
import { startLoopTrace } from './loop-trace.js';

const dir = process.env['BOREALIS_LOOP_TRACE_DIR'];
if (dir) startLoopTrace(dir, `borealis-${process.argv[2] ?? 'process'}`);
