/**
 * The small JSONPath subset that printer columns and selectable fields use:
 * `.a.b`, `.a[0]`, `.a[*].b` and `.a[?(@.type=="Ready")].status`. Returns every match.
 */
import { isPlainObject } from './objects.js';

type Step =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'all' }
  | { readonly kind: 'filter'; readonly field: string; readonly value: string };

const cache = new Map<string, readonly Step[]>();

function parse(path: string): readonly Step[] {
  const cached = cache.get(path);
  if (cached) return cached;
  const steps: Step[] = [];
  const src = path.trim().replace(/^\{(.*)\}$/, '$1');
  const re =
    /\.([A-Za-z0-9_\-$]+)|\[(\d+)\]|\[\*\]|\[\?\(@\.([A-Za-z0-9_.-]+)\s*==\s*["']([^"']*)["']\)\]|\['([^']+)'\]/g;
  for (const m of src.matchAll(re)) {
    if (m[1] !== undefined) steps.push({ kind: 'field', name: m[1] });
    else if (m[2] !== undefined) steps.push({ kind: 'index', index: Number(m[2]) });
    else if (m[3] !== undefined) steps.push({ kind: 'filter', field: m[3], value: m[4] ?? '' });
    else if (m[5] !== undefined) steps.push({ kind: 'field', name: m[5] });
    else steps.push({ kind: 'all' });
  }
  cache.set(path, steps);
  return steps;
}

function fieldOf(value: unknown, dotted: string): unknown {
  let cur = value;
  for (const part of dotted.split('.')) cur = isPlainObject(cur) ? cur[part] : undefined;
  return cur;
}

export function jsonPathAll(obj: unknown, path: string): unknown[] {
  let current: unknown[] = [obj];
  for (const step of parse(path)) {
    const next: unknown[] = [];
    for (const v of current) {
      if (step.kind === 'field') {
        if (isPlainObject(v) && v[step.name] !== undefined) next.push(v[step.name]);
      } else if (Array.isArray(v)) {
        if (step.kind === 'index') {
          if (v[step.index] !== undefined) next.push(v[step.index]);
        } else if (step.kind === 'all') next.push(...v);
        else next.push(...v.filter((item) => String(fieldOf(item, step.field)) === step.value));
      }
    }
    current = next;
  }
  return current;
}

/** The first match, or undefined. */
export function jsonPath(obj: unknown, path: string): unknown {
  return jsonPathAll(obj, path)[0];
}
