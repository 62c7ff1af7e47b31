/**
 * A fixed-size ring of the most recent watch events: pushing is O(1) and evicts the oldest, so a
 * busy kind costs the same per event however long the server runs.
 */
export class EventRing<T extends { readonly revision: number }> {
  private readonly slots: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(capacity: number) {
    this.slots = new Array<T | undefined>(Math.max(1, capacity));
  }

  /** Adds an event; returns the evicted one when the ring was full. */
  push(event: T): T | undefined {
    const size = this.slots.length;
    const evicted = this.count === size ? this.slots[this.head] : undefined;
    this.slots[this.head] = event;
    this.head = (this.head + 1) % size;
    if (this.count < size) this.count++;
    return evicted;
  }

  clear(): void {
    this.slots.fill(undefined);
    this.head = 0;
    this.count = 0;
  }

  /** Oldest first. */
  *[Symbol.iterator](): IterableIterator<T> {
    const size = this.slots.length;
    for (let i = 0; i < this.count; i++) {
      const e = this.slots[(this.head - this.count + i + size) % size];
      if (e) yield e;
    }
  }
}
