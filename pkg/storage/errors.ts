/** The store's error vocabulary, built on the project-wide error codes. */
import { BorealisError } from '../errors/index.js';
import { MAX_TXN_OPS, type TxnOp } from './types.js';

export function notFound(key: string): BorealisError {
  return new BorealisError('NotFound', `key ${key} not found`);
}

export function alreadyExists(key: string): BorealisError {
  return new BorealisError('AlreadyExists', `key ${key} already exists`);
}

export function conflict(key: string, expected: number, actual: number): BorealisError {
  return new BorealisError(
    'Conflict',
    `key ${key} was modified: expected revision ${expected}, found ${actual === 0 ? 'no key' : `revision ${actual}`}`,
  );
}

export function expired(requested: number, oldest: number): BorealisError {
  return new BorealisError(
    'Expired',
    `too old resource version: ${requested} (${oldest}); the history before ${oldest} was compacted`,
  );
}

/** Checks that apply to every transaction before any guard is looked at. */
export function checkTxnShape(ops: readonly TxnOp[]): void {
  if (ops.length === 0) throw new BorealisError('BadRequest', 'a transaction needs at least one operation');
  if (ops.length > MAX_TXN_OPS) {
    throw new BorealisError(
      'BadRequest',
      `a transaction may hold at most ${MAX_TXN_OPS} operations (got ${ops.length}); use batch() for more`,
    );
  }
  const seen = new Set<string>();
  for (const op of ops) {
    if (typeof op.key !== 'string' || op.key.length === 0) {
      throw new BorealisError('BadRequest', 'store keys must be non-empty strings');
    }
    if (seen.has(op.key)) {
      throw new BorealisError('BadRequest', `key ${op.key} appears twice in one transaction`);
    }
    seen.add(op.key);
    if ('ttlSeconds' in op) checkTtl(op.key, op.ttlSeconds);
  }
}

/** A TTL, when given, must be positive. */
export function checkTtl(key: string, ttlSeconds: number | undefined): void {
  if (ttlSeconds !== undefined && !(ttlSeconds > 0)) {
    throw new BorealisError('BadRequest', `ttlSeconds for ${key} must be positive (got ${ttlSeconds})`);
  }
}
