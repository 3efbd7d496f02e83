// The paper exchange's instrument master: everything it lists on a given day, and O(1) lookups over it.
import { InstrumentNotFound } from '../../domain/errors.js';
import { isDerivative, isOption, type Exchange, type Instrument } from '../../domain/instrument.js';
import { commodityInstruments } from './commodities.js';
import { cryptoInstruments } from './crypto.js';
import { currencyInstruments } from './currencies.js';
import { derivativeInstruments, type SpotOf } from './derivatives.js';
import { equityInstruments } from './equities.js';
import { isExchangeHoliday, type HolidayRule, type IsoDate } from '../../domain/market-calendar.js';
import { indexInstruments } from './indices.js';
import { assignTokens } from './tokens.js';

/**
 * Every bundled instrument listed on `today` (an IST `YYYY-MM-DD`): indices, NSE and BSE equities, NFO and BFO
 * futures and options, MCX and CDS futures and options, crypto perpetuals, in that order. `spotOf` tells where each F&O
 * underlying stands at the start of the day: option strikes are listed around it (as well as around its reference
 * price) and index and stock futures and options priced from it (MCX and CDS options are on their near-month future's
 * price). Without it, every underlying stands at its reference price.
 */
export function buildInstruments(today: IsoDate, isHoliday: HolidayRule = isExchangeHoliday, spotOf?: SpotOf): Instrument[] {
  return assignTokens([
    ...indexInstruments(),
    ...equityInstruments(),
    ...derivativeInstruments(today, isHoliday, spotOf),
    ...commodityInstruments(today, isHoliday, spotOf),
    ...currencyInstruments(today, isHoliday, spotOf),
    ...cryptoInstruments(),
  ]);
}

/**
 * The indices and equities alone, as every day's build lists them (same tokens: they come first in every build), for a
 * master that must quote underlyings before the day's full listing can be built from their prices.
 */
export function underlyingInstruments(): Instrument[] {
  return assignTokens([...indexInstruments(), ...equityInstruments()]);
}

/** Where each derivative exchange's underlyings are quoted, searched in order (index first, then the share). */
const UNDERLYING_EXCHANGES: Partial<Record<Exchange, readonly Exchange[]>> = {
  NFO: ['NSE_INDEX', 'NSE'],
  BFO: ['BSE_INDEX', 'BSE'],
};

/** Exchanges whose options are written on the exchange's own futures. */
const OPTIONS_ON_FUTURES: ReadonlySet<Exchange> = new Set(['MCX', 'CDS']);

/**
 * The instruments listed for the current session day, looked up in O(1), plus the retired ones: contracts that have
 * expired since but that orders and positions may still name. Lookups (`get`, `require`) see both; listings
 * (`all`, `byExchange`) only the listed. `reload` lists a new day's instruments in place, so every holder of the
 * master sees the change; `version` counts reloads, for caches built on the listings.
 */
export class InstrumentMaster {
  private bySymbol = new Map<string, Instrument>();
  private perExchange = new Map<Exchange, Instrument[]>();
  private listed: readonly Instrument[] = [];
  private retired = new Map<string, Instrument>();
  private reloads = 0;
  /** MCX and CDS futures (listed and retired) by `EXCHANGE:BASE`, expiry ascending; built on demand. */
  private futuresByBase: Map<string, Instrument[]> | undefined;

  /** Throws when two listed instruments share an exchange and symbol. */
  constructor(listed: readonly Instrument[], retired: readonly Instrument[] = []) {
    for (const instrument of retired) this.retired.set(keyOf(instrument.symbol, instrument.exchange), instrument);
    this.list(listed);
  }

  /**
   * Lists `listed` in place of the current listing; instruments that drop out stay known as retired, and so do
   * `retired` (those listed excepted).
   */
  reload(listed: readonly Instrument[], retired: readonly Instrument[] = []): void {
    const previous = this.listed;
    this.list(listed);
    for (const instrument of [...previous, ...retired]) {
      const key = keyOf(instrument.symbol, instrument.exchange);
      if (!this.bySymbol.has(key)) this.retired.set(key, instrument);
    }
    this.futuresByBase = undefined;
    this.reloads += 1;
  }

  /** How many times the listing was replaced since construction. */
  get version(): number {
    return this.reloads;
  }

  /** Instruments listed now. */
  get size(): number {
    return this.listed.length;
  }

  /** Exact lookup among listed and retired instruments; OpenAlgo symbols are upper-case and matched as given. */
  get(symbol: string, exchange: Exchange): Instrument | undefined {
    const key = keyOf(symbol, exchange);
    return this.bySymbol.get(key) ?? this.retired.get(key);
  }

  /** Exact lookup among the listed instruments only. */
  getListed(symbol: string, exchange: Exchange): Instrument | undefined {
    return this.bySymbol.get(keyOf(symbol, exchange));
  }

  /** Like `get`, but an unknown symbol is an `InstrumentNotFound`. */
  require(symbol: string, exchange: Exchange): Instrument {
    const instrument = this.get(symbol, exchange);
    if (!instrument) throw new InstrumentNotFound(symbol, exchange);
    return instrument;
  }

  /** Every listed instrument. */
  all(): readonly Instrument[] {
    return this.listed;
  }

  byExchange(exchange: Exchange): readonly Instrument[] {
    return this.perExchange.get(exchange) ?? [];
  }

  /**
   * The spot or index instrument a derivative is priced from: NIFTY options → NSE_INDEX NIFTY, SBIN futures → NSE SBIN,
   * SENSEX options → BSE_INDEX SENSEX. MCX and CDS options are written on a future of theirs, the first of their base
   * expiring on or after them (CRUDEOIL16DEC265300CE → CRUDEOIL18DEC26FUT). Undefined for non-derivatives and for
   * MCX, CDS and crypto futures, whose underlyings are not listed here.
   */
  underlyingOf(instrument: Instrument): Instrument | undefined {
    if (!isDerivative(instrument)) return undefined;
    if (OPTIONS_ON_FUTURES.has(instrument.exchange)) {
      if (!isOption(instrument) || instrument.expiry === undefined) return undefined;
      const expiry = instrument.expiry;
      return this.futuresOf(instrument.exchange, instrument.underlying).find((future) => (future.expiry ?? '') >= expiry);
    }
    for (const exchange of UNDERLYING_EXCHANGES[instrument.exchange] ?? []) {
      const underlying = this.get(instrument.underlying, exchange);
      if (underlying) return underlying;
    }
    return undefined;
  }

  // Builds the new listing first, so a duplicate leaves the current one untouched.
  private list(listed: readonly Instrument[]): void {
    const bySymbol = new Map<string, Instrument>();
    const perExchange = new Map<Exchange, Instrument[]>();
    for (const instrument of listed) {
      const key = keyOf(instrument.symbol, instrument.exchange);
      if (bySymbol.has(key)) throw new RangeError(`duplicate instrument ${instrument.symbol} on ${instrument.exchange}`);
      bySymbol.set(key, instrument);
      const list = perExchange.get(instrument.exchange);
      if (list) list.push(instrument);
      else perExchange.set(instrument.exchange, [instrument]);
    }
    for (const key of bySymbol.keys()) this.retired.delete(key);
    this.bySymbol = bySymbol;
    this.perExchange = perExchange;
    this.listed = [...listed];
    this.futuresByBase = undefined;
  }

  private futuresOf(exchange: Exchange, base: string): readonly Instrument[] {
    if (!this.futuresByBase) {
      const index = new Map<string, Instrument[]>();
      for (const instrument of [...this.listed, ...this.retired.values()]) {
        if (!OPTIONS_ON_FUTURES.has(instrument.exchange) || instrument.instrumentType !== 'FUT' || instrument.expiry === undefined) continue;
        const key = keyOf(instrument.underlying, instrument.exchange);
        const futures = index.get(key);
        if (futures) futures.push(instrument);
        else index.set(key, [instrument]);
      }
      for (const futures of index.values()) futures.sort((a, b) => ((a.expiry ?? '') < (b.expiry ?? '') ? -1 : 1));
      this.futuresByBase = index;
    }
    return this.futuresByBase.get(keyOf(base, exchange)) ?? [];
  }
}

function keyOf(symbol: string, exchange: Exchange): string {
  return `${exchange}:${symbol}`;
}

