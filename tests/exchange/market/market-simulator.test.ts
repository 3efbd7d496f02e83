import { describe, expect, it } from 'vitest';
import { type Decimal, dec, isMultipleOf, sub, toNumber, toString } from '../../../src/domain/decimal.js';
import type { Instrument } from '../../../src/domain/instrument.js';
import type { Book, BookLevel, Quote } from '../../../src/exchange/market/market-simulator.js';
import { blackScholes, expiryInstant } from '../../../src/exchange/option-pricing.js';
import {
  IST_MIDNIGHT_DEC_1,
  MONDAY_10AM,
  crypto,
  equity,
  future,
  index,
  market,
  niftyUnderlying,
  option,
} from './market-builders.js';

const DAY = 86_400_000;
const s = (value: Decimal): string => toString(value);
const levels = (side: BookLevel[]): string[] => side.map((l) => `${s(l.price)}×${s(l.quantity)}/${l.orders}`);
const instruments = (): Instrument[] => [equity(), index(), future(), option('CE', '25000'), option('PE', '24500'), crypto()];

function expectWellFormed(instrument: Instrument, quote: Quote, book: Book): void {
  const { tickSize, lotSize } = instrument;
  for (const price of [quote.lastPrice, quote.bid, quote.ask, quote.open, quote.high, quote.low, quote.previousClose]) {
    expect(isMultipleOf(price, tickSize)).toBe(true);
    expect(price >= tickSize).toBe(true);
  }
  expect(isMultipleOf(quote.volume, lotSize) && isMultipleOf(quote.lastQuantity, lotSize)).toBe(true);
  expect(quote.high >= quote.lastPrice && quote.lastPrice >= quote.low).toBe(true);
  expect(book.bids.length).toBe(5);
  expect(book.asks.length).toBe(5);
  for (const [side, list] of [['bid', book.bids], ['ask', book.asks]] as const) {
    list.forEach((level, i) => {
      expect(isMultipleOf(level.price, tickSize)).toBe(true);
      expect(isMultipleOf(level.quantity, lotSize) && level.quantity > 0n).toBe(true);
      expect(Number.isInteger(level.orders) && level.orders >= 1).toBe(true);
      const previous = list[i - 1];
      if (previous) expect(side === 'bid' ? level.price < previous.price : level.price > previous.price).toBe(true);
    });
  }
  expect(book.bids[0]?.price).toBe(quote.bid);
  expect(book.asks[0]?.price).toBe(quote.ask);
}

describe('MarketSimulator: determinism', () => {
  it('two simulators with the same seed give the same quotes and books whatever the order of queries', () => {
    const a = market({ underlyingOf: niftyUnderlying });
    const b = market({ underlyingOf: niftyUnderlying });
    const times = [0, 1000, 65_000, 3_600_000, DAY + 5000, 3 * DAY].map((d) => MONDAY_10AM + d);
    const seenByA = new Map<string, [Quote, Book]>();
    for (const time of times) {
      a.clock.set(time);
      for (const instrument of instruments()) seenByA.set(`${time}:${instrument.symbol}`, [a.market.quote(instrument), a.market.book(instrument)]);
    }
    // b asks in reverse, repeats itself and visits other times in between
    for (const instrument of instruments().reverse()) {
      for (const time of [...times].reverse()) {
        b.clock.set(time + 7 * DAY);
        b.market.quote(instrument);
        b.clock.set(time);
        b.market.quote(instrument);
        expect([b.market.quote(instrument), b.market.book(instrument)]).toEqual(seenByA.get(`${time}:${instrument.symbol}`));
      }
    }
  });

  it('different seeds give different prices', () => {
    const one = market({ seed: 1 }).market.quote(equity());
    const two = market({ seed: 2 }).market.quote(equity());
    expect(one.lastPrice).not.toBe(two.lastPrice);
  });

  it('everything within a step is constant; the quote carries the clock time', () => {
    const { market: m, clock } = market();
    const first = m.quote(equity());
    clock.advance(999);
    const later = m.quote(equity());
    expect({ ...later, at: first.at }).toEqual(first);
    expect(later.at).toBe(MONDAY_10AM + 999);
  });

  it('quoteAt a past instant and back gives the same quote', () => {
    const { market: m } = market();
    const now = m.quote(equity());
    m.quoteAt(equity(), MONDAY_10AM - 3 * 3_600_000);
    expect(m.quote(equity())).toEqual(now);
  });
});

describe('MarketSimulator: a walking market', () => {
  it('quotes on the tick grid with whole lots, bid < last < ask, five monotonic levels each side', () => {
    const { market: m, clock } = market({ underlyingOf: niftyUnderlying });
    for (let i = 0; i < 40; i++) {
      for (const instrument of instruments()) {
        const quote = m.quote(instrument);
        expectWellFormed(instrument, quote, m.book(instrument));
        if (quote.lastPrice > dec('1')) expect(quote.bid < quote.lastPrice && quote.lastPrice < quote.ask).toBe(true);
      }
      clock.advance(37_000 + i * 911);
    }
  });

  it('keeps previousClose and open all day, with volume growing in whole lots', () => {
    const { market: m, clock } = market({ at: IST_MIDNIGHT_DEC_1 });
    const opening = m.quote(equity());
    expect(opening.open).toBe(opening.previousClose);
    let volume = opening.volume;
    for (let minute = 0; minute < 1440; minute += 13) {
      clock.set(IST_MIDNIGHT_DEC_1 + minute * 60_000);
      const quote = m.quote(equity());
      expect(quote.previousClose).toBe(opening.previousClose);
      expect(quote.open).toBe(opening.open);
      expect(quote.volume >= volume).toBe(true);
      volume = quote.volume;
    }
    clock.set(IST_MIDNIGHT_DEC_1 + DAY);
    expect(m.quote(equity()).volume < volume).toBe(true);
  });

  it('stays realistic: an index moves about 0.73% a day (14%/yr) over 250 days and stays near its reference', () => {
    const { market: m, clock } = market({ at: IST_MIDNIGHT_DEC_1 });
    const closes: number[] = [];
    for (let day = 0; day <= 250; day++) {
      clock.set(IST_MIDNIGHT_DEC_1 + day * DAY);
      closes.push(toNumber(m.quote(index()).previousClose));
    }
    const returns = closes.slice(1).map((close, i) => Math.log(close / (closes[i] as number)));
    const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
    const stdev = Math.sqrt(returns.reduce((a, b) => a + (b - mean) ** 2, 0) / (returns.length - 1));
    expect(stdev).toBeGreaterThan(0.0055);
    expect(stdev).toBeLessThan(0.0095);
    for (const close of closes) expect(Math.abs(Math.log(close / 25000))).toBeLessThan(0.35);
  });

  it('liquidity starts with the displayed book and reaches deeper, up to 20% from the touch', () => {
    const { market: m } = market();
    const book = m.book(equity());
    const asks = [...m.liquidity(equity(), 'ask')];
    expect(asks.slice(0, 5)).toEqual(book.asks);
    expect(asks.length).toBeGreaterThan(100);
    expect(toNumber((asks.at(-1) as BookLevel).price)).toBeLessThanOrEqual(toNumber((book.asks[0] as BookLevel).price) * 1.2);
    const bids = [...m.liquidity(equity(), 'bid')];
    expect(bids.slice(0, 5)).toEqual(book.bids);
    expect(toNumber((bids.at(-1) as BookLevel).price)).toBeGreaterThanOrEqual(toNumber((book.bids[0] as BookLevel).price) * 0.8);
  });

  it('an index does not trade: its volume is zero', () => {
    expect(market().market.quote(index()).volume).toBe(0n);
  });
});

describe('MarketSimulator: derivatives', () => {
  const setUp = () => {
    const world = market({ underlyingOf: niftyUnderlying });
    world.market.setPrice(index(), dec(25000));
    return world;
  };

  it('prices a future at spot × (1 + 6.5% × days to expiry / 365): 25000 with 29.229 days → 25130.10', () => {
    // 2025-12-01 10:00 IST to 2025-12-30 15:30 IST is 29 days 5½ hours; 25000 × (1 + 0.065 × 29.2291667 / 365)
    // = 25130.1284, on the 0.10 grid 25130.10.
    const { market: m } = setUp();
    expect(s(m.quote(future()).lastPrice)).toBe('25130.1');
    expect(m.quote(future()).lastPrice > m.quote(index()).lastPrice).toBe(true);
  });

  it('a future converges to spot after expiry', () => {
    const { market: m, clock } = setUp();
    clock.set(expiryInstant('2025-12-30') + 60_000);
    const spot = m.quote(index()).lastPrice;
    const settled = m.quote(future()).lastPrice;
    expect(Math.abs(toNumber(settled) - toNumber(spot))).toBeLessThanOrEqual(0.1);
  });

  it('prices options by Black-Scholes on the underlying (IV 14% for an index), rounded to the tick', () => {
    const { market: m } = setUp();
    const years = (expiryInstant('2025-12-30') - MONDAY_10AM) / DAY / 365;
    const terms = { spot: 25000, strike: 25000, years, rate: 0.065, volatility: 0.14 };
    const call = Math.round(blackScholes({ ...terms, right: 'call' }) / 0.05) * 0.05;
    expect(toNumber(m.quote(option('CE', '25000')).lastPrice)).toBeCloseTo(call, 9);
    const put = Math.round(blackScholes({ ...terms, strike: 24500, right: 'put' }) / 0.05) * 0.05;
    expect(toNumber(m.quote(option('PE', '24500')).lastPrice)).toBeCloseTo(put, 9);
  });

  it('calls rise and puts fall as the underlying rises; far strikes are worth one tick', () => {
    const { market: m } = setUp();
    const low = { call: m.quote(option('CE', '25000')).lastPrice, put: m.quote(option('PE', '25000')).lastPrice };
    m.setPrice(index(), dec(25400));
    const high = { call: m.quote(option('CE', '25000')).lastPrice, put: m.quote(option('PE', '25000')).lastPrice };
    expect(high.call > low.call).toBe(true);
    expect(high.put < low.put).toBe(true);
    expect(s(m.quote(option('CE', '40000')).lastPrice)).toBe('0.05');
  });

  it('an expired option is worth its intrinsic value', () => {
    const { market: m, clock } = setUp();
    clock.set(expiryInstant('2025-12-30') + 1000);
    m.setPrice(index(), dec(25200));
    expect(s(m.quote(option('CE', '25000')).lastPrice)).toBe('200');
    expect(s(m.quote(option('PE', '25000')).lastPrice)).toBe('0.05');
  });

  it('an option straddles its last price by two ticks each side in a quiet step', () => {
    const { market: m } = setUp();
    const quote = m.quote(option('CE', '25000'));
    const half = s(sub(quote.ask, quote.lastPrice));
    expect(['0.1', '0.15']).toContain(half);
    expect(s(sub(quote.lastPrice, quote.bid))).toBe(half);
  });
});

describe('MarketSimulator: a frozen market', () => {
  it('holds every price at the reference, rounded to the tick, however time passes', () => {
    const { market: m, clock } = market({ frozen: true, underlyingOf: niftyUnderlying });
    const stock = equity('SBIN', { referencePrice: dec('800.03') });
    for (const days of [0, 1, 30, 400]) {
      clock.set(MONDAY_10AM + days * DAY);
      const quote = m.quote(stock);
      expect([quote.lastPrice, quote.open, quote.high, quote.low, quote.previousClose].map(s)).toEqual(Array(5).fill('800.05'));
      expect(s(m.quote(option('CE', '25000')).lastPrice)).toBe('120');
    }
  });

  it('books an equity (tick 0.05, lot 1) at last ∓ 1 tick, levels one tick apart holding 100, 200, … shares', () => {
    const { market: m } = market({ frozen: true });
    m.setPrice(equity(), dec('100.05'));
    const quote = m.quote(equity());
    expect([s(quote.lastPrice), s(quote.bid), s(quote.ask)]).toEqual(['100.05', '100', '100.1']);
    const book = m.book(equity());
    expect(levels(book.bids)).toEqual(['100×100/1', '99.95×200/2', '99.9×300/3', '99.85×400/4', '99.8×500/5']);
    expect(levels(book.asks)).toEqual(['100.1×100/1', '100.15×200/2', '100.2×300/3', '100.25×400/4', '100.3×500/5']);
    expect(levels([...m.liquidity(equity(), 'ask')].slice(5, 7))).toEqual(['100.35×600/6', '100.4×700/7']);
  });

  it('books a future (lot 75, tick 0.10) one tick out and an option (lot 75) two ticks out, 10 lots a level step', () => {
    const { market: m } = market({ frozen: true });
    m.setPrice(future(), dec(25000));
    expect(levels(m.book(future(), 2).bids)).toEqual(['24999.9×750/1', '24999.8×1500/2']);
    expect(levels(m.book(future(), 2).asks)).toEqual(['25000.1×750/1', '25000.2×1500/2']);
    const call = option('CE', '25000');
    expect(levels(m.book(call, 2).bids)).toEqual(['119.9×750/1', '119.85×1500/2']);
    expect(levels(m.book(call, 2).asks)).toEqual(['120.1×750/1', '120.15×1500/2']);
  });

  it('is the same book for every seed', () => {
    const one = market({ frozen: true, seed: 1 }).market.book(equity());
    const two = market({ frozen: true, seed: 2 }).market.book(equity());
    expect(one).toEqual(two);
  });

  it('moves only by setPrice: high and low over the prices set today, previous close the last price of yesterday', () => {
    const { market: m, clock } = market({ frozen: true });
    m.setPrice(equity(), dec('810'));
    clock.advance(60_000);
    m.setPrice(equity(), dec('790.5'));
    clock.advance(60_000);
    let quote = m.quote(equity());
    expect([quote.lastPrice, quote.open, quote.high, quote.low, quote.previousClose].map(s)).toEqual([
      '790.5',
      '800',
      '810',
      '790.5',
      '800',
    ]);
    clock.advance(DAY);
    quote = m.quote(equity());
    expect([quote.lastPrice, quote.open, quote.high, quote.low, quote.previousClose].map(s)).toEqual(Array(5).fill('790.5'));
  });
});

describe('MarketSimulator: setPrice', () => {
  it('makes the last price exactly the price set, in a walking market too', () => {
    const { market: m } = market();
    m.setPrice(equity(), dec('100.05'));
    const quote = m.quote(equity());
    expect(s(quote.lastPrice)).toBe('100.05');
    expect(quote.high >= quote.lastPrice && quote.low <= quote.lastPrice).toBe(true);
    expect(quote.bid < quote.lastPrice && quote.ask > quote.lastPrice).toBe(true);
  });

  it('a walking market continues from the price set', () => {
    const { market: m, clock } = market();
    m.setPrice(equity(), dec('1000'));
    for (let step = 1; step <= 60; step++) {
      clock.advance(1000);
      const last = toNumber(m.quote(equity()).lastPrice);
      expect(Math.abs(last / 1000 - 1)).toBeLessThan(0.01);
    }
    clock.advance(DAY);
    const nextDay = toNumber(m.quote(equity()).previousClose);
    expect(Math.abs(Math.log(nextDay / 1000))).toBeLessThan(0.15);
  });

  it('is exact for a derivative in a walking market', () => {
    const { market: m } = market({ underlyingOf: niftyUnderlying });
    m.setPrice(option('CE', '25000'), dec('333.35'));
    expect(s(m.quote(option('CE', '25000')).lastPrice)).toBe('333.35');
  });

  it('is deterministic: the same sets at the same times give the same market', () => {
    const run = (): Quote[] => {
      const { market: m, clock } = market();
      const quotes: Quote[] = [];
      m.setPrice(equity(), dec('500'));
      for (let i = 0; i < 5; i++) {
        clock.advance(30_000);
        quotes.push(m.quote(equity()));
      }
      return quotes;
    };
    expect(run()).toEqual(run());
  });

  it('refuses a price off the tick grid or not positive', () => {
    const { market: m } = market();
    expect(() => m.setPrice(equity(), dec('100.03'))).toThrow(RangeError);
    expect(() => m.setPrice(equity(), dec('0'))).toThrow(RangeError);
  });
});

describe('MarketSimulator: setBook', () => {
  const pinned = {
    bids: [
      { price: dec('99.5'), quantity: dec(10), orders: 1 },
      { price: dec('99'), quantity: dec(20), orders: 2 },
    ],
    asks: [{ price: dec('101'), quantity: dec(5), orders: 1 }],
  };

  it('book() and liquidity() return exactly the pinned levels, nothing deeper; the quote shows its touch', () => {
    const { market: m } = market({ frozen: true });
    m.setPrice(equity(), dec(100));
    m.setBook(equity(), pinned);
    expect(m.book(equity())).toEqual({ ...pinned, at: MONDAY_10AM });
    expect(m.book(equity(), 1).bids).toEqual(pinned.bids.slice(0, 1));
    expect([...m.liquidity(equity(), 'bid')]).toEqual(pinned.bids);
    expect([...m.liquidity(equity(), 'ask')]).toEqual(pinned.asks);
    const quote = m.quote(equity());
    expect([s(quote.lastPrice), s(quote.bid), s(quote.ask)]).toEqual(['100', '99.5', '101']);
  });

  it('an empty side quotes the last price', () => {
    const { market: m } = market({ frozen: true });
    m.setBook(equity(), { bids: [], asks: pinned.asks });
    expect(s(m.quote(equity()).bid)).toBe('800');
    expect([...m.liquidity(equity(), 'bid')]).toEqual([]);
  });

  it('holds while time passes and is cleared by setPrice', () => {
    const { market: m, clock } = market();
    m.setBook(equity(), pinned);
    clock.advance(3_600_000);
    expect(m.book(equity()).bids).toEqual(pinned.bids);
    m.setPrice(equity(), dec(100));
    expect(m.book(equity()).bids.length).toBe(5);
    expect(m.book(equity()).bids[0]?.price).not.toBe(dec('99.5'));
  });

  it('is a copy: changing the levels passed in or returned does not change the market', () => {
    const { market: m } = market({ frozen: true });
    const bids = pinned.bids.map((level) => ({ ...level }));
    m.setBook(equity(), { bids, asks: [] });
    (bids[0] as BookLevel).price = dec(1);
    (m.book(equity()).bids[0] as BookLevel).quantity = dec(1);
    expect(m.book(equity()).bids).toEqual(pinned.bids);
  });

  it('refuses prices off the grid, partial lots and levels out of order', () => {
    const { market: m } = market();
    expect(() => m.setBook(equity(), { bids: [{ price: dec('99.52'), quantity: dec(1), orders: 1 }], asks: [] })).toThrow(RangeError);
    expect(() => m.setBook(future(), { bids: [{ price: dec(100), quantity: dec(10), orders: 1 }], asks: [] })).toThrow(RangeError);
    expect(() => m.setBook(equity(), { bids: [...pinned.bids].reverse(), asks: [] })).toThrow(RangeError);
  });
});
