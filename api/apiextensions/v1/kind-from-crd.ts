/**
 * Turns a CustomResourceDefinition into KindDefinitions (one per served version), so CRD kinds go
 * through the same registry as built-in kinds. Pure; the server decides when a CRD is established.
 */
import type { JsonSchema, KindDefinition, PrinterColumn } from '../../kind.js';
import { withListTypes } from '../../list-types.js';
import { objectMetaSchema } from '../../meta.js';
import type { CustomResourceDefinition } from './custom-resource-definition.js';

const AGE: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

export function kindsFromCrd(crd: CustomResourceDefinition): KindDefinition[] {
  const { group, names, scope, versions } = crd.spec;
  return versions
    .filter((v) => v.served)
    .map((v) => {
      const root: JsonSchema = v.schema?.openAPIV3Schema ?? {
        type: 'object',
        'x-kubernetes-preserve-unknown-fields': true,
      };
      const columns = v.additionalPrinterColumns ?? [];
      // Like apiextensions-apiserver: metadata is the server's, whatever the CRD schema says.
      const schema: JsonSchema = {
        ...root,
        properties: {
          ...root.properties,
          apiVersion: { type: 'string', description: 'Versioned schema of this representation.' },
          kind: { type: 'string', description: 'The kind of object.' },
          metadata: objectMetaSchema,
        },
      };
      return {
        group,
        version: v.name,
        kind: names.kind,
        listKind: names.listKind ?? `${names.kind}List`,
        plural: names.plural,
        singular: names.singular ?? names.kind.toLowerCase(),
        shortNames: names.shortNames ?? [],
        categories: names.categories ?? [],
        namespaced: scope === 'Namespaced',
        schema,
        // Kubernetes shows Age by default only when a CRD declares no columns of its own.
        printerColumns:
          columns.length === 0
            ? [AGE]
            : columns.map((c) => ({
                name: c.name,
                type: c.type,
                jsonPath: c.jsonPath,
                ...(c.description === undefined ? {} : { description: c.description }),
                ...(c.priority === undefined ? {} : { priority: c.priority }),
                ...(c.format === undefined ? {} : { format: c.format }),
              })),
        statusSubresource: v.subresources?.status !== undefined,
        selectableFields: (v.selectableFields ?? []).map((f) => f.jsonPath),
        // CRD kinds get the same list-type checks as built-in ones; they have no other rules.
        validate: withListTypes(schema),
      };
    });
}
