#!/usr/bin/env node
/**
 * The `borealis` command. Each subcommand lives in ./commands/<name>.ts and registers itself on
 * the program here, so adding a command never touches another command's file.
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
