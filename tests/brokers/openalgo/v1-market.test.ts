// Quotes, depth, intervals and bars from OpenAlgo's market-data answers.
import { describe, expect, it } from 'vitest';
import { intervalOfWord, intervalWord } from '../../../src/domain/interval-words.js';
import { barOf, depthOf, intervalsOf, quoteOf } from '../../../src/brokers/openalgo/v1-market.js';
import { dec } from '../../../src/domain/decimal.js';

const AT = Date.UTC(2026, 0, 7, 5, 0);

describe('quoteOf', () => {
  it('reads a quote, read now and with no last quantity (OpenAlgo sends neither)', () => {
    expect(quoteOf({ open: 955, high: 965.5, low: 950.1, ltp: 960.05, ask: 960.1, bid: 960, prev_close: 958, volume: 120000, oi: 0 }, AT)).toEqual({
      lastPrice: dec('960.05'),
      bid: dec(960),
      ask: dec('960.1'),
      open: dec(955),
      high: dec('965.5'),
      low: dec('950.1'),
      previousClose: dec(958),
      volume: dec(120000),
      lastQuantity: dec(0),
      openInterest: dec(0),
      at: AT,
    });
  });
});

describe('depthOf', () => {
  it('takes its best levels as bid and ask and leaves out the zero levels brokers pad a thin side with', () => {
    const depth = depthOf(
      {
        ltp: 0.1,
        ltq: 50,
        bids: [
          { price: 0.05, quantity: 1000 },
          { price: 0, quantity: 0 },
        ],
        asks: [
          { price: 0.15, quantity: 700, orders: 3 },
          { price: 0.2, quantity: 900 },
        ],
      },
      AT,
    );
    expect(depth).toMatchObject({ lastPrice: dec('0.1'), bid: dec('0.05'), ask: dec('0.15'), lastQuantity: dec(50) });
    expect(depth.bids).toEqual([{ price: dec('0.05'), quantity: dec(1000), orders: 0 }]);
    expect(depth.asks).toEqual([
      { price: dec('0.15'), quantity: dec(700), orders: 3 },
      { price: dec('0.2'), quantity: dec(900), orders: 0 },
    ]);
  });
});

describe('intervals', () => {
  it('lists the intervals of an intervals answer finest first, leaving out words OpenAlgo does not define', () => {
    expect(intervalsOf({ days: ['D'], hours: ['1h'], minutes: ['5m', '1m', '90x'], months: ['M'], seconds: ['5s'], weeks: ['W'] })).toEqual([
      { unit: 'second', count: 5 },
      { unit: 'minute', count: 1 },
      { unit: 'minute', count: 5 },
      { unit: 'hour', count: 1 },
      { unit: 'day', count: 1 },
      { unit: 'week', count: 1 },
      { unit: 'month', count: 1 },
    ]);
  });

  it('turns each word into its interval and back', () => {
    for (const word of ['1s', '45s', '1m', '30m', '4h', 'D', 'W', 'M', 'Q', 'Y']) {
      const interval = intervalOfWord(word);
      expect(interval && intervalWord(interval)).toBe(word);
    }
  });
});

describe('barOf', () => {
  it('reads the epoch-second timestamp of a history row', () => {
    expect(barOf({ timestamp: 1_767_761_100, open: 960, high: 961.5, low: 959.95, close: 961, volume: 1200 }, { unit: 'minute', count: 5 })).toEqual({
      time: 1_767_761_100_000,
      open: dec(960),
      high: dec('961.5'),
      low: dec('959.95'),
      close: dec(961),
      volume: dec(1200),
    });
  });

  it("turns a daily bar's stamp back into the IST midnight starting its date, 00:00 UTC and IST-midnight stamps alike", () => {
    const row = { open: 960, high: 961.5, low: 959.95, close: 961, volume: 1200 };
    const seventhOfNovember = Date.parse('2026-11-07T00:00:00+05:30');
    for (const timestamp of [Date.UTC(2026, 10, 7) / 1000, seventhOfNovember / 1000]) {
      expect(barOf({ ...row, timestamp }, { unit: 'day', count: 1 }).time).toBe(seventhOfNovember);
    }
    // A quarter of 2026 stamped 2026-10-01 00:00 UTC starts on 1 October, IST.
    expect(barOf({ ...row, timestamp: Date.UTC(2026, 9, 1) / 1000 }, { unit: 'month', count: 3 }).time).toBe(Date.parse('2026-10-01T00:00:00+05:30'));
  });
});
