/**
 * TypeScript types for the Mesos v1 HTTP APIs' JSON wire format: the scheduler API (calls,
 * events and every message they carry) and the operator API subset Borealis uses.
 *
 * Names follow the protos (snake_case fields, enum names as string unions), so a value of these
 * types is exactly what goes over the wire to a real Mesos master. The embedded master imports
 * these too; changes here are additive only.
 */
export type * from './types/common.js';
export type * from './types/framework.js';
export type * from './types/operator.js';
export type * from './types/resources.js';
export type * from './types/scheduler.js';
export type * from './types/status.js';
export type * from './types/tasks.js';
