// What the adapter remembers of the orders it placed and OpenAlgo's books do not carry (Ordergate's id of each, its
// disclosed quantity, its strategy tag), so that later reports of those orders show them too. Memory only: after a
// restart the core matches reports by the upstream's order id, which it keeps beside its own.
import type { PlacedTerms } from './v1-orders.js';

/** Orders remembered at most (oldest forgotten first): about a busy day's worth. */
const REMEMBERED = 10_000;

export class PlacedOrders {
  private readonly terms = new Map<string, PlacedTerms>();

  get(orderId: string): PlacedTerms | undefined {
    return this.terms.get(orderId);
  }

  /** Remembers (or updates) the terms of the upstream's order `orderId`. */
  remember(orderId: string, terms: PlacedTerms): void {
    const known = this.terms.get(orderId);
    this.terms.delete(orderId);
    this.terms.set(orderId, { ...known, ...withoutUndefined(terms) });
    if (this.terms.size > REMEMBERED) {
      const oldest = this.terms.keys().next().value;
      if (oldest !== undefined) this.terms.delete(oldest);
    }
  }
}

function withoutUndefined(terms: PlacedTerms): PlacedTerms {
  return Object.fromEntries(Object.entries(terms).filter(([, value]) => value !== undefined)) as PlacedTerms;
}
