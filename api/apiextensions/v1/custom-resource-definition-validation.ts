/**
 * The CRD rules apiextensions-apiserver enforces that a schema cannot: name = <plural>.<group>,
 * exactly one storage version, structural schemas, lower-case names, immutable scope.
 */
import { duplicate, forbidden, immutable, invalid, notSupported, record, required } from '../../field.js';
import type { ApiObject, FieldProblem } from '../../kind.js';
import type { CrdVersion, CustomResourceDefinitionSpec } from './custom-resource-definition.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;
const SCHEMA_TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
/** JSONSchemaProps fields Kubernetes forbids in structural schemas. */
const FORBIDDEN_KEYWORDS = [
  '$ref',
  'definitions',
  'uniqueItems',
  'dependencies',
  'additionalItems',
  'patternProperties',
];

/**
 * Structural schema check (the part apiextensions' NewStructural enforces that matters most):
 * every node declares a type unless it is int-or-string or preserves unknown fields, and
 * properties and additionalProperties are not both set.
 */
export function validateStructural(node: unknown, path: string, isRoot = false): FieldProblem[] {
  const s = record(node);
  if (s === undefined) return [invalid(path, node, 'must be a schema object')];
  const problems: FieldProblem[] = [];
  const t = s['type'];
  const free = s['x-kubernetes-int-or-string'] === true || s['x-kubernetes-preserve-unknown-fields'] === true;
  if (t === undefined || t === '') {
    if (!free) problems.push(required(`${path}.type`, 'must not be empty for specified object fields'));
  } else if (typeof t !== 'string' || !SCHEMA_TYPES.includes(t)) {
    problems.push(notSupported(`${path}.type`, t, SCHEMA_TYPES));
  }
  if (isRoot && t !== undefined && t !== 'object') {
    problems.push(invalid(`${path}.type`, t, 'must be object at the root'));
  }
  for (const k of FORBIDDEN_KEYWORDS) {
    if (k in s) problems.push(forbidden(`${path}.${k}`, `${k} is not supported in structural schemas`));
  }
  const props = record(s['properties']);
  if (props !== undefined && s['additionalProperties'] !== undefined && s['additionalProperties'] !== false) {
    problems.push(
      forbidden(`${path}.additionalProperties`, 'additionalProperties and properties are mutually exclusive'),
    );
  }
  for (const [name, child] of Object.entries(props ?? {})) {
    problems.push(...validateStructural(child, `${path}.properties[${name}]`));
  }
  if (s['items'] !== undefined) problems.push(...validateStructural(s['items'], `${path}.items`));
  else if (t === 'array') problems.push(required(`${path}.items`, 'must be specified for arrays'));
  if (record(s['additionalProperties']) !== undefined) {
    problems.push(...validateStructural(s['additionalProperties'], `${path}.additionalProperties`));
  }
  return problems;
}

function validateNames(spec: CustomResourceDefinitionSpec): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const n = spec.names;
  for (const f of ['plural', 'singular', 'listKind'] as const) {
    const v = n[f];
    if (f !== 'listKind' && v !== undefined && !DNS_LABEL.test(v)) {
      problems.push(invalid(`spec.names.${f}`, v, 'must be a lower-case DNS label, e.g. widgets'));
    }
    if (f === 'listKind' && v !== undefined && !KIND.test(v)) {
      problems.push(invalid('spec.names.listKind', v, 'must be CamelCase, e.g. WidgetList'));
    }
  }
  if (!KIND.test(n.kind)) problems.push(invalid('spec.names.kind', n.kind, 'must be CamelCase, e.g. Widget'));
  if (n.listKind !== undefined && n.listKind === n.kind) {
    problems.push(invalid('spec.names.listKind', n.listKind, 'kind and listKind must be different'));
  }
  (n.shortNames ?? []).forEach((s, i) => {
    if (!DNS_LABEL.test(s))
      problems.push(invalid(`spec.names.shortNames[${i}]`, s, 'must be a lower-case DNS label'));
  });
  return problems;
}

function validateVersion(v: CrdVersion, path: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!DNS_LABEL.test(v.name)) problems.push(invalid(`${path}.name`, v.name, 'must be a DNS label, e.g. v1'));
  const schema = v.schema?.openAPIV3Schema;
  if (schema === undefined) {
    problems.push(required(`${path}.schema.openAPIV3Schema`, 'schemas are required'));
  } else {
    problems.push(...validateStructural(schema, `${path}.schema.openAPIV3Schema`, true));
  }
  const columns = new Set<string>();
  (v.additionalPrinterColumns ?? []).forEach((c, i) => {
    const cp = `${path}.additionalPrinterColumns[${i}]`;
    if (columns.has(c.name)) problems.push(duplicate(`${cp}.name`, c.name));
    columns.add(c.name);
    if (!c.jsonPath.startsWith('.'))
      problems.push(invalid(`${cp}.jsonPath`, c.jsonPath, 'must be a simple JSONPath starting with "."'));
  });
  (v.selectableFields ?? []).forEach((f, i) => {
    if (!f.jsonPath.startsWith('.')) {
      problems.push(invalid(`${path}.selectableFields[${i}].jsonPath`, f.jsonPath, 'must start with "."'));
    }
  });
  return problems;
}

export function validateCustomResourceDefinition(o: ApiObject, old: ApiObject | undefined): FieldProblem[] {
  const spec = record(o['spec']) as unknown as CustomResourceDefinitionSpec | undefined;
  if (spec === undefined) return [];
  const problems: FieldProblem[] = [];
  if (!DNS_SUBDOMAIN.test(spec.group) || !spec.group.includes('.')) {
    problems.push(invalid('spec.group', spec.group, 'should be a domain with at least one dot'));
  }
  const expected = `${spec.names.plural}.${spec.group}`;
  const name = o.metadata?.['name'];
  if (name !== expected) {
    problems.push(invalid('metadata.name', name, `must be spec.names.plural+"."+spec.group ("${expected}")`));
  }
  problems.push(...validateNames(spec));
  const seen = new Set<string>();
  let storage = 0;
  spec.versions.forEach((v, i) => {
    if (seen.has(v.name)) problems.push(duplicate(`spec.versions[${i}].name`, v.name));
    seen.add(v.name);
    if (v.storage) storage++;
    problems.push(...validateVersion(v, `spec.versions[${i}]`));
  });
  if (storage !== 1) {
    problems.push(
      invalid('spec.versions', storage, 'must have exactly one version marked as storage version'),
    );
  }
  if (spec.conversion?.strategy === 'Webhook') {
    problems.push(notSupported('spec.conversion.strategy', 'Webhook', ['None']));
  }
  if (spec.preserveUnknownFields === true) {
    problems.push(
      invalid('spec.preserveUnknownFields', true, 'must be false in order to use defaults in the schema'),
    );
  }
  const oldSpec = record(old?.['spec']);
  if (oldSpec !== undefined) {
    if (oldSpec['scope'] !== spec.scope) problems.push(immutable('spec.scope', spec.scope));
    if (oldSpec['group'] !== spec.group) problems.push(immutable('spec.group', spec.group));
  }
  return problems;
}
