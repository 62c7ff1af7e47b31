/**
 * Write-ahead log for the memory store: one line of JSON per committed transaction, appended
 * and fsynced before the transaction is acknowledged. Appends that arrive while a flush is under
 * way are written together by the next flush (group commit), so one fsync serves many writers.
 *
 * Files are `wal-<first revision>.log` in the data dir; a snapshot makes older files deletable.
 */
import { type FileHandle, open, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { BorealisError } from '../../errors/index.js';

/** One operation as logged: a put (with raw JSON value) or a delete. */
export type WalOp =
  | { readonly k: string; readonly v: string; readonly c: number; readonly e?: number }
  | { readonly k: string; readonly d: 1 };

/** A record as read back: values are parsed JSON again. */
export type ReplayOp =
  | { readonly k: string; readonly v: unknown; readonly c: number; readonly e?: number }
  | { readonly k: string; readonly d: 1 };

export interface WalRecord {
  readonly r: number;
  readonly o: readonly ReplayOp[];
}

const FILE_RE = /^wal-(\d{16})\.log$/;

export function walFileName(firstRevision: number): string {
  return `wal-${String(firstRevision).padStart(16, '0')}.log`;
}

/** Serialize a record without re-encoding the values, which are JSON text already. */
export function encodeRecord(revision: number, ops: readonly WalOp[]): string {
  const parts = ops.map((op) =>
    'd' in op
      ? `{"k":${JSON.stringify(op.k)},"d":1}`
      : `{"k":${JSON.stringify(op.k)},"c":${op.c}${op.e === undefined ? '' : `,"e":${op.e}`},"v":${op.v}}`,
  );
  return `{"r":${revision},"o":[${parts.join(',')}]}\n`;
}

interface Pending {
  readonly line: string;
  readonly revision: number;
  resolve(): void;
  reject(err: Error): void;
}

export class WriteAheadLog {
  private file: FileHandle | undefined;
  private queue: Pending[] = [];
  private flushing = false;
  private rotateRequested = false;
  private failed: Error | undefined;

  constructor(
    private readonly dir: string,
    private readonly fsync: boolean,
  ) {}

  /** Append a record; resolves once it is on disk (fsynced when fsync is on). */
  append(revision: number, line: string): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.queue.push({ line, revision, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // Let the writers of this tick join the batch before the write starts.
        setImmediate(() => void this.flushLoop());
      }
    });
  }

  /** Start a new file at the next flush (after a snapshot, so older files can be deleted). */
  rotate(): void {
    this.rotateRequested = true;
  }

  /** Wait until everything appended so far is on disk. */
  async drain(): Promise<void> {
    while (this.flushing) await new Promise((r) => setImmediate(r));
  }

  async close(): Promise<void> {
    await this.drain();
    await this.file?.close();
    this.file = undefined;
  }

  /** Delete log files whose every record is at or before `revision` (covered by a snapshot). */
  async deleteCoveredBy(revision: number): Promise<void> {
    const files = await listWalFiles(this.dir);
    for (let i = 0; i + 1 < files.length; i++) {
      if (files[i + 1]!.firstRevision - 1 <= revision)
        await rm(join(this.dir, files[i]!.name), { force: true });
    }
  }

  private async flushLoop(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        if (!this.file || this.rotateRequested) {
          await this.file?.close();
          this.rotateRequested = false;
          // 'w': a file of this name can only hold a torn record from a crashed run (dropped at start).
          this.file = await open(join(this.dir, walFileName(batch[0]!.revision)), 'w');
        }
        await this.file.write(batch.map((p) => p.line).join(''));
        if (this.fsync) await this.file.datasync();
        for (const p of batch) p.resolve();
      } catch (err) {
        // A log that cannot be written is a store that cannot acknowledge anything more.
        this.failed = new BorealisError(
          'ServiceUnavailable',
          `write-ahead log failed: ${(err as Error).message}`,
          {
            cause: err,
          },
        );
        for (const p of [...batch, ...this.queue]) p.reject(this.failed);
        this.queue = [];
      }
    }
    this.flushing = false;
  }
}

export async function listWalFiles(dir: string): Promise<{ name: string; firstRevision: number }[]> {
  const names = await readdir(dir);
  return names
    .map((name) => ({ name, m: FILE_RE.exec(name) }))
    .filter((x): x is { name: string; m: RegExpExecArray } => x.m !== null)
    .map(({ name, m }) => ({ name, firstRevision: Number(m[1]) }))
    .sort((a, b) => a.firstRevision - b.firstRevision);
}

/**
 * Every record in the log files, oldest first. A torn final line in the newest file (a crash
 * mid-write, never acknowledged) is dropped; damage anywhere else stops start-up with the place.
 */
export async function readWal(dir: string): Promise<WalRecord[]> {
  const files = await listWalFiles(dir);
  const records: WalRecord[] = [];
  for (const [fileIndex, file] of files.entries()) {
    const text = await readFile(join(dir, file.name), 'utf8');
    const lines = text.split('\n');
    const complete = text.endsWith('\n') || text.length === 0;
    const isNewest = fileIndex === files.length - 1;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (line.length === 0) continue;
      const isTail = i === lines.length - 1 && !complete;
      try {
        records.push(JSON.parse(line) as WalRecord);
      } catch {
        if (isTail && isNewest) break;
        throw new BorealisError('Internal', `write-ahead log ${file.name} is damaged at line ${i + 1}`);
      }
      if (isTail && !isNewest) {
        throw new BorealisError('Internal', `write-ahead log ${file.name} ends mid-record at line ${i + 1}`);
      }
    }
  }
  return records;
}
