/**
 * Label selectors (=, ==, !=, in, notin, exists, !exists) and field selectors (=, ==, !=) as
 * kubectl and client libraries send them, parsed once per request into matchers.
 */
import type { ApiObject, KindDefinition } from '../../api/kind.js';
import { jsonPath } from './jsonpath.js';
import { labelsOf, metaString } from './objects.js';
import { badRequest } from './status.js';

type Matcher = (obj: ApiObject) => boolean;

/** Splits on commas that are not inside parentheses ("a in (x,y),b" → ["a in (x,y)", "b"]). */
function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(s.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

function labelRequirement(req: string): Matcher {
  const setMatch = /^([^\s!=()]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(req);
  if (setMatch) {
    const [, key = '', op, list = ''] = setMatch;
    const values = new Set(list.split(',').map((v) => v.trim()));
    if (op === 'in') return (o) => values.has(labelsOf(o)[key] ?? '\u0000missing');
    return (o) => {
      const v = labelsOf(o)[key];
      return v === undefined || !values.has(v);
    };
  }
  const cmp = /^([^\s!=()]+)\s*(==|=|!=)\s*([^\s!=()]*)$/.exec(req);
  if (cmp) {
    const [, key = '', op, value = ''] = cmp;
    if (op === '!=') return (o) => labelsOf(o)[key] !== value;
    return (o) => labelsOf(o)[key] === value;
  }
  const notExists = /^!\s*([^\s!=()]+)$/.exec(req);
  if (notExists) {
    const key = notExists[1] ?? '';
    return (o) => labelsOf(o)[key] === undefined;
  }
  if (/^[^\s!=(),]+$/.test(req)) return (o) => labelsOf(o)[req] !== undefined;
  throw badRequest(`unable to parse requirement: found '${req}', expected: in, notin, =, ==, !=, gt, lt`);
}

export function parseLabelSelector(selector: string | undefined): Matcher | undefined {
  if (selector === undefined || selector.trim() === '') return undefined;
  const matchers = splitTopLevel(selector).map(labelRequirement);
  return (o) => matchers.every((m) => m(o));
}

/** Value of a selectable field as a string ("" when absent), or undefined if not selectable. */
function fieldGetter(kind: KindDefinition, field: string): ((o: ApiObject) => string) | undefined {
  if (field === 'metadata.name') return (o) => metaString(o, 'name') ?? '';
  if (field === 'metadata.namespace') return (o) => metaString(o, 'namespace') ?? '';
  const path = `.${field}`;
  if (!kind.selectableFields.includes(path)) return undefined;
  return (o) => {
    const v = jsonPath(o, path);
    return v === undefined || v === null ? '' : String(v);
  };
}

export function parseFieldSelector(kind: KindDefinition, selector: string | undefined): Matcher | undefined {
  if (selector === undefined || selector.trim() === '') return undefined;
  const matchers = splitTopLevel(selector).map((req): Matcher => {
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(req);
    if (!m) throw badRequest(`invalid selector: '${req}'; can't understand '${req}'`);
    const [, field = '', op, value = ''] = m;
    const get = fieldGetter(kind, field.trim());
    if (!get) throw badRequest(`field label not supported: ${field.trim()}`);
    const v = value.trim();
    return op === '!=' ? (o) => get(o) !== v : (o) => get(o) === v;
  });
  return (o) => matchers.every((m) => m(o));
}

/** All of the given matchers (undefined ones ignored); undefined when there are none. */
export function combine(...matchers: (Matcher | undefined)[]): Matcher | undefined {
  const present = matchers.filter((m): m is Matcher => m !== undefined);
  if (present.length === 0) return undefined;
  return (o) => present.every((m) => m(o));
}
