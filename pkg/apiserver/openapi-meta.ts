/**
 * The shared OpenAPI v3 schemas every group-version document references: ObjectMeta, ListMeta,
 * Status, Patch and DeleteOptions, with the names kube-apiserver gives them so tools find them.
 */
export const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

const str = (description: string) => ({ type: 'string', description });
const stringMap = (description: string) => ({
  type: 'object',
  additionalProperties: { type: 'string' },
  description,
});

export const objectMetaSchema = {
  type: 'object',
  description: 'ObjectMeta is metadata that all persisted resources must have.',
  properties: {
    name: str('Name must be unique within a namespace.'),
    generateName: str('Prefix the server uses to generate a unique name when name is not given.'),
    namespace: str('Namespace defines the space within which each name must be unique.'),
    uid: str('UID is the unique in time and space value for this object.'),
    resourceVersion: str('An opaque value that represents the internal version of this object.'),
    generation: {
      type: 'integer',
      format: 'int64',
      description: 'A sequence number representing a specific generation of the desired state.',
    },
    creationTimestamp: { type: 'string', format: 'date-time', description: 'When this object was created.' },
    deletionTimestamp: {
      type: 'string',
      format: 'date-time',
      description: 'When this object will be deleted.',
    },
    deletionGracePeriodSeconds: { type: 'integer', format: 'int64' },
    labels: stringMap('Map of string keys and values that can be used to organize and categorize objects.'),
    annotations: stringMap('Unstructured key value map stored with a resource.'),
    finalizers: {
      type: 'array',
      items: { type: 'string' },
      'x-kubernetes-list-type': 'set',
      description: 'Must be empty before the object is deleted from the registry.',
    },
    ownerReferences: {
      type: 'array',
      description: 'Objects this object depends on; it is garbage collected when they are all gone.',
      items: {
        type: 'object',
        required: ['apiVersion', 'kind', 'name', 'uid'],
        properties: {
          apiVersion: { type: 'string' },
          kind: { type: 'string' },
          name: { type: 'string' },
          uid: { type: 'string' },
          controller: { type: 'boolean' },
          blockOwnerDeletion: { type: 'boolean' },
        },
      },
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['uid'],
    },
    managedFields: {
      type: 'array',
      description: 'Which field managers own which fields (server-side apply).',
      items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    },
  },
};

export const sharedSchemas: Record<string, unknown> = {
  [`${META}.ObjectMeta`]: objectMetaSchema,
  [`${META}.ListMeta`]: {
    type: 'object',
    properties: {
      resourceVersion: { type: 'string' },
      continue: { type: 'string' },
      remainingItemCount: { type: 'integer' },
    },
  },
  [`${META}.Status`]: {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      status: { type: 'string' },
      message: { type: 'string' },
      reason: { type: 'string' },
      code: { type: 'integer' },
      details: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    },
    'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'Status' }],
  },
  [`${META}.Patch`]: {
    type: 'object',
    description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
  },
  [`${META}.DeleteOptions`]: {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      dryRun: { type: 'array', items: { type: 'string' } },
      propagationPolicy: { type: 'string' },
      preconditions: {
        type: 'object',
        properties: { uid: { type: 'string' }, resourceVersion: { type: 'string' } },
      },
    },
  },
};
