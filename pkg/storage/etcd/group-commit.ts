/**
 * Group commit: single-key writes that arrive while the store is busy leave together, as one
 * transaction, instead of one round trip each. Each etcd call costs the client about as much CPU
 * as a whole write does on the server side (gRPC framing, etcd3's call policies), so a launch of
 * thousands of tasks was bounded by how many calls one process could make, not by etcd.
 *
 * The queue knows nothing of etcd: `commit` writes a batch and settles each write itself,
 * handing back the writes that should simply be tried again (their guard held, but another write
 * of the same transaction failed its own, so etcd wrote nothing). Those go again next, alone as a
 * batch of their own: each failed round settles at least the write that failed, so a retried
 * write is settled within as many rounds as its batch had writes — it can never be refused for
 * failures that were not its own. Writes of one key never share a batch nor are in flight
 * together, so they commit in the order they were submitted.
 */

export interface QueuedWrite {
  readonly key: string;
  /** Encoded size, to keep a batch under etcd's request limit. */
  readonly bytes: number;
  /** Fail the write (a no-op once it is settled). */
  reject(err: Error): void;
}

export interface GroupCommitOptions {
  /** Batches in flight at once; while they are, new writes wait and gather. */
  readonly maxInFlight: number;
  /** Writes per batch (etcd refuses transactions over --max-txn-ops, 128 by default). */
  readonly maxWrites: number;
  /** Encoded bytes per batch (etcd refuses requests over --max-request-bytes, 1.5 MiB). */
  readonly maxBytes: number;
}

export const DEFAULT_GROUP_COMMIT: GroupCommitOptions = {
  maxInFlight: 4,
  maxWrites: 128,
  maxBytes: 1024 * 1024,
};

export class GroupCommitter<W extends QueuedWrite> {
  private queue: W[] = [];
  /** Writes handed back by a failed batch, each group sent again as it was. */
  private readonly retries: W[][] = [];
  private inFlight = 0;
  private scheduled = false;
  /** Keys of the batches in flight: their next writes wait, or they could overtake. */
  private readonly busyKeys = new Set<string>();

  constructor(
    private readonly commit: (batch: readonly W[]) => Promise<readonly W[]>,
    private readonly options: GroupCommitOptions = DEFAULT_GROUP_COMMIT,
  ) {}

  /** Queue a write; `commit` settles it. */
  submit(write: W): void {
    this.queue.push(write);
    this.schedule();
  }

  private schedule(): void {
    const waiting = this.queue.length > 0 || this.retries.length > 0;
    if (this.scheduled || this.inFlight >= this.options.maxInFlight || !waiting) return;
    this.scheduled = true;
    // After the current turn of the event loop: writes issued together (a Promise.all of creates,
    // a burst of requests read from one socket) leave together.
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.inFlight < this.options.maxInFlight && (this.queue.length > 0 || this.retries.length > 0)) {
      const batch = this.retries.shift() ?? this.take();
      if (batch.length === 0) return; // everything waiting is behind a key in flight
      for (const w of batch) this.busyKeys.add(w.key);
      this.inFlight++;
      void this.commit(batch).then(
        (retry) => this.done(batch, retry),
        // `commit` settles every write, also when etcd fails; should it throw, no write may hang.
        (err: unknown) => {
          const error = err instanceof Error ? err : new Error(String(err));
          for (const w of batch) w.reject(error);
          this.done(batch, []);
        },
      );
    }
  }

  private done(batch: readonly W[], retry: readonly W[]): void {
    this.inFlight--;
    for (const w of batch) this.busyKeys.delete(w.key);
    if (retry.length > 0) this.retries.push([...retry]);
    this.schedule();
  }

  /** The next batch: queue order, one write per key, within the size limits. */
  private take(): W[] {
    const batch: W[] = [];
    const rest: W[] = [];
    const keys = new Set<string>();
    let bytes = 0;
    for (const w of this.queue) {
      const fits =
        batch.length < this.options.maxWrites &&
        (batch.length === 0 || bytes + w.bytes <= this.options.maxBytes) &&
        !keys.has(w.key) &&
        !this.busyKeys.has(w.key);
      // Once a key is held back, its later writes wait too (order per key).
      if (fits) {
        batch.push(w);
        bytes += w.bytes;
      } else rest.push(w);
      keys.add(w.key);
    }
    this.queue = rest;
    return batch;
  }
}
