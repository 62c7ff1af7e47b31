/**
 * A minimal in-memory Store for the API server's tests until pkg/storage's MemoryStore lands on
 * main (then this file goes). Keeps a full event history so watches can resume from any revision
 * after the last compaction.
 */
import { BorealisError } from '../../../../pkg/errors/index.js';
import type {
  ListOptions,
  ListResult,
  Store,
  StoredValue,
  TxnOp,
  TxnResult,
  WatchEvent,
  WatchHandle,
  WatchListener,
  WatchOptions,
} from '../../../../pkg/storage/types.js';

function freeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    Object.freeze(v);
    for (const x of Object.values(v)) freeze(x);
  }
  return v;
}

export class InterimMemoryStore implements Store {
  readonly name = 'memory';
  private readonly data = new Map<string, StoredValue>();
  private revision = 1;
  private compacted = 0;
  private readonly history: WatchEvent[] = [];
  private readonly watchers = new Set<{ prefix: string; listener: WatchListener }>();

  async get<T>(key: string): Promise<StoredValue<T> | undefined> {
    return this.data.get(key) as StoredValue<T> | undefined;
  }
  async create<T>(key: string, value: T): Promise<StoredValue<T>> {
    const r = await this.txn([{ op: 'create', key, value }]);
    return r.results[0] as StoredValue<T>;
  }
  async update<T>(key: string, value: T, expectedRevision: number): Promise<StoredValue<T>> {
    const r = await this.txn([{ op: 'update', key, value, expectedRevision }]);
    return r.results[0] as StoredValue<T>;
  }
  async delete<T>(key: string, expectedRevision?: number): Promise<StoredValue<T>> {
    const r = await this.txn([
      { op: 'delete', key, ...(expectedRevision !== undefined ? { expectedRevision } : {}) },
    ]);
    return r.results[0] as StoredValue<T>;
  }
  async txn(ops: readonly TxnOp[]): Promise<TxnResult> {
    for (const op of ops) {
      const cur = this.data.get(op.key);
      if (op.op === 'create' && cur) throw new BorealisError('AlreadyExists', `${op.key} exists`);
      if ((op.op === 'update' || op.op === 'delete') && !cur)
        throw new BorealisError('NotFound', `${op.key} not found`);
      const expected = op.op === 'create' ? undefined : op.expectedRevision;
      if (op.op === 'check' && (cur?.revision ?? 0) !== op.expectedRevision)
        throw new BorealisError('Conflict', op.key);
      if (op.op !== 'check' && expected !== undefined && cur && cur.revision !== expected) {
        throw new BorealisError('Conflict', `${op.key} modified`);
      }
    }
    const revision = ++this.revision;
    const events: WatchEvent[] = [];
    const results = ops.map((op) => {
      const cur = this.data.get(op.key);
      if (op.op === 'check') return cur;
      if (op.op === 'delete') {
        this.data.delete(op.key);
        events.push({ type: 'delete', key: op.key, revision, prev: cur! });
        return cur;
      }
      const value = freeze(structuredClone(op.value));
      const stored: StoredValue = {
        key: op.key,
        value,
        revision,
        createRevision: cur?.createRevision ?? revision,
      };
      this.data.set(op.key, stored);
      events.push({ type: 'put', key: op.key, revision, value: stored, ...(cur ? { prev: cur } : {}) });
      return stored;
    });
    this.history.push(...events);
    for (const w of this.watchers) {
      const mine = events.filter((e) => e.key.startsWith(w.prefix));
      if (mine.length > 0) w.listener.onEvents(mine);
    }
    return { revision, results };
  }
  async list<T>(prefix: string, options: ListOptions = {}): Promise<ListResult<T>> {
    let start = '';
    let revision = this.revision;
    if (options.continue) {
      const parsed = JSON.parse(Buffer.from(options.continue, 'base64').toString()) as {
        k: string;
        r: number;
      };
      if (parsed.r < this.compacted) throw new BorealisError('Expired', 'continue token expired');
      start = parsed.k;
      revision = parsed.r;
    }
    const keys = [...this.data.keys()].filter((k) => k.startsWith(prefix) && k > start).sort();
    const limit = options.limit && options.limit > 0 ? options.limit : keys.length;
    const page = keys.slice(0, limit);
    const items = page.map((k) => this.data.get(k)!) as StoredValue<T>[];
    const more = keys.length > page.length;
    return {
      items,
      revision,
      ...(more
        ? {
            continue: Buffer.from(JSON.stringify({ k: page[page.length - 1], r: revision })).toString(
              'base64',
            ),
            remainingCount: keys.length - page.length,
          }
        : {}),
    };
  }
  watch<T>(prefix: string, options: WatchOptions, listener: WatchListener<T>): WatchHandle {
    const l = listener as WatchListener;
    if (options.fromRevision < this.compacted) {
      queueMicrotask(() => l.onError(new BorealisError('Expired', 'required revision has been compacted')));
      return { ready: Promise.resolve(), close: () => {} };
    }
    const past = this.history.filter((e) => e.revision > options.fromRevision && e.key.startsWith(prefix));
    if (past.length > 0) l.onEvents(past);
    const w = { prefix, listener: l };
    this.watchers.add(w);
    return { ready: Promise.resolve(), close: () => this.watchers.delete(w) };
  }
  async currentRevision(): Promise<number> {
    return this.revision;
  }
  async compact(revision: number): Promise<void> {
    this.compacted = revision;
    while (this.history.length > 0 && (this.history[0]?.revision ?? 0) <= revision) this.history.shift();
  }
  async close(): Promise<void> {}
}
