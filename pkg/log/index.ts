/**
 * Structured logging. One root pino logger per process; every component takes a child logger
 * (`componentLogger('storage')`) so each line names where it came from, and reconcilers add a
 * reconcile id on top. The level comes from BOREALIS_LOG_LEVEL (default "info"; tests default
 * to "silent" so their output stays readable).
 */
import { type Logger, pino } from 'pino';

export type { Logger } from 'pino';

function defaultLevel(): string {
  const fromEnv = process.env['BOREALIS_LOG_LEVEL'];
  if (fromEnv) return fromEnv;
  return process.env['VITEST'] ? 'silent' : 'info';
}

let root: Logger = pino({ level: defaultLevel(), base: { pid: process.pid } });

/** The process-wide root logger. */
export function rootLogger(): Logger {
  return root;
}

/** Replace the root logger (the CLI does this once at start-up to honour --log-level). */
export function setRootLogger(logger: Logger): void {
  root = logger;
}

/** A child logger for one component, e.g. `componentLogger('storage', { store: 'etcd' })`. */
export function componentLogger(component: string, bindings: Record<string, unknown> = {}): Logger {
  return root.child({ component, ...bindings });
}
