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

/** Paths of keys that appear twice in one object, e.g. ["spec.instances"]. */
export function duplicateFields(text: string): string[] {
  const dups: string[] = [];
  const stack: Frame[] = [];
  let expectingKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const top = stack[stack.length - 1];
      if (expectingKey && top && !top.array) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.keys.has(key)) dups.push(top.path === '' ? key : `${top.path}.${key}`);
        top.keys.add(key);
        top.key = key;
        expectingKey = false;
      }
      i = j;
    } else if (c === '{') {
      stack.push({ array: false, path: childPath(stack[stack.length - 1]), keys: new Set(), key: '' });
      expectingKey = true;
    } else if (c === '[') {
      stack.push({ array: true, path: childPath(stack[stack.length - 1]), index: 0 });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
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
