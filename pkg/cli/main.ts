#!/usr/bin/env -S node --max-semi-space-size=64
/**
 * The `borealis` command. Each subcommand lives in ./commands/<name>.ts and registers itself on
 * the program here, so adding a command never touches another command's file.
 *
 * The node flag in the first line: the control plane allocates a short-lived copy or two of every
 * object it writes, and V8's default young generation (16 MiB semi-spaces) makes the scavenger run
 * constantly and promote objects that die soon after. With 64 MiB semi-spaces the launch benchmark
 * won each of 3 alternating pairs, by 2–14 % (docs/performance.md). V8 reads this flag only at
 * start-up, hence the shebang (env -S, GNU coreutils ≥ 8.30); `node dist/pkg/cli/main.js` without
 * the flag runs the same, only slower. The benchmarks read the flags from this line.
 */
import { Command } from 'commander';
import { registerCommands } from './commands/index.js';
import { readVersion } from './version.js';

const program = new Command();
program
  .name('borealis')
  .description('Borealis: a service scheduler for Apache Mesos with a Kubernetes-dialect API.')
  .version(readVersion(), '-v, --version')
  .showHelpAfterError();

registerCommands(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`borealis: ${message}\n`);
  process.exit(1);
});
