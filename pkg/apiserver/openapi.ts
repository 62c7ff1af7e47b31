/**
 * OpenAPI v3: the /openapi/v3 index and one document per group-version. kubectl reads the PATCH
 * operation (its `fieldValidation` parameter and exactly three patch content types) to decide it
 * can leave validation to the server and must not send strategic merge patches; `kubectl explain`
 * finds kinds through `x-kubernetes-group-version-kind`.
 */
import { createHash } from 'node:crypto';
import type { JsonSchema, KindDefinition } from '../../api/kind.js';
import { META, sharedSchemas } from './openapi-meta.js';
import { APPLY_PATCH, JSON_PATCH, MERGE_PATCH } from './patch.js';
import type { KindRegistry } from './registry.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** "dev.borealis.v1.Job" / "io.k8s.api.core.v1.Namespace", as kube-apiserver names definitions. */
export function definitionName(def: KindDefinition, kind = def.kind): string {
  const group = def.group === '' ? 'io.k8s.api.core' : def.group.split('.').reverse().join('.');
  return `${group}.${def.version}.${kind}`;
}

function gvPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

function kindSchema(def: KindDefinition): Record<string, unknown> {
  const props: Record<string, JsonSchema | Record<string, unknown>> = {
    apiVersion: {
      type: 'string',
      description: 'APIVersion defines the versioned schema of this representation of an object.',
    },
    kind: {
      type: 'string',
      description: 'Kind is a string value representing the REST resource this object represents.',
    },
    ...(def.schema.properties ?? {}),
  };
  props['metadata'] = { allOf: [ref(`${META}.ObjectMeta`)], description: 'Standard object metadata.' };
  return {
    ...def.schema,
    type: 'object',
    properties: props,
    'x-kubernetes-group-version-kind': [{ group: def.group, version: def.version, kind: def.kind }],
  };
}

function op(def: KindDefinition, action: string, verb: string, extra: Record<string, unknown> = {}) {
  return {
    operationId: `${verb}${def.kind}`,
    tags: [def.group === '' ? 'core_v1' : `${def.group}_${def.version}`],
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: def.group, version: def.version, kind: def.kind },
    responses: {
      '200': { description: 'OK', content: { 'application/json': { schema: ref(definitionName(def)) } } },
    },
    ...extra,
  };
}

const query = (name: string, type = 'string') => ({ name, in: 'query', schema: { type }, uniqueItems: true });
const WRITE_PARAMS = [query('dryRun'), query('fieldManager'), query('fieldValidation')];

function itemOperations(def: KindDefinition, suffix: string): Record<string, unknown> {
  const body = { content: { 'application/json': { schema: ref(definitionName(def)) } }, required: true };
  const patchBody = {
    content: Object.fromEntries(
      [JSON_PATCH, MERGE_PATCH, APPLY_PATCH].map((t) => [t, { schema: ref(`${META}.Patch`) }]),
    ),
    required: true,
  };
  return {
    get: op(def, 'get', `read${suffix}`),
    put: op(def, 'put', `replace${suffix}`, { parameters: WRITE_PARAMS, requestBody: body }),
    patch: op(def, 'patch', `patch${suffix}`, {
      parameters: [...WRITE_PARAMS, query('force', 'boolean')],
      requestBody: patchBody,
    }),
    ...(suffix === ''
      ? {
          delete: op(def, 'delete', 'delete', {
            requestBody: { content: { 'application/json': { schema: ref(`${META}.DeleteOptions`) } } },
          }),
        }
      : {}),
  };
}

export function groupVersionDocument(registry: KindRegistry, group: string, version: string) {
  const kinds = registry.all().filter((s) => s.def.group === group && s.def.version === version);
  if (kinds.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = { ...sharedSchemas };
  const base = `/${gvPath(group, version)}`;
  for (const { def } of kinds) {
    schemas[definitionName(def)] = kindSchema(def);
    schemas[definitionName(def, def.listKind)] = {
      type: 'object',
      required: ['items'],
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { allOf: [ref(`${META}.ListMeta`)] },
        items: { type: 'array', items: ref(definitionName(def)) },
      },
      'x-kubernetes-group-version-kind': [{ group: def.group, version: def.version, kind: def.listKind }],
    };
    const collection = def.namespaced
      ? `${base}/namespaces/{namespace}/${def.plural}`
      : `${base}/${def.plural}`;
    const nsParam = def.namespaced
      ? [{ name: 'namespace', in: 'path', required: true, schema: { type: 'string' } }]
      : [];
    paths[collection] = {
      parameters: nsParam,
      get: op(def, 'list', 'list'),
      post: op(def, 'post', 'create', {
        parameters: WRITE_PARAMS,
        requestBody: { content: { 'application/json': { schema: ref(definitionName(def)) } } },
      }),
      delete: op(def, 'deletecollection', 'deleteCollection'),
    };
    const itemParams = [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }, ...nsParam];
    paths[`${collection}/{name}`] = { parameters: itemParams, ...itemOperations(def, '') };
    if (def.statusSubresource)
      paths[`${collection}/{name}/status`] = { parameters: itemParams, ...itemOperations(def, 'Status') };
    if (def.namespaced) paths[`${base}/${def.plural}`] = { get: op(def, 'list', 'listAllNamespaces') };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Borealis', version: 'v1.32.0-borealis' },
    paths,
    components: { schemas },
  };
}

/** Document cache keyed by registry generation, so hashes change exactly when kinds change. */
export class OpenApiDocuments {
  private generation = -1;
  private readonly docs = new Map<string, { body: string; hash: string }>();

  constructor(private readonly registry: KindRegistry) {}

  private refresh(): void {
    if (this.generation === this.registry.generation) return;
    this.docs.clear();
    this.generation = this.registry.generation;
    const gvs = new Set(this.registry.all().map((s) => `${s.def.group}|${s.def.version}`));
    for (const gv of gvs) {
      const [group = '', version = ''] = gv.split('|');
      const body = JSON.stringify(groupVersionDocument(this.registry, group, version));
      this.docs.set(gvPath(group, version), {
        body,
        hash: createHash('sha512').update(body).digest('hex').slice(0, 64).toUpperCase(),
      });
    }
  }

  index() {
    this.refresh();
    const paths: Record<string, unknown> = {};
    for (const [path, d] of this.docs)
      paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${d.hash}` };
    return { paths };
  }

  /** The JSON text of one group-version document ("apis/borealis.dev/v1"), or undefined. */
  document(path: string): string | undefined {
    this.refresh();
    return this.docs.get(path)?.body;
  }
}
