import type { Command } from 'commander';
import { registerControllersCommand } from './controllers.js';
import { registerMesosLocal } from './mesos-local.js';
import { registerServerCommand } from './server.js';
import { registerUpCommand } from './up.js';

/** Every subcommand, in the order `borealis --help` lists them. */
export function registerCommands(program: Command): void {
  registerUpCommand(program);
  registerServerCommand(program);
  registerMesosLocal(program);
  registerControllersCommand(program);
}
