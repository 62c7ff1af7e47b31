/** Tiny argument reader for benchmark scenarios: `--name value` pairs after the scenario name. */

export type BenchArgs = Readonly<Record<string, string | undefined>>;

export function parseBenchArgs(argv: readonly string[]): { scenario: string | undefined; args: BenchArgs } {
  // Read by hand: node:util parseArgs with strict: false takes an unknown `--name 5` as a flag
  // followed by the positional "5", so every value would be lost.
  const args: Record<string, string | undefined> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? '';
    if (!token.startsWith('--')) {
      positionals.push(token);
      continue;
    }
    const eq = token.indexOf('=');
    if (eq > 0) {
      args[token.slice(2, eq)] = token.slice(eq + 1);
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) args[token.slice(2)] = 'true';
    else {
      args[token.slice(2)] = value;
      i++;
    }
  }
  return { scenario: positionals[0], args };
}

export function numberArg(args: BenchArgs, name: string, fallback: number): number {
  const raw = args[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number (got "${raw}")`);
  return n;
}
