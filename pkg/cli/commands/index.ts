import type { Command } from 'commander';

/** Every subcommand, in the order `borealis --help` lists them. */
export function registerCommands(_program: Command): void {}
