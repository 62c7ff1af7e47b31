/**
 * The kind registry: every served kind, built-in or CRD-registered, as a KindDefinition with its
 * compiled schema. Discovery, OpenAPI, REST routing and gRPC all read from here, so a kind added
 * at run time (a CRD) is served everywhere at once.
 */
import type { KindDefinition } from '../../api/kind.js';
import { KindSchema } from './schema.js';

export interface ServedKind {
  readonly def: KindDefinition;
  readonly schema: KindSchema;
  /** Where it came from: "builtin" or the name of the CRD that registered it. */
  readonly source: string;
}

export type RegistryListener = (change: 'added' | 'removed', kind: ServedKind) => void;

function resourceKey(group: string, version: string, plural: string): string {
  return `${group}/${version}/${plural}`;
}

export class KindRegistry {
  private readonly byResource = new Map<string, ServedKind>();
  private readonly listeners = new Set<RegistryListener>();
  /** Bumped on every change; part of the OpenAPI hash so clients refetch. */
  private generationCounter = 0;

  get generation(): number {
    return this.generationCounter;
  }

  /**
   * Serves `def`, replacing a kind with the same group/version/plural in place (listeners see
   * "added" again, so they must treat it as idempotent; watches of the kind keep running).
   */
  register(def: KindDefinition, source = 'builtin'): ServedKind {
    const key = resourceKey(def.group, def.version, def.plural);
    const served: ServedKind = { def, schema: new KindSchema(def.schema), source };
    this.byResource.set(key, served);
    this.generationCounter++;
    for (const l of this.listeners) l('added', served);
    return served;
  }

  unregister(group: string, version: string, plural: string): void {
    const key = resourceKey(group, version, plural);
    const existing = this.byResource.get(key);
    if (existing) this.remove(key, existing);
  }

  private remove(key: string, served: ServedKind): void {
    this.byResource.delete(key);
    this.generationCounter++;
    for (const l of this.listeners) l('removed', served);
  }

  lookup(group: string, version: string, plural: string): ServedKind | undefined {
    return this.byResource.get(resourceKey(group, version, plural));
  }

  /** By kind name, e.g. ("", "Namespace"). */
  byKind(group: string, kind: string): ServedKind | undefined {
    for (const served of this.byResource.values()) {
      if (served.def.group === group && served.def.kind === kind) return served;
    }
    return undefined;
  }

  all(): readonly ServedKind[] {
    return [...this.byResource.values()];
  }

  onChange(listener: RegistryListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
