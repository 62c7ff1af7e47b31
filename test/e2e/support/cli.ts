/**
 * Runs the real `borealis` command (the built dist/, as `npm start` does) as a child process and
 * lets a test wait for what it prints, signal it, and wait for it to exit.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../../dist/pkg/cli/main.js', import.meta.url));

export interface BorealisProcess {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves with the first match of `pattern` in stdout+stderr. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Signal and wait for exit (SIGKILL after 15 s). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function runBorealis(args: readonly string[], env: Record<string, string> = {}): BorealisProcess {
  const child = spawn(process.execPath, [MAIN, ...args], {
    // BOREALIS_E2E_LOG_LEVEL raises what the processes log when a failure needs their story.
    env: { ...process.env, BOREALIS_LOG_LEVEL: process.env['BOREALIS_E2E_LOG_LEVEL'] ?? 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  // BOREALIS_E2E_LOG_DIR keeps each process's whole output (the in-memory copy is trimmed).
  const logDir = process.env['BOREALIS_E2E_LOG_DIR'];
  const logFile = logDir === undefined ? undefined : join(logDir, `borealis-${args[0]}-${child.pid}.log`);
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer): void => {
    text += chunk.toString();
    if (logFile !== undefined) appendFileSync(logFile, chunk);
    if (text.length > 2_000_000) text = text.slice(-1_000_000);
    for (const w of waiters) w();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => text,
    waitFor: (pattern, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const m = text.match(pattern);
          if (m) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(m);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `borealis ${args[0]} did not print ${pattern} in ${timeoutMs} ms; output:\n${text.slice(-3000)}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        child.once('exit', (code) => {
          if (waiters.has(check))
            reject(
              new Error(
                `borealis ${args[0]} exited (${code}) before printing ${pattern}:\n${text.slice(-3000)}`,
              ),
            );
        });
        check();
      }),
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
