/**
 * CustomResourceDefinition (apiextensions.k8s.io/v1): the schema of the CRD object itself, faithful
 * to Kubernetes' so that a CRD manifest written for a real cluster applies here unchanged. The
 * server turns each established CRD into a KindDefinition (see kind-from-crd.ts).
 */
import { defineKind } from '../../define-kind.js';
import type { JsonSchema, KindDefinition } from '../../kind.js';
import { type Condition, conditionsSchema, objectSchema, type Resource } from '../../meta.js';
import { arr, bool, int32, listMap, obj, oneOfStr, set, str } from '../../schema.js';
import { validateCustomResourceDefinition } from './custom-resource-definition-validation.js';

export interface CrdNames {
  plural: string;
  singular?: string;
  kind: string;
  listKind?: string;
  shortNames?: string[];
  categories?: string[];
}

export interface CrdPrinterColumn {
  name: string;
  type: 'integer' | 'number' | 'string' | 'boolean' | 'date';
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  schema?: { openAPIV3Schema?: JsonSchema };
  subresources?: {
    status?: Record<string, never>;
    scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
  };
  additionalPrinterColumns?: CrdPrinterColumn[];
  selectableFields?: { jsonPath: string }[];
}

export interface CustomResourceDefinitionSpec {
  group: string;
  names: CrdNames;
  scope: 'Namespaced' | 'Cluster';
  versions: CrdVersion[];
  conversion?: { strategy: 'None' | 'Webhook'; webhook?: Record<string, unknown> };
  preserveUnknownFields?: boolean;
}

export interface CustomResourceDefinitionStatus {
  conditions?: Condition[];
  acceptedNames?: CrdNames;
  storedVersions?: string[];
}

export type CustomResourceDefinition = Resource<CustomResourceDefinitionSpec, CustomResourceDefinitionStatus>;

/** Condition types the server sets: names accepted (no conflicts), then established (served). */
export const CRD_CONDITIONS = ['NamesAccepted', 'Established', 'Terminating'] as const;

const namesSchema = (description: string): JsonSchema =>
  obj(
    description,
    {
      plural: str(
        'Lower-case plural name used in URLs, e.g. widgets. Must match the first part of metadata.name.',
      ),
      singular: str('Lower-case singular name, e.g. widget. Defaults to the lower-cased kind.'),
      kind: str('CamelCase kind of the objects, e.g. Widget.'),
      listKind: str('Kind of the list, e.g. WidgetList. Defaults to <kind>List.'),
      shortNames: set('Short names usable with kubectl, e.g. wd.', str('A lower-case short name.')),
      categories: set(
        'Groups of resources this one belongs to, e.g. all (kubectl get all).',
        str('A category.'),
      ),
    },
    { required: ['plural', 'kind'] },
  );

const printerColumnSchema = obj(
  'An extra column of kubectl get.',
  {
    name: str('Column header.'),
    type: oneOfStr('OpenAPI type of the column; date is shown as an age.', [
      'integer',
      'number',
      'string',
      'boolean',
      'date',
    ]),
    format: str('Optional OpenAPI format, e.g. name for the primary column.'),
    description: str('Human-readable description of the column.'),
    priority: int32('0 = shown by default; greater = only with -o wide.', { minimum: 0 }),
    jsonPath: str('Simple JSONPath evaluated against each object, e.g. .status.phase.'),
  },
  { required: ['name', 'type', 'jsonPath'] },
);

const versionSchema = obj(
  'One served version of the resource.',
  {
    name: str('Version name, e.g. v1, v1beta1. Served at /apis/<group>/<name>.'),
    served: bool('Whether this version is served by the REST API.'),
    storage: bool('Whether objects are stored in this version. Exactly one version must set this.'),
    deprecated: bool('Whether this version is deprecated; clients get a warning header.'),
    deprecationWarning: str('Overrides the default deprecation warning.'),
    schema: obj('Validation schema of this version.', {
      openAPIV3Schema: {
        type: 'object',
        description:
          'OpenAPI v3 structural schema of the objects (JSONSchemaProps): type, properties, required, items, ' +
          'default, enum, x-kubernetes-* markers and so on. Recursive, so kept as free-form here and checked by validation.',
        'x-kubernetes-preserve-unknown-fields': true,
      },
    }),
    subresources: obj('Subresources served for this version.', {
      status: obj(
        'Enables the /status subresource: spec and status are written separately.',
        {},
        {
          'x-kubernetes-preserve-unknown-fields': true,
        },
      ),
      scale: obj(
        'Enables the /scale subresource.',
        {
          specReplicasPath: str('JSONPath of the desired replicas in spec, e.g. .spec.replicas.'),
          statusReplicasPath: str('JSONPath of the observed replicas in status, e.g. .status.replicas.'),
          labelSelectorPath: str('JSONPath of the serialised label selector in status.'),
        },
        { required: ['specReplicasPath', 'statusReplicasPath'] },
      ),
    }),
    additionalPrinterColumns: arr('Columns of kubectl get besides NAME.', printerColumnSchema),
    selectableFields: arr(
      'Fields usable in field selectors besides metadata.name and metadata.namespace.',
      obj(
        'A selectable field.',
        { jsonPath: str('JSONPath of a string, integer or boolean field.') },
        {
          required: ['jsonPath'],
        },
      ),
      { maxItems: 8 },
    ),
  },
  { required: ['name', 'served', 'storage'] },
);

const crdSpecSchema = obj(
  'Describes the custom resource: its group, names, scope and versions with their schemas.',
  {
    group: str('API group of the resource, a DNS subdomain with at least one dot, e.g. example.com.'),
    names: namesSchema('Names of the resource.'),
    scope: oneOfStr('Whether objects live in a namespace or the cluster.', ['Namespaced', 'Cluster']),
    versions: listMap('Versions of the resource; at least one.', versionSchema, ['name'], { minItems: 1 }),
    conversion: obj(
      'How objects are converted between versions.',
      {
        strategy: oneOfStr(
          'None: only apiVersion changes. Webhook: an external converter (not supported by Borealis).',
          ['None', 'Webhook'],
        ),
        webhook: obj('Webhook conversion settings.', {}, { 'x-kubernetes-preserve-unknown-fields': true }),
      },
      { default: { strategy: 'None' }, required: ['strategy'] },
    ),
    preserveUnknownFields: bool('Deprecated; must be false in v1 (unknown fields are pruned).'),
  },
  { required: ['group', 'names', 'scope', 'versions'] },
);

const crdStatusSchema = obj('Observed state of the definition.', {
  conditions: conditionsSchema(
    'NamesAccepted: the names do not conflict with another resource. Established: the resource is served.',
  ),
  acceptedNames: namesSchema('The names actually being served (may lag spec.names when they conflict).'),
  storedVersions: set('Versions objects have ever been stored in.', str('A version name.')),
});

export const customResourceDefinitionKind: KindDefinition = defineKind({
  group: 'apiextensions.k8s.io',
  version: 'v1',
  kind: 'CustomResourceDefinition',
  listKind: 'CustomResourceDefinitionList',
  plural: 'customresourcedefinitions',
  singular: 'customresourcedefinition',
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  namespaced: false,
  schema: objectSchema(
    'Registers a new kind with the API server, served like the built-in ones.',
    { spec: crdSpecSchema, status: crdStatusSchema },
    ['spec'],
  ),
  printerColumns: [
    { name: 'Group', type: 'string', jsonPath: '.spec.group' },
    { name: 'Kind', type: 'string', jsonPath: '.spec.names.kind' },
    { name: 'Scope', type: 'string', jsonPath: '.spec.scope' },
    { name: 'Created At', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
  statusSubresource: true,
  selectableFields: ['.spec.group', '.spec.names.kind'],
  validate: validateCustomResourceDefinition,
});
