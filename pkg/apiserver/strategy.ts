/**
 * Per-write strategy shared by every kind: what the server owns in metadata (uid, timestamps,
 * generation), how status and spec are kept apart by the status subresource, and the checks on
 * names, namespaces and metadata that every Kubernetes object gets.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { ApiObject, FieldProblem, KindDefinition } from '../../api/kind.js';
import { BorealisError } from '../errors/index.js';
import {
  finalizersOf,
  isPlainObject,
  jsonEqual,
  type MutableObject,
  metaOf,
  metaString,
  rfc3339,
  specPart,
} from './objects.js';
import { invalidObject } from './status.js';

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function apiVersionOf(kind: KindDefinition): string {
  return kind.group === '' ? kind.version : `${kind.group}/${kind.version}`;
}

/**
 * The object as the requested version presents it. Every served version of a kind shares its
 * stored objects (a CRD's "None" conversion): only apiVersion differs. Cheap when it matches.
 */
export function asServedVersion<T extends ApiObject>(kind: KindDefinition, obj: T): T {
  const want = apiVersionOf(kind);
  return obj.apiVersion === want ? obj : { ...obj, apiVersion: want };
}

/** Checks apiVersion/kind of a request body (filling them in when absent). */
export function checkTypeMeta(kind: KindDefinition, obj: MutableObject): void {
  const want = apiVersionOf(kind);
  if (obj['apiVersion'] !== undefined && obj['apiVersion'] !== want) {
    throw new BorealisError(
      'BadRequest',
      `the API version in the data (${String(obj['apiVersion'])}) does not match the expected API version (${want})`,
    );
  }
  if (obj['kind'] !== undefined && obj['kind'] !== kind.kind) {
    throw new BorealisError(
      'BadRequest',
      `the kind in the data (${String(obj['kind'])}) does not match the expected kind (${kind.kind})`,
    );
  }
  obj['apiVersion'] = want;
  obj['kind'] = kind.kind;
}

const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Label keys ([prefix/]name) and values as Kubernetes allows them: selectors depend on it. */
function labelProblems(labels: Record<string, string>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const [key, value] of Object.entries(labels)) {
    const slash = key.lastIndexOf('/');
    const prefix = slash < 0 ? undefined : key.slice(0, slash);
    const name = slash < 0 ? key : key.slice(slash + 1);
    const prefixOk = prefix === undefined || (prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix));
    if (!prefixOk || name.length > 63 || !LABEL_NAME.test(name)) {
      problems.push({
        field: 'metadata.labels',
        message: `Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (at most 63), with an optional DNS subdomain prefix and '/'`,
        reason: 'FieldValueInvalid',
      });
    }
    if (value.length > 63 || !LABEL_VALUE.test(value)) {
      problems.push({
        field: 'metadata.labels',
        message: `Invalid value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (at most 63)`,
        reason: 'FieldValueInvalid',
      });
    }
  }
  return problems;
}

function metadataProblems(obj: ApiObject): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const meta = metaOf(obj);
  const name = metaString(obj, 'name') ?? '';
  if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) {
    problems.push({
      field: 'metadata.name',
      message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
      reason: 'FieldValueInvalid',
    });
  }
  for (const field of ['labels', 'annotations']) {
    const map = meta[field];
    if (map === undefined) continue;
    if (!isPlainObject(map) || Object.values(map).some((v) => typeof v !== 'string')) {
      problems.push({
        field: `metadata.${field}`,
        message: 'Invalid value: must be a map of strings',
        reason: 'FieldValueInvalid',
      });
    } else if (field === 'labels') problems.push(...labelProblems(map as Record<string, string>));
  }
  const finalizers = meta['finalizers'];
  if (
    finalizers !== undefined &&
    (!Array.isArray(finalizers) || finalizers.some((f) => typeof f !== 'string'))
  ) {
    problems.push({
      field: 'metadata.finalizers',
      message: 'Invalid value: must be a list of strings',
      reason: 'FieldValueInvalid',
    });
  }
  return problems;
}

/** Sets the server-owned metadata of a new object. */
export function prepareForCreate(
  kind: KindDefinition,
  obj: MutableObject,
  namespace: string | undefined,
  now: number,
): void {
  const meta: MutableObject = isPlainObject(obj['metadata']) ? { ...obj['metadata'] } : {};
  if ((meta['name'] === undefined || meta['name'] === '') && typeof meta['generateName'] === 'string') {
    meta['name'] = `${meta['generateName']}${randomBytes(4).toString('hex').slice(0, 5)}`;
  }
  if (meta['name'] === undefined || meta['name'] === '') {
    throw invalidObject(kind, '', [
      {
        field: 'metadata.name',
        message: 'Required value: name or generateName is required',
        reason: 'FieldValueRequired',
      },
    ]);
  }
  if (kind.namespaced) {
    if (meta['namespace'] !== undefined && meta['namespace'] !== namespace) {
      throw new BorealisError(
        'BadRequest',
        `the namespace of the provided object does not match the namespace sent on the request`,
      );
    }
    meta['namespace'] = namespace;
  } else delete meta['namespace'];
  meta['uid'] = randomUUID();
  meta['creationTimestamp'] = rfc3339(now);
  meta['generation'] = 1;
  for (const f of ['resourceVersion', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink'])
    delete meta[f];
  obj['metadata'] = meta;
  // As for CRDs with a status subresource: status is written only through /status — unless the
  // kind is born with a status its creator knows (statusOnCreate).
  if (kind.statusSubresource && !kind.statusOnCreate) delete obj['status'];
  if (kind.group === '' && kind.kind === 'Namespace') obj['status'] = { phase: 'Active' };
}

/**
 * Carries server-owned metadata over from the stored object and keeps spec and status apart.
 * `subresource` is "status" for writes to /status.
 */
export function prepareForUpdate(
  kind: KindDefinition,
  obj: MutableObject,
  old: ApiObject,
  subresource: string | undefined,
): MutableObject {
  let next = obj;
  if (kind.statusSubresource && subresource === 'status') {
    // /status changes status only: everything else comes from the stored object.
    next = { ...old, status: obj['status'] } as MutableObject;
    if (obj['status'] === undefined) delete next['status'];
    next['metadata'] = { ...metaOf(old) };
  } else if (kind.statusSubresource) {
    next = { ...obj };
    if (old['status'] === undefined) delete next['status'];
    else next['status'] = old['status'];
  }
  const oldMeta = metaOf(old);
  const meta: MutableObject = isPlainObject(next['metadata']) ? { ...next['metadata'] } : {};
  for (const f of [
    'name',
    'namespace',
    'uid',
    'creationTimestamp',
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
  ]) {
    if (oldMeta[f] === undefined) delete meta[f];
    else meta[f] = oldMeta[f];
  }
  delete meta['resourceVersion'];
  const generation = typeof oldMeta['generation'] === 'number' ? oldMeta['generation'] : 1;
  const sub = kind.statusSubresource;
  meta['generation'] = jsonEqual(specPart(old, sub), specPart(next, sub)) ? generation : generation + 1;
  next['metadata'] = meta;
  if (oldMeta['deletionTimestamp'] !== undefined) {
    const before = new Set(finalizersOf(old));
    if (finalizersOf(next).some((f) => !before.has(f))) {
      throw invalidObject(kind, String(meta['name'] ?? ''), [
        {
          field: 'metadata.finalizers',
          message: 'Forbidden: no new finalizers can be added if the object is being deleted',
          reason: 'FieldValueForbidden',
        },
      ]);
    }
  }
  return next;
}

/** Schema problems, then the metadata checks every object gets, then the kind's own rules. */
export function validateObject(
  kind: KindDefinition,
  schemaProblems: readonly FieldProblem[],
  obj: MutableObject,
  old: ApiObject | undefined,
): void {
  const problems = [...schemaProblems, ...metadataProblems(obj)];
  if (problems.length === 0 && kind.validate) problems.push(...kind.validate(obj, old));
  if (problems.length > 0) throw invalidObject(kind, metaString(obj, 'name') ?? '', problems);
}
