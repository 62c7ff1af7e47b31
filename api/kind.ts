/**
 * The contract between the API's nouns (this folder) and the API server (pkg/apiserver).
 *
 * A KindDefinition says everything the server needs to serve a kind generically: names, scope,
 * the OpenAPI v3 structural schema (which also carries defaults, like a CRD's), printer columns,
 * selectable fields and cross-field validation. Built-in kinds and CRD-registered kinds are both
 * turned into KindDefinitions and go through the same registry, so anything a built-in kind can
 * do, a CRD kind can do too.
 *
 * Nothing here imports pkg/ or controllers/.
 */

/** OpenAPI v3 schema (the structural subset Kubernetes uses for CRDs, plus x-kubernetes-* markers). */
export interface JsonSchema {
  readonly type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  readonly description?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly additionalProperties?: JsonSchema | boolean;
  readonly enum?: readonly (string | number | boolean)[];
  readonly default?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: boolean;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly pattern?: string;
  readonly format?: string;
  readonly nullable?: boolean;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly 'x-kubernetes-preserve-unknown-fields'?: boolean;
  readonly 'x-kubernetes-int-or-string'?: boolean;
  readonly 'x-kubernetes-embedded-resource'?: boolean;
  readonly 'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  readonly 'x-kubernetes-list-map-keys'?: readonly string[];
  readonly 'x-kubernetes-map-type'?: 'atomic' | 'granular';
}

/** A column of `kubectl get` output (CRD additionalPrinterColumns). */
export interface PrinterColumn {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  /** JSONPath into the object, e.g. ".status.phase". */
  readonly jsonPath: string;
  readonly description?: string;
  /** 0 = shown by default; > 0 = only with `-o wide`. */
  readonly priority?: number;
  readonly format?: string;
}

/** One problem found by a kind's own validation; `field` is a dotted path like "spec.task.resources.cpus". */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
  /** metav1.CauseType: "FieldValueInvalid", "FieldValueRequired", "FieldValueNotSupported", ... */
  readonly reason: string;
}

/** A plain object as the API sees it (apiVersion, kind, metadata, spec, status, ...). */
export type ApiObject = {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly [k: string]: unknown;
};

export interface KindDefinition {
  /** API group; "" for the core group (served under /api/v1). */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly listKind: string;
  /** Lower-case plural resource name used in URLs, e.g. "jobs". */
  readonly plural: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly namespaced: boolean;
  /** Schema of the whole object (apiVersion, kind, metadata, spec, status). Carries defaults. */
  readonly schema: JsonSchema;
  readonly printerColumns: readonly PrinterColumn[];
  /** Whether /status is a subresource (spec and status are then written separately). */
  readonly statusSubresource: boolean;
  /**
   * With a status subresource, keep the status sent on create instead of dropping it. For kinds
   * whose objects only controllers create and that are born with a known first status (a Task is
   * born Pending or Throttled): one write instead of a create and a /status write.
   */
  readonly statusOnCreate?: boolean;
  /**
   * Extra fields usable in field selectors besides metadata.name and metadata.namespace,
   * as JSONPaths, e.g. [".spec.jobName", ".status.phase", ".status.host"].
   */
  readonly selectableFields: readonly string[];
  /**
   * Cross-field validation that a schema cannot express (e.g. a health check's port must be one
   * of the task's named ports). Runs after defaulting and schema validation; returns every
   * problem, empty when valid. `old` is the stored object on updates.
   */
  readonly validate?: (obj: ApiObject, old: ApiObject | undefined) => readonly FieldProblem[];
}
