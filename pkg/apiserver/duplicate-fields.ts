/**
 * Duplicate keys in a JSON body ({"spec":{"a":1,"a":2}}): JSON.parse silently keeps the last one,
 * Kubernetes' strict decoding reports them. Found with one pass over the text, no second parse.
 */
import { BorealisError } from '../errors/index.js';
import type { WriteContext } from './write-context.js';

type Frame =
  | { array: false; path: string; keys: Set<string>; key: string }
  | { array: true; path: string; index: number };

function childPath(top: Frame | undefined): string {
  if (!top) return '';
  if (top.array) return `${top.path}[${top.index}]`;
  return top.path === '' ? top.key : `${top.path}.${top.key}`;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

/** Paths of keys that appear twice in one object, e.g. ["spec.instances"]. */
export function duplicateFields(text: string): string[] {
  const dups: string[] = [];
  const stack: Frame[] = [];
  let expectingKey = false;
  // Character codes rather than one-character strings: this runs over every JSON write body.
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let j = i + 1;
      let plain = true;
      for (; j < text.length; j++) {
        const d = text.charCodeAt(j);
        if (d === QUOTE) break;
        if (d < 0x20) plain = false;
        if (d === BACKSLASH) {
          plain = false;
          j++;
        }
      }
      const top = stack[stack.length - 1];
      if (expectingKey && top && !top.array) {
        // A well-formed key without escapes is its own text; anything else goes through JSON.parse,
        // which decodes it (or throws on a malformed body, as it always did here).
        const key =
          plain && j < text.length ? text.slice(i + 1, j) : (JSON.parse(text.slice(i, j + 1)) as string);
        if (top.keys.has(key)) dups.push(top.path === '' ? key : `${top.path}.${key}`);
        top.keys.add(key);
        top.key = key;
        expectingKey = false;
      }
      i = j;
    } else if (c === OPEN_BRACE) {
      stack.push({ array: false, path: childPath(stack[stack.length - 1]), keys: new Set(), key: '' });
      expectingKey = true;
    } else if (c === OPEN_BRACKET) {
      stack.push({ array: true, path: childPath(stack[stack.length - 1]), index: 0 });
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      stack.pop();
    } else if (c === COMMA) {
      const top = stack[stack.length - 1];
      if (top?.array) top.index++;
      else expectingKey = true;
    }
  }
  return dups;
}

/** Strict: 400 naming the fields; Warn: warnings; Ignore: nothing. */
export function checkDuplicateFields(text: string, ctx: WriteContext): void {
  if (ctx.fieldValidation === 'Ignore' || !text.includes('"')) return;
  const dups = duplicateFields(text);
  if (dups.length === 0) return;
  const described = dups.map((d) => `duplicate field "${d}"`);
  if (ctx.fieldValidation === 'Strict') {
    throw new BorealisError('BadRequest', `strict decoding error: ${described.join(', ')}`);
  }
  ctx.warnings.push(...described);
}
