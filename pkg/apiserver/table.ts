/**
 * Table output (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`): kubectl get prints the
 * cells verbatim, so the server renders them, ages included, the way kube-apiserver does.
 */
import type { ApiObject, KindDefinition, PrinterColumn } from '../../api/kind.js';
import { jsonPath } from './jsonpath.js';
import { metaOf, metaString } from './objects.js';

const NAME_COLUMN = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace.',
  priority: 0,
};

const AGE_COLUMN: PrinterColumn = {
  name: 'Age',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
  description: 'Time since the object was created.',
};

/** Like k8s.io/apimachinery/pkg/util/duration.HumanDuration: 45s, 5m, 2d3h, 3y12d. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8)
    return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  const years = Math.floor(hours / 24 / 365);
  if (hours < 24 * 365 * 8) return `${years}y${Math.floor(hours / 24) % 365}d`;
  return `${years}y`;
}

export function columnsOf(kind: KindDefinition): readonly PrinterColumn[] {
  return kind.printerColumns.length > 0 ? kind.printerColumns : [AGE_COLUMN];
}

function cell(obj: ApiObject, col: PrinterColumn, now: number): unknown {
  const value = jsonPath(obj, col.jsonPath);
  if (value === undefined || value === null) return null;
  if (col.type === 'date') {
    const t = typeof value === 'string' ? Date.parse(value) : Number.NaN;
    return Number.isNaN(t) ? null : humanDuration(now - t);
  }
  if (col.type === 'integer' || col.type === 'number')
    return typeof value === 'number' ? value : Number(value);
  if (col.type === 'boolean') return typeof value === 'boolean' ? value : value === 'true';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

function rowObject(obj: ApiObject, include: IncludeObject): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: metaOf(obj) };
}

export interface TableOptions {
  readonly now: number;
  readonly includeObject: IncludeObject;
  /** Leave out columnDefinitions (watch events after the first carry only rows). */
  readonly noHeaders?: boolean;
  readonly listMeta?: Record<string, unknown>;
}

export function toTable(
  kind: KindDefinition,
  objects: readonly ApiObject[],
  opts: TableOptions,
): Record<string, unknown> {
  const columns = columnsOf(kind);
  const definitions = [
    NAME_COLUMN,
    ...columns.map((c) => ({
      name: c.name,
      type: c.type === 'date' ? 'string' : c.type,
      format: c.format ?? (c.type === 'date' ? 'date' : ''),
      description: c.description ?? '',
      priority: c.priority ?? 0,
    })),
  ];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: opts.listMeta ?? {},
    columnDefinitions: opts.noHeaders ? [] : definitions,
    rows: objects.map((obj) => {
      const row: Record<string, unknown> = {
        cells: [metaString(obj, 'name') ?? '', ...columns.map((c) => cell(obj, c, opts.now))],
      };
      const o = rowObject(obj, opts.includeObject);
      if (o !== undefined) row['object'] = o;
      return row;
    }),
  };
}

/** Whether the Accept header asks for a Table (kubectl get does, falling back to JSON). */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const params = part.split(';').map((p) => p.trim());
    return params.includes('as=Table') && params.includes('g=meta.k8s.io');
  });
}
