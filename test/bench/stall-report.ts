/**
 * Reads a loop-trace directory of an `api` run (loop-trace.ts: the server's and the bench's
 * stalls and GC pauses, answers.json: every answered request) and says, for the slow requests,
 * which process was stalled while they were out, and how much of the stalls were GC.
 *
 *   node dist/test/bench/stall-report.js <dir> [slowMs=30]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoopTrace, Span } from './loop-trace.js';

const [dir, slowArg] = process.argv.slice(2);
if (!dir) throw new Error('usage: stall-report <dir> [slowMs]');
const slowMs = Number(slowArg ?? 30);
const files = readdirSync(dir);
const traces = files
  .filter((f) => f.endsWith('.json') && f !== 'answers.json')
  .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as LoopTrace)
  .filter((t) => Array.isArray(t.stalls)); // other files in the directory (e.g. a run's figures)
const answers = JSON.parse(readFileSync(join(dir, 'answers.json'), 'utf8')) as [string, number, number][];
const from = Math.min(...answers.map((a) => a[1]));
const to = Math.max(...answers.map((a) => a[1] + a[2]));
const inLoad = (s: Span): boolean => s.start + s.ms >= from && s.start <= to;

/** The longest span of `spans` overlapping [start, end]. */
function worst(spans: readonly Span[], start: number, end: number): number {
  let max = 0;
  for (const s of spans) if (s.start < end && s.start + s.ms > start) max = Math.max(max, s.ms);
  return max;
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return Number((s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0).toFixed(1));
};
const round = (x: number): number => Number(x.toFixed(1));

console.log(`load window ${((to - from) / 1000).toFixed(1)} s, ${answers.length} answers`);
for (const t of traces) {
  const stalls = t.stalls.filter(inLoad);
  const gcs = t.gcs.filter(inLoad);
  const byKind: Record<string, { n: number; ms: number; max: number }> = {};
  for (const g of gcs) {
    const k = byKind[g.kind] ?? { n: 0, ms: 0, max: 0 };
    byKind[g.kind] = k;
    k.n++;
    k.ms = round(k.ms + g.ms);
    k.max = round(Math.max(k.max, g.ms));
  }
  const gcStalls = stalls.filter((s) => worst(gcs, s.start, s.start + s.ms) >= s.ms / 2).length;
  console.log(
    JSON.stringify({
      process: t.name,
      stalls: stalls.length,
      stallMs: round(stalls.reduce((n, s) => n + s.ms, 0)),
      stallP50: pct(
        stalls.map((s) => s.ms),
        50,
      ),
      stallMax: round(Math.max(0, ...stalls.map((s) => s.ms))),
      stallsOver20: stalls.filter((s) => s.ms >= 20).length,
      // Of the stalls ≥ 20 ms: CPU the process used during them / their length (1 = busy, 0 = waiting).
      cpuShareOver20: round(
        stalls.filter((s) => s.ms >= 20).reduce((n, s) => n + (s.cpu ?? 0), 0) /
          Math.max(
            1,
            stalls.filter((s) => s.ms >= 20).reduce((n, s) => n + s.ms, 0),
          ),
      ),
      cpuShareAll: round(
        stalls.reduce((n, s) => n + (s.cpu ?? 0), 0) /
          Math.max(
            1,
            stalls.reduce((n, s) => n + s.ms, 0),
          ),
      ),
      stallsMostlyGc: gcStalls,
      gc: byKind,
    }),
  );
}

for (const op of ['get', 'apply', 'statusPatch', 'list']) {
  const mine = answers.filter((a) => a[0] === op);
  const slow = mine.filter((a) => a[2] >= slowMs);
  const blame: Record<string, number> = {};
  for (const [, at, ms] of slow) {
    // The process whose longest stall while the request was out was longest (≥ 5 ms), else none.
    let who = 'none';
    let longest = 5;
    for (const t of traces) {
      const w = worst(t.stalls, at, at + ms);
      if (w >= longest) {
        longest = w;
        who = t.name;
      }
    }
    blame[who] = (blame[who] ?? 0) + 1;
  }
  console.log(
    JSON.stringify({
      op,
      n: mine.length,
      p99: pct(
        mine.map((a) => a[2]),
        99,
      ),
      slow: slow.length,
      blame,
    }),
  );
}
