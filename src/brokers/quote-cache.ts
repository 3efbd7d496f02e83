// Quotes and depth kept for a few milliseconds per broker connection (DESIGN §5), to shield a broker from polling
// storms: within the time-to-live every request for an instrument gets the same answer, and requests that arrive
// while it is being fetched share that one fetch. Failures are never kept; the next request asks the broker again.
import type { Clock } from '../domain/clock.js';
import type { Exchange } from '../domain/instrument.js';
import type { DepthView, QuoteView } from '../domain/market.js';
import type { Broker } from './broker.js';
import { DelegatingBroker } from './delegating-broker.js';

interface Entry<T> {
  value: Promise<T>;
  /** Epoch ms after which the entry is stale; Infinity while its fetch is in flight. */
  expiresAt: number;
}

/** Above this many kept instruments, stale entries are dropped at the next store. */
const SWEEP_ABOVE = 5000;

class TtlCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly ttlMs: number,
    private readonly clock: Clock,
  ) {}

  get(key: string, fetch: () => Promise<T>): Promise<T> {
    const now = this.clock.now();
    const kept = this.entries.get(key);
    if (kept && now < kept.expiresAt) return kept.value;
    if (this.entries.size > SWEEP_ABOVE) this.sweep(now);
    const entry: Entry<T> = { value: fetch(), expiresAt: Infinity };
    this.entries.set(key, entry);
    entry.value.then(
      () => {
        entry.expiresAt = this.clock.now() + this.ttlMs;
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return entry.value;
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.entries) if (now >= entry.expiresAt) this.entries.delete(key);
  }
}

export class QuoteCachingBroker extends DelegatingBroker {
  private readonly quotes: TtlCache<QuoteView>;
  private readonly depths: TtlCache<DepthView>;

  /** `ttlMs` after each answer arrives, on `clock`. */
  constructor(inner: Broker, ttlMs: number, clock: Clock) {
    super(inner);
    this.quotes = new TtlCache(ttlMs, clock);
    this.depths = new TtlCache(ttlMs, clock);
  }

  override getQuote(symbol: string, exchange: Exchange): Promise<QuoteView> {
    return this.quotes.get(`${exchange}:${symbol}`, () => this.inner.getQuote(symbol, exchange));
  }

  override getDepth(symbol: string, exchange: Exchange): Promise<DepthView> {
    return this.depths.get(`${exchange}:${symbol}`, () => this.inner.getDepth(symbol, exchange));
  }
}
