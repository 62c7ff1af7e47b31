/**
 * Offers placement holds for a short while instead of declining them at once, so a task that
 * becomes Pending is placed immediately on resources already in hand rather than after the next
 * allocation round. An offer is handed back to Mesos (declined) when its hold time is over,
 * rescinded by the master, or invalid because the subscription changed.
 */
import type { Offer } from '../../pkg/mesos/types.js';

export class OfferPool {
  private readonly held = new Map<string, { offer: Offer; until: number }>();

  constructor(private readonly holdMs: number) {}

  add(offers: readonly Offer[], nowMs: number): void {
    for (const offer of offers) this.held.set(offer.id.value, { offer, until: nowMs + this.holdMs });
  }

  /** Take every held offer out of the pool for a placement round. */
  takeAll(): { offers: Offer[]; until: Map<string, number> } {
    const offers: Offer[] = [];
    const until = new Map<string, number>();
    for (const [id, h] of this.held) {
      offers.push(h.offer);
      until.set(id, h.until);
    }
    this.held.clear();
    return { offers, until };
  }

  /** Put back offers a round did not use, keeping their original deadline. */
  giveBack(offers: readonly Offer[], until: ReadonlyMap<string, number>, nowMs: number): void {
    for (const offer of offers)
      this.held.set(offer.id.value, { offer, until: until.get(offer.id.value) ?? nowMs + this.holdMs });
  }

  rescind(offerId: string): void {
    this.held.delete(offerId);
  }

  /** Remove and return the offers whose hold time is over. */
  expired(nowMs: number): Offer[] {
    const out: Offer[] = [];
    for (const [id, h] of this.held) {
      if (h.until <= nowMs) {
        out.push(h.offer);
        this.held.delete(id);
      }
    }
    return out;
  }

  clear(): void {
    this.held.clear();
  }

  get size(): number {
    return this.held.size;
  }
}
