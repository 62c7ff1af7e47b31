/**
 * Runs the built `borealis` command (dist/, as `npm start` does) as a child process for the
 * benchmarks. Unlike the e2e helper, the path to dist/ is found from the repository root, so this
 * works both from the sources (vitest) and from dist/test/bench (npm run bench).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('benchmarks must run inside the repository');
    dir = up;
  }
  return dir;
}

export const BOREALIS_MAIN = join(repoRoot(), 'dist', 'pkg', 'cli', 'main.js');

/** The node flags of the `borealis` bin's shebang, so a benchmark runs Borealis as users do. */
export function binNodeFlags(main = BOREALIS_MAIN): string[] {
  const first = readFileSync(main, 'utf8').split('\n', 1)[0] ?? '';
  const match = /^#!\S*env(?: -S)? node(.*)$/.exec(first);
  return match?.[1]?.trim() ? match[1].trim().split(/\s+/) : [];
}

export interface Child {
  readonly process: ChildProcess;
  readonly pid: number;
  /** Resolves with the first match of `pattern` in stdout+stderr (since start). */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  output(): string;
  /** Signal and wait for exit (SIGKILL after 15 s). */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface SpawnOptions {
  readonly logLevel?: string;
  /** Write a V8 CPU profile of this process into the directory when it exits. */
  readonly cpuProfDir?: string | undefined;
}

export function spawnBorealis(args: readonly string[], o: SpawnOptions = {}): Child {
  const nodeArgs = [
    ...binNodeFlags(),
    ...(o.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', o.cpuProfDir] : []),
  ];
  // Extra node flags for diagnostics (e.g. --trace-gc, or --import of loop-trace-preload.js).
  const extra = process.env['BOREALIS_BENCH_NODE_FLAGS']?.trim();
  if (extra) nodeArgs.push(...extra.split(/\s+/));
  const child = spawn(process.execPath, [...nodeArgs, BOREALIS_MAIN, ...args], {
    env: { ...process.env, BOREALIS_LOG_LEVEL: o.logLevel ?? 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not start borealis ${args[0]}`);
  // Kept whole (bounded) so a waiter registered late still sees lines printed earlier.
  let text = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer): void => {
    text += chunk.toString();
    if (text.length > 4_000_000) text = text.slice(-2_000_000);
    for (const w of [...waiters]) w();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const name = `borealis ${args[0]}`;
  return {
    process: child,
    pid: child.pid,
    output: () => text,
    waitFor: (pattern, timeoutMs) =>
      new Promise((resolve, reject) => {
        const finish = (err: Error | undefined, m?: RegExpMatchArray): void => {
          waiters.delete(check);
          clearTimeout(timer);
          child.off('exit', onExit);
          if (err) reject(err);
          else if (m) resolve(m);
        };
        const check = (): void => {
          const m = text.match(pattern);
          if (m) finish(undefined, m);
        };
        const onExit = (code: number | null): void =>
          finish(new Error(`${name} exited (${code}) before printing ${pattern}:\n${text.slice(-3000)}`));
        const timer = setTimeout(
          () =>
            finish(new Error(`${name} did not print ${pattern} in ${timeoutMs} ms:\n${text.slice(-3000)}`)),
          timeoutMs,
        );
        waiters.add(check);
        child.once('exit', onExit);
        check();
      }),
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
