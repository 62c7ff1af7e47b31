/**
 * Opaque continue tokens for paged lists: the last key returned and the revision the first page
 * was read at, so every page reads the same snapshot and each key appears exactly once.
 */
import { BorealisError } from '../errors/index.js';

interface TokenBody {
  readonly v: 1;
  /** Revision of the whole list. */
  readonly r: number;
  /** Last key returned; the next page starts after it. */
  readonly k: string;
  /** The prefix listed, so a token cannot be replayed against another list. */
  readonly p: string;
}

export function encodeContinue(prefix: string, lastKey: string, revision: number): string {
  const body: TokenBody = { v: 1, r: revision, k: lastKey, p: prefix };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

export function decodeContinue(prefix: string, token: string): { lastKey: string; revision: number } {
  let body: Partial<TokenBody>;
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<TokenBody>;
  } catch {
    throw new BorealisError('BadRequest', 'continue token is not valid: it was not produced by this server');
  }
  if (
    body.v !== 1 ||
    typeof body.r !== 'number' ||
    typeof body.k !== 'string' ||
    typeof body.p !== 'string'
  ) {
    throw new BorealisError('BadRequest', 'continue token is not valid: it was not produced by this server');
  }
  if (body.p !== prefix) {
    throw new BorealisError(
      'BadRequest',
      `continue token belongs to another list (${body.p}), not ${prefix}`,
    );
  }
  return { lastKey: body.k, revision: body.r };
}

/** The smallest key that sorts after `key` (for "start after" ranges). */
export function keyAfter(key: string): string {
  return `${key}\u0000`;
}
