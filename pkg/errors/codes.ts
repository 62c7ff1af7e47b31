/**
 * The one registry of error codes. Every error Borealis raises carries one of these codes; the
 * REST layer turns it into a Kubernetes `Status` (reason + HTTP code) and the gRPC layer into a
 * gRPC status code, so both surfaces say the same thing about the same failure.
 */

/** gRPC status codes (numeric values from the gRPC spec). */
export const GrpcCode = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

export interface ErrorCodeInfo {
  /** HTTP status code of the Kubernetes `Status`. */
  readonly http: number;
  /** `Status.reason` (metav1.StatusReason). */
  readonly reason: string;
  /** gRPC status code. */
  readonly grpc: number;
  /** What a caller should do next; appended to messages where useful. */
  readonly hint: string;
}

export const ErrorCodes = {
  NotFound: { http: 404, reason: 'NotFound', grpc: GrpcCode.NOT_FOUND, hint: 'check the name and namespace' },
  AlreadyExists: {
    http: 409,
    reason: 'AlreadyExists',
    grpc: GrpcCode.ALREADY_EXISTS,
    hint: 'update the existing object instead',
  },
  Conflict: {
    http: 409,
    reason: 'Conflict',
    grpc: GrpcCode.ABORTED,
    hint: 'read the latest version and apply your change to it',
  },
  Invalid: { http: 422, reason: 'Invalid', grpc: GrpcCode.INVALID_ARGUMENT, hint: 'fix the named fields' },
  BadRequest: { http: 400, reason: 'BadRequest', grpc: GrpcCode.INVALID_ARGUMENT, hint: 'fix the request' },
  Expired: {
    http: 410,
    reason: 'Expired',
    grpc: GrpcCode.OUT_OF_RANGE,
    hint: 'the revision is older than the retained history; list again and watch from the new revision',
  },
  Gone: { http: 410, reason: 'Gone', grpc: GrpcCode.OUT_OF_RANGE, hint: 'list again' },
  RequestEntityTooLarge: {
    http: 413,
    reason: 'RequestEntityTooLarge',
    grpc: GrpcCode.RESOURCE_EXHAUSTED,
    hint: 'make the object smaller',
  },
  Unauthorized: {
    http: 401,
    reason: 'Unauthorized',
    grpc: GrpcCode.UNAUTHENTICATED,
    hint: 'send a valid bearer token',
  },
  Forbidden: {
    http: 403,
    reason: 'Forbidden',
    grpc: GrpcCode.PERMISSION_DENIED,
    hint: 'ask an admin for a role that allows this',
  },
  MethodNotAllowed: {
    http: 405,
    reason: 'MethodNotAllowed',
    grpc: GrpcCode.UNIMPLEMENTED,
    hint: 'use a supported verb',
  },
  NotAcceptable: {
    http: 406,
    reason: 'NotAcceptable',
    grpc: GrpcCode.INVALID_ARGUMENT,
    hint: 'ask for JSON',
  },
  UnsupportedMediaType: {
    http: 415,
    reason: 'UnsupportedMediaType',
    grpc: GrpcCode.INVALID_ARGUMENT,
    hint: 'send a supported content type',
  },
  TooManyRequests: {
    http: 429,
    reason: 'TooManyRequests',
    grpc: GrpcCode.RESOURCE_EXHAUSTED,
    hint: 'retry later',
  },
  Timeout: { http: 504, reason: 'Timeout', grpc: GrpcCode.DEADLINE_EXCEEDED, hint: 'retry' },
  ServiceUnavailable: {
    http: 503,
    reason: 'ServiceUnavailable',
    grpc: GrpcCode.UNAVAILABLE,
    hint: 'retry; the backend is not reachable',
  },
  Internal: { http: 500, reason: 'InternalError', grpc: GrpcCode.INTERNAL, hint: 'report this as a bug' },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof ErrorCodes;
