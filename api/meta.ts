/**
 * Shared schemas and types of every object: ObjectMeta (metav1.ObjectMeta), Condition
 * (metav1.Condition) and the envelope (apiVersion, kind, metadata, spec, status).
 *
 * Unlike a CRD's published schema (where metadata is just `type: object`), ours spells ObjectMeta
 * out, so the server can prune and strictly validate metadata with the same generic code it uses
 * for spec, and `kubectl explain job.metadata` has something to say.
 */
import type { JsonSchema } from './kind.js';
import { arr, bool, int, listMap, map, obj, oneOfStr, set, str, time } from './schema.js';

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: 'Apply' | 'Update';
  apiVersion?: string;
  time?: string;
  fieldsType?: 'FieldsV1';
  fieldsV1?: Record<string, unknown>;
  subresource?: string;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: ManagedFieldsEntry[];
}

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface Condition {
  type: string;
  status: ConditionStatus;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

/** The envelope every stored object has; `S` and `T` are the kind's spec and status. */
export interface Resource<S, T = undefined> {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec: S;
  status?: T;
}

const ownerReferenceSchema = obj(
  'A reference to an object this one belongs to; when every owner is gone the object is garbage collected.',
  {
    apiVersion: str('API version of the owner, e.g. borealis.dev/v1.'),
    kind: str('Kind of the owner, e.g. Job.'),
    name: str('Name of the owner (same namespace as this object, or cluster-scoped).'),
    uid: str('UID of the owner; a recreated owner with the same name does not adopt this object.'),
    controller: bool('True if the owner is the managing controller; at most one owner has this set.'),
    blockOwnerDeletion: bool('If true, a foreground deletion of the owner waits for this object to go.'),
  },
  { required: ['apiVersion', 'kind', 'name', 'uid'] },
);

const managedFieldsEntrySchema = obj(
  'Which field manager owns which fields, as recorded by server-side apply.',
  {
    manager: str('Name of the field manager (e.g. kubectl, borealis-jobs-controller).'),
    operation: oneOfStr('The kind of write that set these fields.', ['Apply', 'Update']),
    apiVersion: str('API version the fields are described in.'),
    time: time('When these fields were last changed by this manager.'),
    fieldsType: oneOfStr('Format of fieldsV1.', ['FieldsV1']),
    fieldsV1: obj(
      'The owned field set, in FieldsV1 form (keys f:<name>, k:<key>, v:<value>, ".").',
      {},
      { 'x-kubernetes-preserve-unknown-fields': true },
    ),
    subresource: str('The subresource the write went to (e.g. "status"), empty for the main resource.'),
  },
);

export const objectMetaSchema: JsonSchema = obj(
  'Standard object metadata: name, namespace, labels, annotations and server-maintained bookkeeping.',
  {
    name: str('Name, unique within the namespace (or cluster for cluster-scoped kinds). Cannot be changed.', {
      maxLength: 253,
    }),
    generateName: str('Prefix from which the server generates a unique name when name is empty.'),
    namespace: str(
      'Namespace of the object. For Borealis kinds the namespace is the Aurora role that owns the job.',
    ),
    uid: str('Unique id the server assigns at creation; never reused. Read-only.'),
    resourceVersion: str(
      'Opaque version of this object, changed on every write; send it back on update for optimistic concurrency.',
    ),
    generation: int('Sequence number of spec changes, starting at 1. Read-only.'),
    creationTimestamp: time('When the object was created (server time). Read-only.'),
    deletionTimestamp: time(
      'Set when deletion was requested and finalizers still hold the object. Read-only.',
    ),
    deletionGracePeriodSeconds: int('Seconds allowed for graceful termination once deletion was requested.'),
    labels: map('Key/value pairs for selecting and grouping objects (label selectors).', str('Label value.')),
    annotations: map(
      'Key/value pairs for tools and people; not used for selection.',
      str('Annotation value.'),
    ),
    ownerReferences: listMap('Objects this one depends on (garbage collection).', ownerReferenceSchema, [
      'uid',
    ]),
    finalizers: set(
      'Names of things that must happen before the object is removed; deletion waits until the list is empty.',
      str('A finalizer name, e.g. borealis.dev/kill-tasks.'),
    ),
    managedFields: arr(
      'Field ownership for server-side apply. Maintained by the server.',
      managedFieldsEntrySchema,
    ),
  },
);

export const conditionSchema: JsonSchema = obj(
  "One aspect of the object's current state, such as Ready, in the standard metav1.Condition shape.",
  {
    type: str('Type of the condition in CamelCase, e.g. Ready, Progressing, Degraded.', { minLength: 1 }),
    status: oneOfStr('Whether the condition holds.', ['True', 'False', 'Unknown']),
    reason: str('Machine-readable CamelCase reason for the last transition.'),
    message: str('Human-readable details of the last transition.'),
    lastTransitionTime: time('When status last changed.'),
    observedGeneration: int(
      'metadata.generation this condition was computed for; older than the current generation means stale.',
    ),
  },
  { required: ['type', 'status'] },
);

/** A `conditions` field: a list of Condition merged by `type`. */
export const conditionsSchema = (description: string): JsonSchema =>
  listMap(description, conditionSchema, ['type']);

export const observedGenerationSchema: JsonSchema = int(
  'The metadata.generation the controller last acted on; when it differs from metadata.generation the status is stale.',
);

/** Whole-object schema: envelope fields plus the kind's own top-level fields (spec, status, ...). */
export function objectSchema(
  description: string,
  fields: Readonly<Record<string, JsonSchema>>,
  requiredFields: readonly string[] = [],
): JsonSchema {
  return obj(
    description,
    {
      apiVersion: str('Versioned schema of this representation, e.g. borealis.dev/v1.'),
      kind: str('The kind of object, in CamelCase, e.g. Job.'),
      metadata: objectMetaSchema,
      ...fields,
    },
    requiredFields.length > 0 ? { required: requiredFields } : {},
  );
}
