/**
 * Reads V8 .cpuprofile files (from `--cpu-prof <dir>` of a scenario) and prints, per profile, the
 * busy share of the wall time and the functions with the most self time, so a hot spot can be
 * named without a flame-graph viewer.
 *
 *   node dist/test/bench/profile-top.js <dir> [top=15]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly children?: readonly number[];
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

const [dir, topArg] = process.argv.slice(2);
if (!dir) throw new Error('usage: profile-top <dir> [top]');
const top = Number(topArg ?? 15);
for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = (id: number): string => {
    const frame = byId.get(id)?.callFrame;
    const where = frame?.url
      ? `${frame.url.replace(/^.*\/(dist|node_modules)\//, '$1/')}:${frame.lineNumber + 1}`
      : '';
    return `${frame?.functionName || '(anonymous)'} ${where}`;
  };
  const self = new Map<string, number>();
  // Inclusive time of our own code (dist/): where a request's CPU goes, callees included.
  const inclusive = new Map<string, number>();
  let idle = 0;
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    const key = keyOf(id);
    if (key.startsWith('(idle)')) idle += dt;
    const onStack = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const k = keyOf(at);
      if (k.includes(' dist/pkg/') || k.includes(' dist/controllers/')) onStack.add(k);
    }
    for (const k of onStack) inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  const busy = total - idle;
  process.stdout.write(
    `\n${file}: ${(total / 1e6).toFixed(1)} s sampled, busy ${((busy / total) * 100).toFixed(0)} %\n`,
  );
  const rows = [...self.entries()].filter(([k]) => !k.startsWith('(idle)')).sort((a, b) => b[1] - a[1]);
  for (const [key, us] of rows.slice(0, top))
    process.stdout.write(`  ${((us / busy) * 100).toFixed(1).padStart(5)} %  ${key}\n`);
  process.stdout.write('  inclusive (own code):\n');
  const incl = [...inclusive.entries()].sort((a, b) => b[1] - a[1]);
  for (const [key, us] of incl.slice(0, top))
    process.stdout.write(`  ${((us / busy) * 100).toFixed(1).padStart(5)} %  ${key}\n`);
}
