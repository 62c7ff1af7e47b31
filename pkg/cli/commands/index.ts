import type { Command } from 'commander';
import { registerMesosLocal } from './mesos-local.js';
import { registerServerCommand } from './server.js';

/** Every subcommand, in the order `borealis --help` lists them. */
export function registerCommands(program: Command): void {
  registerServerCommand(program);
  registerMesosLocal(program);
}
