/** Tiny argument reader for benchmark scenarios: `--name value` pairs after the scenario name. */
import { parseArgs } from 'node:util';

export type BenchArgs = Readonly<Record<string, string | undefined>>;

export function parseBenchArgs(argv: readonly string[]): { scenario: string | undefined; args: BenchArgs } {
  const { positionals, values } = parseArgs({ args: [...argv], strict: false, allowPositionals: true });
  const args: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(values))
    args[k] = typeof v === 'string' ? v : v === true ? 'true' : undefined;
  return { scenario: positionals[0], args };
}

export function numberArg(args: BenchArgs, name: string, fallback: number): number {
  const raw = args[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number (got "${raw}")`);
  return n;
}
