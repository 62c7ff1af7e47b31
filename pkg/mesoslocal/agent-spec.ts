/**
 * The text formats of agent resources and attributes, as Mesos's agent flags write them:
 *   resources:  "cpus:4;mem:8192;disk:20000;ports:[31000-32000,33000-33100];gpus:1;revocable_cpus:2"
 *   attributes: "rack:r1,r2;zone:a"   (a comma list spreads agents: agent i gets value i mod n)
 */
import type { AgentResourceOptions } from './options.js';
import type { Range } from './ranges.js';

function parseRanges(text: string): Range[] {
  const inner = /^\[(.*)\]$/.exec(text.trim())?.[1];
  if (inner === undefined) throw new Error(`ports must look like [31000-32000], got '${text}'`);
  return inner.split(',').map((part) => {
    const match = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(part);
    if (match === null) throw new Error(`bad port range '${part.trim()}'`);
    const begin = Number(match[1]);
    const end = Number(match[2]);
    if (end < begin) throw new Error(`bad port range '${part.trim()}': end before begin`);
    return { begin, end };
  });
}

export function parseAgentResources(text: string): AgentResourceOptions {
  const out: { -readonly [K in keyof AgentResourceOptions]: AgentResourceOptions[K] } = {};
  for (const item of text
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '')) {
    const colon = item.indexOf(':');
    if (colon < 0) throw new Error(`resource '${item}' must be name:value`);
    const name = item.slice(0, colon).trim();
    const value = item.slice(colon + 1).trim();
    if (name === 'ports') {
      out.ports = parseRanges(value);
      continue;
    }
    const n = Number(value);
    if (value === '' || !Number.isFinite(n) || n < 0)
      throw new Error(`resource '${name}' needs a number, got '${value}'`);
    if (name === 'cpus' || name === 'mem' || name === 'disk' || name === 'gpus') out[name] = n;
    else if (name === 'revocable_cpus') out.revocableCpus = n;
    else throw new Error(`unknown resource '${name}' (cpus, mem, disk, ports, gpus, revocable_cpus)`);
  }
  return out;
}

export function parseAttributes(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const item of text
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '')) {
    const colon = item.indexOf(':');
    if (colon <= 0) throw new Error(`attribute '${item}' must be name:value`);
    const values = item
      .slice(colon + 1)
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '');
    if (values.length === 0) throw new Error(`attribute '${item}' has no value`);
    out[item.slice(0, colon).trim()] = values.length === 1 ? values[0]! : values;
  }
  return out;
}
