// Small builders for exchange tests: instruments, a market whose prices the test pins, an in-memory journal.
import { currencyOf } from '../../src/domain/currency.js';
import { type Decimal, dec } from '../../src/domain/decimal.js';
import { InstrumentNotFound } from '../../src/domain/errors.js';
import type { EventJournal, ExchangeEvent, JournaledEvent } from '../../src/domain/events.js';
import type { Exchange, Instrument } from '../../src/domain/instrument.js';
import type { Level } from '../../src/exchange/matching.js';
import type { MarketData } from '../../src/exchange/market-data.js';

/** An NSE share unless `overrides` say otherwise; its currency follows the exchange unless given. */
export function equity(symbol: string, overrides: Partial<Instrument> = {}): Instrument {
  const exchange = overrides.exchange ?? 'NSE';
  return {
    currency: currencyOf({ exchange }),
    symbol,
    exchange: 'NSE',
    name: symbol,
    instrumentType: 'EQ',
    underlying: symbol,
    lotSize: dec(1),
    tickSize: dec('0.05'),
    freezeQuantity: dec(100000),
    token: '1',
    brokerSymbol: `${symbol}-EQ`,
    referencePrice: dec(100),
    ...overrides,
  };
}

export function future(symbol: string, overrides: Partial<Instrument> = {}): Instrument {
  return equity(symbol, {
    exchange: 'NFO',
    instrumentType: 'FUT',
    underlying: 'NIFTY',
    expiry: '2026-12-29',
    lotSize: dec(75),
    tickSize: dec('0.10'),
    freezeQuantity: dec(1800),
    brokerSymbol: symbol,
    ...overrides,
  });
}

export function option(symbol: string, strike: string, overrides: Partial<Instrument> = {}): Instrument {
  return future(symbol, { instrumentType: 'CE', strike: dec(strike), tickSize: dec('0.05'), ...overrides });
}

export class Instruments {
  private readonly bySymbol = new Map<string, Instrument>();
  constructor(list: Instrument[]) {
    for (const i of list) this.bySymbol.set(`${i.exchange}:${i.symbol}`, i);
  }
  require(symbol: string, exchange: Exchange): Instrument {
    const found = this.bySymbol.get(`${exchange}:${symbol}`);
    if (!found) throw new InstrumentNotFound(symbol, exchange);
    return found;
  }
}

interface Pinned {
  last: Decimal;
  bids: Level[];
  asks: Level[];
}

/** A market whose last price and book the test sets exactly; nothing moves unless told. */
export class PinnedMarket implements MarketData {
  private readonly books = new Map<string, Pinned>();

  set(instrument: Instrument, last: string, bids: [string, number][], asks: [string, number][]): void {
    const level = ([price, quantity]: [string, number]): Level => ({ price: dec(price), quantity: dec(quantity) });
    this.books.set(instrument.symbol, { last: dec(last), bids: bids.map(level), asks: asks.map(level) });
  }

  quote(instrument: Instrument) {
    const book = this.get(instrument);
    const last = book.last;
    return {
      lastPrice: last,
      bid: book.bids[0]?.price ?? last,
      ask: book.asks[0]?.price ?? last,
      open: last,
      high: last,
      low: last,
      previousClose: last,
      volume: dec(0),
      lastQuantity: dec(0),
      at: 0,
    };
  }

  book(instrument: Instrument) {
    const book = this.get(instrument);
    const level = (l: Level) => ({ ...l, orders: 1 });
    return { bids: book.bids.slice(0, 5).map(level), asks: book.asks.slice(0, 5).map(level) };
  }

  liquidity(instrument: Instrument, side: 'bid' | 'ask'): Iterable<Level> {
    const book = this.get(instrument);
    return side === 'bid' ? book.bids : book.asks;
  }

  private get(instrument: Instrument): Pinned {
    const book = this.books.get(instrument.symbol);
    if (!book) throw new Error(`no pinned book for ${instrument.symbol}`);
    return book;
  }
}

export class MemoryJournal implements EventJournal {
  readonly events: ExchangeEvent[] = [];
  private readonly nextSeq = new Map<string, number>();
  append(events: readonly ExchangeEvent[]): JournaledEvent[] {
    this.events.push(...structuredClone(events));
    return events.map((event) => {
      const seq = this.nextSeq.get(event.accountId) ?? 1;
      this.nextSeq.set(event.accountId, seq + 1);
      return { ...event, seq };
    });
  }
  whenDurable(): null {
    return null;
  }
  async *readAll(): AsyncGenerator<ExchangeEvent> {
    yield* structuredClone(this.events);
  }
}
