/**
 * The memory store's data directory: an exclusive LOCK, the write-ahead log and snapshots.
 * Recovery reads the last snapshot, then every log record after it.
 */
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { BorealisError } from '../../errors/index.js';
import type { Version } from './mvcc.js';
import { readSnapshot, writeSnapshot } from './snapshot.js';
import { encodeRecord, readWal, type WalOp, type WalRecord, WriteAheadLog } from './wal.js';

export interface Recovered {
  readonly snapshotRevision: number;
  readonly snapshotEntries: readonly { key: string; version: Version }[];
  readonly records: readonly WalRecord[];
}

export class DataDir {
  snapshotting = false;
  private lastSnapshot = 0;

  private constructor(
    readonly path: string,
    private readonly wal: WriteAheadLog,
    private readonly snapshotEvery: number,
  ) {}

  static async open(
    path: string,
    options: { fsync: boolean; snapshotEveryRevisions: number },
  ): Promise<DataDir> {
    await mkdir(path, { recursive: true });
    await takeLock(path);
    return new DataDir(path, new WriteAheadLog(path, options.fsync), options.snapshotEveryRevisions);
  }

  async recover(): Promise<Recovered> {
    const snapshot = await readSnapshot(this.path);
    const snapshotRevision = snapshot?.header.revision ?? 1;
    this.lastSnapshot = snapshotRevision;
    const snapshotEntries = (snapshot?.entries ?? []).map((e) => ({
      key: e.k,
      version: {
        revision: e.r,
        createRevision: e.c,
        json: JSON.stringify(e.v),
        expiresAt: e.e,
      } satisfies Version,
    }));
    const records = (await readWal(this.path)).filter((r) => r.r > snapshotRevision);
    return { snapshotRevision, snapshotEntries, records };
  }

  append(revision: number, ops: readonly WalOp[]): Promise<void> {
    return this.wal.append(revision, encodeRecord(revision, ops));
  }

  /** Start a snapshot in the background when enough revisions have passed since the last. */
  maybeSnapshot(
    durable: number,
    compacted: number,
    entriesAt: (rev: number) => Iterable<[string, Version]>,
  ): void {
    if (this.snapshotting || durable - this.lastSnapshot < this.snapshotEvery) return;
    void this.snapshot(durable, compacted, entriesAt(durable)).catch(() => {
      // A failed snapshot loses nothing: the log still holds every record; the next one retries.
    });
  }

  async close(durable: number, compacted: number, entries: Iterable<[string, Version]>): Promise<void> {
    while (this.snapshotting) await new Promise((r) => setTimeout(r, 5));
    await this.wal.drain();
    if (durable > this.lastSnapshot) await this.snapshot(durable, compacted, entries);
    await this.wal.close();
    await rm(join(this.path, 'LOCK'), { force: true });
  }

  private async snapshot(
    revision: number,
    compacted: number,
    entries: Iterable<[string, Version]>,
  ): Promise<void> {
    this.snapshotting = true;
    try {
      await writeSnapshot(this.path, { format: 1, revision, compacted }, entries);
      this.lastSnapshot = revision;
      this.wal.rotate();
      await this.wal.deleteCoveredBy(revision);
    } finally {
      this.snapshotting = false;
    }
  }
}

/** One process per data dir: a LOCK file holding the owner's pid; a dead owner's lock is taken over. */
async function takeLock(path: string): Promise<void> {
  const lockPath = join(path, 'LOCK');
  try {
    const owner = Number((await readFile(lockPath, 'utf8')).trim());
    if (owner && owner !== process.pid && isAlive(owner)) {
      throw new BorealisError(
        'ServiceUnavailable',
        `data dir ${path} is in use by process ${owner}; stop it or use another --data-dir`,
      );
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const file = await open(lockPath, 'w');
  await file.write(String(process.pid));
  await file.close();
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
