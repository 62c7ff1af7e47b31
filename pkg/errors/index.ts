/**
 * BorealisError: an error with a stable code from the registry in ./codes.ts, an optional field
 * path (for validation errors, "spec.task.resources.cpus"), and structured causes. Every layer
 * throws these; the edges (REST, gRPC, CLI) translate them, nothing in between parses messages.
 */
import { type ErrorCode, type ErrorCodeInfo, ErrorCodes } from './codes.js';

export { type ErrorCode, type ErrorCodeInfo, ErrorCodes, GrpcCode } from './codes.js';

/** One cause of a failure, like metav1.StatusCause. */
export interface ErrorCause {
  /** Machine-readable cause, e.g. "FieldValueInvalid", "FieldValueRequired". */
  readonly reason: string;
  readonly message: string;
  /** Path of the offending field, e.g. "spec.instances". */
  readonly field?: string;
}

export interface BorealisErrorOptions {
  readonly causes?: readonly ErrorCause[];
  /** Seconds after which a retry may succeed (TooManyRequests, ServiceUnavailable). */
  readonly retryAfterSeconds?: number;
  /** What the error is about, for Status.details: kind/group/name. */
  readonly details?: { readonly kind?: string; readonly group?: string; readonly name?: string };
  readonly cause?: unknown;
}

export class BorealisError extends Error {
  readonly code: ErrorCode;
  readonly causes: readonly ErrorCause[];
  readonly retryAfterSeconds: number | undefined;
  readonly details: BorealisErrorOptions['details'];

  constructor(code: ErrorCode, message: string, options: BorealisErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = `BorealisError(${code})`;
    this.code = code;
    this.causes = options.causes ?? [];
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.details = options.details;
  }

  get info(): ErrorCodeInfo {
    return ErrorCodes[this.code];
  }
}

/** True when `err` is a BorealisError, optionally with the given code. */
export function isBorealisError(err: unknown, code?: ErrorCode): err is BorealisError {
  return err instanceof BorealisError && (code === undefined || err.code === code);
}

/** Wrap anything thrown into a BorealisError (unknown errors become Internal, keeping the cause). */
export function toBorealisError(err: unknown): BorealisError {
  if (err instanceof BorealisError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new BorealisError('Internal', message, { cause: err });
}

/** An Invalid error listing every field problem at once, so users fix them in one round. */
export function invalid(what: string, causes: readonly ErrorCause[]): BorealisError {
  const summary = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message)).join(', ');
  return new BorealisError('Invalid', `${what} is invalid: ${summary}`, { causes });
}
