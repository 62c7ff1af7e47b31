import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  type CustomResourceDefinition,
  customResourceDefinitionKind as crdKind,
} from '../../../api/apiextensions/v1/custom-resource-definition.js';
import { kindsFromCrd } from '../../../api/apiextensions/v1/kind-from-crd.js';
import { admit, variant } from './admit.js';

const widgets = parse(
  readFileSync(new URL('./fixtures/widget-crd.yaml', import.meta.url), 'utf8'),
) as CustomResourceDefinition;
const v0 = (c: CustomResourceDefinition) => c.spec.versions[0]!;

describe('CustomResourceDefinition', () => {
  it('accepts a CRD manifest written for a real cluster, defaulting conversion to None', () => {
    const { object, errors } = admit(crdKind, widgets);
    expect(errors).toEqual([]);
    expect((object as unknown as CustomResourceDefinition).spec.conversion).toEqual({ strategy: 'None' });
  });

  it('accepts the status the server writes once the names are accepted and the kind is served', () => {
    const established = variant(widgets, (c) => {
      c.status = {
        acceptedNames: { plural: 'widgets', kind: 'Widget' },
        storedVersions: ['v1alpha1'],
        conditions: [
          {
            type: 'NamesAccepted',
            status: 'True',
            reason: 'NoConflicts',
            lastTransitionTime: '2026-11-22T01:00:00Z',
          },
          {
            type: 'Established',
            status: 'True',
            reason: 'InitialNamesAccepted',
            lastTransitionTime: '2026-11-22T01:00:00Z',
          },
        ],
      };
    });
    expect(admit(crdKind, established).errors).toEqual([]);
  });

  const rejected: readonly [string, (c: CustomResourceDefinition) => void, string][] = [
    [
      'a name that is not <plural>.<group>',
      (c) => {
        c.metadata.name = 'widget.example.com';
      },
      'metadata.name: Invalid value: "widget.example.com": must be spec.names.plural+"."+spec.group ("widgets.example.com")',
    ],
    [
      'a group without a dot',
      (c) => {
        c.spec.group = 'example';
        c.metadata.name = 'widgets.example';
      },
      'spec.group: Invalid value: "example": should be a domain with at least one dot',
    ],
    [
      'no storage version',
      (c) => {
        v0(c).storage = false;
      },
      'spec.versions: Invalid value: 0: must have exactly one version marked as storage version',
    ],
    [
      'a version without a schema',
      (c) => {
        delete v0(c).schema;
      },
      'spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required',
    ],
    [
      'a non-structural schema (a field without a type)',
      (c) => {
        delete (v0(c).schema!.openAPIV3Schema!.properties!['spec'] as { type?: string }).type;
      },
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields',
    ],
    [
      'an unknown scope',
      (c) => {
        c.spec.scope = 'Global' as never;
      },
      'spec.scope: Unsupported value: "Global": supported values: "Namespaced", "Cluster"',
    ],
    [
      'an upper-case plural',
      (c) => {
        c.spec.names.plural = 'Widgets';
        c.metadata.name = 'Widgets.example.com';
      },
      'spec.names.plural: Invalid value: "Widgets": must be a lower-case DNS label, e.g. widgets',
    ],
    [
      'a printer column of an unknown type',
      (c) => {
        v0(c).additionalPrinterColumns![0]!.type = 'float' as never;
      },
      'spec.versions[0].additionalPrinterColumns[0].type: Unsupported value: "float": supported values: "integer", "number", "string", "boolean", "date"',
    ],
    [
      'a missing kind',
      (c) => {
        delete (c.spec.names as { kind?: string }).kind;
      },
      'spec.names.kind: Required value',
    ],
  ];

  it.each(rejected)('rejects %s', (_, mutate, expected) => {
    expect(admit(crdKind, variant(widgets, mutate)).errors).toContain(expected);
  });

  it('refuses to change scope after creation', () => {
    const stored = admit(crdKind, widgets).object;
    const changed = variant(widgets, (c) => {
      c.spec.scope = 'Cluster';
    });
    expect(admit(crdKind, changed, stored).errors).toEqual([
      'spec.scope: Invalid value: "Cluster": field is immutable',
    ]);
  });
});

describe('kindsFromCrd', () => {
  const [widgetKind] = kindsFromCrd(widgets);

  it("serves the CRD's kind with its names, columns, status subresource and selectable fields", () => {
    expect(widgetKind).toMatchObject({
      group: 'example.com',
      version: 'v1alpha1',
      kind: 'Widget',
      plural: 'widgets',
      shortNames: ['wd'],
      namespaced: true,
      statusSubresource: true,
      selectableFields: ['.spec.color'],
    });
    expect(widgetKind?.printerColumns.map((c) => c.name)).toEqual(['Size', 'Phase', 'Age']);
  });

  it("applies the CRD schema's defaults and rules to custom objects", () => {
    const widget = {
      apiVersion: 'example.com/v1alpha1',
      kind: 'Widget',
      metadata: { name: 'w' },
      spec: { size: 5 },
    };
    const ok = admit(widgetKind!, widget);
    expect(ok.errors).toEqual([]);
    expect(ok.object['spec']).toEqual({ size: 5, color: 'green' });
    const bad = admit(widgetKind!, { ...widget, spec: { size: 0, color: 'pink' } });
    expect(bad.errors).toEqual([
      'spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1',
      'spec.color: Unsupported value: "pink": supported values: "red", "green", "blue"',
    ]);
  });

  it('shows only Age when the CRD declares no columns, as Kubernetes does', () => {
    const bare = variant(widgets, (c) => {
      delete v0(c).additionalPrinterColumns;
    });
    expect(kindsFromCrd(bare)[0]?.printerColumns.map((c) => c.jsonPath)).toEqual([
      '.metadata.creationTimestamp',
    ]);
  });

  it('does not serve versions marked served: false', () => {
    expect(
      kindsFromCrd(
        variant(widgets, (c) => {
          v0(c).served = false;
        }),
      ),
    ).toEqual([]);
  });
});

describe('a CRD with what real operators ship (versions, scale, CEL rules, int-or-string)', () => {
  const backups = parse(
    readFileSync(new URL('./fixtures/backup-crd.yaml', import.meta.url), 'utf8'),
  ) as CustomResourceDefinition;

  it('is accepted as written', () => {
    expect(admit(crdKind, backups).errors).toEqual([]);
  });

  it('serves both versions, the deprecated one schemaless', () => {
    const kinds = kindsFromCrd(backups);
    expect(kinds.map((k) => k.version)).toEqual(['v1beta1', 'v1']);
    const loose = {
      apiVersion: 'ops.example.org/v1beta1',
      kind: 'Backup',
      metadata: { name: 'b' },
      anything: 1,
    };
    expect(admit(kinds[0]!, loose).errors).toEqual([]);
  });

  it('checks custom objects of the storage version against its schema', () => {
    const v1 = kindsFromCrd(backups)[1]!;
    const backup = { apiVersion: 'ops.example.org/v1', kind: 'Backup', metadata: { name: 'b' } };
    const ok = admit(v1, { ...backup, spec: { retention: 3, window: '2h', target: null } });
    expect(ok.errors).toEqual([]);
    expect(ok.object['spec']).toMatchObject({ replicas: 1 });
    expect(admit(v1, { ...backup, spec: { window: 5 } }).errors).toEqual(['spec.retention: Required value']);
  });
});
