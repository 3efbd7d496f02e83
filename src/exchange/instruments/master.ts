// The paper exchange's instrument master: everything it lists on a given day, and O(1) lookups over it.
import { InstrumentNotFound } from '../../domain/errors.js';
import { isDerivative, type Exchange, type Instrument } from '../../domain/instrument.js';
import { commodityInstruments } from './commodities.js';
import { cryptoInstruments } from './crypto.js';
import { currencyInstruments } from './currencies.js';
import { derivativeInstruments } from './derivatives.js';
import { equityInstruments } from './equities.js';
import { isExchangeHoliday, type HolidayRule, type IsoDate } from './expiry-calendar.js';
import { indexInstruments } from './indices.js';
import { assignTokens } from './tokens.js';

/**
 * Every bundled instrument listed on `today` (an IST `YYYY-MM-DD`): indices, NSE and BSE equities, NFO and BFO
 * futures and options, MCX and CDS futures, crypto perpetuals, in that order.
 */
export function buildInstruments(today: IsoDate, isHoliday: HolidayRule = isExchangeHoliday): Instrument[] {
  return assignTokens([
    ...indexInstruments(),
    ...equityInstruments(),
    ...derivativeInstruments(today, isHoliday),
    ...commodityInstruments(today, isHoliday),
    ...currencyInstruments(today, isHoliday),
    ...cryptoInstruments(),
  ]);
}

/** Where each derivative exchange's underlyings are quoted, searched in order (index first, then the share). */
const UNDERLYING_EXCHANGES: Partial<Record<Exchange, readonly Exchange[]>> = {
  NFO: ['NSE_INDEX', 'NSE'],
  BFO: ['BSE_INDEX', 'BSE'],
};

export class InstrumentMaster {
  private readonly bySymbol = new Map<string, Instrument>();
  private readonly perExchange = new Map<Exchange, Instrument[]>();
  private readonly instruments: readonly Instrument[];

  /** Throws when two instruments share an exchange and symbol. */
  constructor(instruments: readonly Instrument[]) {
    this.instruments = [...instruments];
    for (const instrument of this.instruments) {
      const key = keyOf(instrument.symbol, instrument.exchange);
      if (this.bySymbol.has(key)) throw new RangeError(`duplicate instrument ${instrument.symbol} on ${instrument.exchange}`);
      this.bySymbol.set(key, instrument);
      const list = this.perExchange.get(instrument.exchange);
      if (list) list.push(instrument);
      else this.perExchange.set(instrument.exchange, [instrument]);
    }
  }

  get size(): number {
    return this.instruments.length;
  }

  /** Exact lookup; OpenAlgo symbols are upper-case and matched as given. */
  get(symbol: string, exchange: Exchange): Instrument | undefined {
    return this.bySymbol.get(keyOf(symbol, exchange));
  }

  /** Like `get`, but an unknown symbol is an `InstrumentNotFound`. */
  require(symbol: string, exchange: Exchange): Instrument {
    const instrument = this.get(symbol, exchange);
    if (!instrument) throw new InstrumentNotFound(symbol, exchange);
    return instrument;
  }

  all(): readonly Instrument[] {
    return this.instruments;
  }

  byExchange(exchange: Exchange): readonly Instrument[] {
    return this.perExchange.get(exchange) ?? [];
  }

  /**
   * The spot or index instrument a derivative is priced from: NIFTY options → NSE_INDEX NIFTY, SBIN futures → NSE SBIN,
   * SENSEX options → BSE_INDEX SENSEX. Undefined for non-derivatives and for MCX, CDS and crypto contracts, whose
   * underlyings are not listed here.
   */
  underlyingOf(instrument: Instrument): Instrument | undefined {
    if (!isDerivative(instrument)) return undefined;
    for (const exchange of UNDERLYING_EXCHANGES[instrument.exchange] ?? []) {
      const underlying = this.get(instrument.underlying, exchange);
      if (underlying) return underlying;
    }
    return undefined;
  }
}

function keyOf(symbol: string, exchange: Exchange): string {
  return `${exchange}:${symbol}`;
}
