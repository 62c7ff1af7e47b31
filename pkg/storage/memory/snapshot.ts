/**
 * Durable snapshots of the memory store: the live keys as of one revision, written to a temp
 * file, fsynced, renamed over the old snapshot, and the directory fsynced, so a crash at any
 * moment leaves either the old snapshot or the new one, never a mix.
 *
 * Format: JSON lines. First a header {"format":1,"revision":R,"compacted":C}, then one line per key
 * {"k":key,"c":createRevision,"r":revision,"e"?:expiresAt,"v":<value>}.
 */
import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { BorealisError } from '../../errors/index.js';
import { jsonOf, type Version } from './mvcc.js';

export const SNAPSHOT_FILE = 'snapshot.jsonl';

export interface SnapshotHeader {
  readonly format: 1;
  readonly revision: number;
  readonly compacted: number;
}

export interface SnapshotEntry {
  readonly k: string;
  readonly c: number;
  readonly r: number;
  readonly e?: number;
  readonly v: unknown;
}

/** Lines per write; between chunks the event loop gets a turn so a large snapshot never stalls it. */
const CHUNK = 2000;

export async function writeSnapshot(
  dir: string,
  header: SnapshotHeader,
  entries: Iterable<[string, Version]>,
): Promise<void> {
  const tmp = join(dir, `${SNAPSHOT_FILE}.tmp`);
  const file = await open(tmp, 'w');
  try {
    await file.write(`${JSON.stringify(header)}\n`);
    let chunk: string[] = [];
    for (const [key, v] of entries) {
      const e = v.expiresAt === undefined ? '' : `,"e":${v.expiresAt}`;
      chunk.push(
        `{"k":${JSON.stringify(key)},"c":${v.createRevision},"r":${v.revision}${e},"v":${jsonOf(v)}}\n`,
      );
      if (chunk.length >= CHUNK) {
        await file.write(chunk.join(''));
        chunk = [];
      }
    }
    if (chunk.length > 0) await file.write(chunk.join(''));
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(tmp, join(dir, SNAPSHOT_FILE));
  const dirHandle = await open(dir, 'r');
  try {
    await dirHandle.sync();
  } finally {
    await dirHandle.close();
  }
}

/** The last snapshot, or undefined when the data dir has none yet. */
export async function readSnapshot(
  dir: string,
): Promise<{ header: SnapshotHeader; entries: SnapshotEntry[] } | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, SNAPSHOT_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const lines = text.split('\n').filter((l) => l.length > 0);
  const first = lines[0];
  if (first === undefined) throw new BorealisError('Internal', `snapshot ${SNAPSHOT_FILE} is empty`);
  const header = JSON.parse(first) as SnapshotHeader;
  if (header.format !== 1) {
    throw new BorealisError(
      'Internal',
      `snapshot ${SNAPSHOT_FILE} has unknown format ${String(header.format)}`,
    );
  }
  const entries: SnapshotEntry[] = [];
  for (let i = 1; i < lines.length; i++) {
    try {
      entries.push(JSON.parse(lines[i]!) as SnapshotEntry);
    } catch {
      throw new BorealisError('Internal', `snapshot ${SNAPSHOT_FILE} is damaged at line ${i + 1}`);
    }
  }
  return { header, entries };
}
