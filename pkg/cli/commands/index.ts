import type { Command } from 'commander';
import { registerServerCommand } from './server.js';

/** Every subcommand, in the order `borealis --help` lists them. */
export function registerCommands(program: Command): void {
  registerServerCommand(program);
}
