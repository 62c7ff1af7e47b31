/**
 * Kubernetes-style errors and the `Status` objects they become. The messages follow the wording
 * of k8s.io/apimachinery/pkg/api/errors, because kubectl prints them verbatim and users (and
 * scripts) recognise them.
 */
import type { FieldProblem, KindDefinition } from '../../api/kind.js';
import { BorealisError, type ErrorCause, toBorealisError } from '../errors/index.js';

/** "jobs.borealis.dev" (or "namespaces" for the core group), as Kubernetes names a resource. */
export function qualifiedResource(kind: KindDefinition): string {
  return kind.group === '' ? kind.plural : `${kind.plural}.${kind.group}`;
}

function details(kind: KindDefinition, name: string) {
  return { name, group: kind.group, kind: kind.plural };
}

export function notFound(kind: KindDefinition, name: string): BorealisError {
  return new BorealisError('NotFound', `${qualifiedResource(kind)} "${name}" not found`, {
    details: details(kind, name),
  });
}

export function alreadyExists(kind: KindDefinition, name: string): BorealisError {
  return new BorealisError('AlreadyExists', `${qualifiedResource(kind)} "${name}" already exists`, {
    details: details(kind, name),
  });
}

export function conflict(kind: KindDefinition, name: string, why?: string): BorealisError {
  const reason =
    why ?? 'the object has been modified; please apply your changes to the latest version and try again';
  return new BorealisError(
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(kind)} "${name}": ${reason}`,
    {
      details: details(kind, name),
    },
  );
}

/** 422 Invalid: `Job.borealis.dev "x" is invalid: [spec.a: Invalid value: ..., ...]`. */
export function invalidObject(
  kind: KindDefinition,
  name: string,
  problems: readonly FieldProblem[],
): BorealisError {
  const parts = problems.map((p) => `${p.field}: ${p.message}`);
  const joined = parts.length === 1 ? (parts[0] ?? '') : `[${parts.join(', ')}]`;
  const gk = kind.group === '' ? kind.kind : `${kind.kind}.${kind.group}`;
  const causes: ErrorCause[] = problems.map((p) => ({
    reason: p.reason,
    message: p.message,
    field: p.field,
  }));
  return new BorealisError('Invalid', `${gk} "${name}" is invalid: ${joined}`, {
    causes,
    details: { name, group: kind.group, kind: kind.kind },
  });
}

export function badRequest(message: string): BorealisError {
  return new BorealisError('BadRequest', message);
}

export function forbidden(message: string): BorealisError {
  return new BorealisError('Forbidden', message);
}

export interface StatusObject {
  readonly kind: 'Status';
  readonly apiVersion: 'v1';
  readonly metadata: Record<string, never>;
  readonly status: 'Failure' | 'Success';
  readonly message: string;
  readonly reason: string;
  readonly details?: Record<string, unknown>;
  readonly code: number;
}

/** The Status body (and HTTP code) for anything thrown while serving a request. */
export function statusFromError(err: unknown): StatusObject {
  const e = toBorealisError(err);
  const info = e.info;
  const d: Record<string, unknown> = {};
  if (e.details?.name !== undefined) d['name'] = e.details.name;
  if (e.details?.group !== undefined) d['group'] = e.details.group;
  if (e.details?.kind !== undefined) d['kind'] = e.details.kind;
  if (e.causes.length > 0) d['causes'] = e.causes;
  if (e.retryAfterSeconds !== undefined) d['retryAfterSeconds'] = e.retryAfterSeconds;
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: e.message,
    reason: info.reason,
    ...(Object.keys(d).length > 0 ? { details: d } : {}),
    code: info.http,
  };
}
