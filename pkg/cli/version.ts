import { readFileSync } from 'node:fs';

/** The package version, read from package.json next to the compiled or source tree. */
export function readVersion(): string {
  for (const candidate of ['../../package.json', '../../../package.json']) {
    try {
      const raw = readFileSync(new URL(candidate, import.meta.url), 'utf8');
      const parsed = JSON.parse(raw) as { name?: string; version?: string };
      if (parsed.name === 'borealis' && parsed.version) return parsed.version;
    } catch {
      // try the next location
    }
  }
  return '0.0.0';
}
