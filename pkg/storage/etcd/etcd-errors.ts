/** Translation of etcd / gRPC failures into the project's error codes. */
import { BorealisError } from '../../errors/index.js';

export function isCompactedError(err: unknown): boolean {
  return err instanceof Error && /required revision has been compacted/.test(err.message);
}

export function fromEtcdError(err: unknown, what: string): BorealisError {
  if (err instanceof BorealisError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (isCompactedError(err)) {
    return new BorealisError('Expired', `${what}: the requested revision was compacted in etcd; list again`, {
      cause: err,
    });
  }
  if (/request is too large/.test(message)) {
    return new BorealisError(
      'RequestEntityTooLarge',
      `${what}: etcd refused the request as too large (1.5 MiB limit)`,
      {
        cause: err,
      },
    );
  }
  if (/too many operations in txn/.test(message)) {
    return new BorealisError('BadRequest', `${what}: too many operations in one etcd transaction`, {
      cause: err,
    });
  }
  if (/INVALID_ARGUMENT/.test(message)) {
    return new BorealisError('BadRequest', `${what}: etcd refused the request: ${message}`, { cause: err });
  }
  if (/future rev/.test(message)) {
    return new BorealisError('Timeout', `${what}: the requested revision is newer than etcd's`, {
      cause: err,
    });
  }
  return new BorealisError('ServiceUnavailable', `${what}: etcd is unavailable: ${message}`, {
    cause: err,
    retryAfterSeconds: 1,
  });
}
