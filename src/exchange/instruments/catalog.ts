// The instrument master as clients browse it: listing, multi-token search and expiry lists, cached in memory.
// The caches are dropped whenever the master lists a new day, so nothing cached outlives the data it came from.
import {
  type Exchange,
  type Instrument,
  type InstrumentCatalog,
  displayExpiry,
  isFuture,
  isOption,
} from '../../domain/instrument.js';
import { InstrumentNotFound } from '../../domain/errors.js';
import type { InstrumentMaster } from './master.js';

export const SEARCH_LIMIT = 500;

export class MasterCatalog implements InstrumentCatalog {
  private readonly haystacks = new Map<Instrument, string>();
  private readonly expiryCache = new Map<string, string[]>();
  private cachedVersion: number;

  constructor(private readonly master: InstrumentMaster) {
    this.cachedVersion = master.version;
  }

  /** Listed instruments only: a contract past its expiry is no longer served to clients. */
  get(symbol: string, exchange: Exchange): Instrument | undefined {
    return this.master.getListed(symbol, exchange);
  }

  require(symbol: string, exchange: Exchange): Instrument {
    const instrument = this.get(symbol, exchange);
    if (!instrument) throw new InstrumentNotFound(symbol, exchange);
    return instrument;
  }

  list(exchange?: Exchange): readonly Instrument[] {
    return exchange ? this.master.byExchange(exchange) : this.master.all();
  }

  search(query: string, exchange?: Exchange): Instrument[] {
    const tokens = query.toUpperCase().split(/\s+/).filter(Boolean);
    if (tokens.length === 0) return [];
    this.dropIfReloaded();
    const found: Instrument[] = [];
    for (const instrument of this.list(exchange)) {
      const haystack = this.haystackOf(instrument);
      if (tokens.every((token) => haystack.includes(token))) found.push(instrument);
    }
    // The plain symbol first, then shorter (less specific) symbols, then by expiry and strike.
    const exact = tokens.join('');
    return found
      .sort(
        (a, b) =>
          Number(b.symbol === exact) - Number(a.symbol === exact) ||
          (a.expiry ?? '').localeCompare(b.expiry ?? '') ||
          Number((a.strike ?? 0n) - (b.strike ?? 0n)) ||
          a.symbol.length - b.symbol.length ||
          a.symbol.localeCompare(b.symbol),
      )
      .slice(0, SEARCH_LIMIT);
  }

  expiries(underlying: string, exchange: Exchange, kind: 'futures' | 'options'): string[] {
    this.dropIfReloaded();
    const key = `${exchange}|${underlying}|${kind}`;
    let dates = this.expiryCache.get(key);
    if (!dates) {
      const wanted = kind === 'futures' ? isFuture : isOption;
      const set = new Set<string>();
      for (const i of this.master.byExchange(exchange)) {
        if (i.underlying === underlying && i.expiry && wanted(i)) set.add(i.expiry);
      }
      dates = [...set].sort();
      this.expiryCache.set(key, dates);
    }
    return dates;
  }

  // Symbol, name and expiry words, so "NIFTY 26000 DEC CE" and "STATE BANK" both match.
  private haystackOf(instrument: Instrument): string {
    let haystack = this.haystacks.get(instrument);
    if (haystack === undefined) {
      const expiry = instrument.expiry ? displayExpiry(instrument.expiry) : '';
      haystack = `${instrument.symbol} ${instrument.name} ${expiry}`.toUpperCase();
      this.haystacks.set(instrument, haystack);
    }
    return haystack;
  }

  private dropIfReloaded(): void {
    if (this.cachedVersion === this.master.version) return;
    this.haystacks.clear();
    this.expiryCache.clear();
    this.cachedVersion = this.master.version;
  }
}
