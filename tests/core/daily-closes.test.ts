// The daily closes the SIP and portfolio backtests read: a window read in slices of the series' reach, kept to the
// exchange's sessions, with typed refusals for a symbol the broker does not know or cannot serve daily.
import { describe, expect, it } from 'vitest';
import { DAY, NoDailyInterval, UnknownSymbol, loadDailyCloses } from '../../src/core/daily-closes.js';
import { istDate } from '../../src/domain/clock.js';
import { dec, toString } from '../../src/domain/decimal.js';
import { InstrumentNotFound } from '../../src/domain/errors.js';
import type { Exchange } from '../../src/domain/instrument.js';
import type { BarInterval, HistorySeries } from '../../src/domain/market.js';
import { istMidnightOf } from '../../src/domain/market-calendar.js';

const DAY_MS = 86_400_000;
/** 2025-01-02 (Thursday) to 2025-01-11 (Saturday): ten calendar days over a weekend, as the paper market serves them. */
const FIRST = istMidnightOf('2025-01-02');

/** A bar every calendar day, closing at 100 + the day's index; `requests` records each asked range as IST days. */
function fakeSeries(exchange: Exchange, intervals: readonly BarInterval[] = [DAY]) {
  const requests: [string, string][] = [];
  const series: HistorySeries = {
    symbol: 'SBIN',
    exchange,
    intervals,
    source: 'a fake series',
    maxDaysBack: () => 3,
    bars: async (_interval, from, to) => {
      requests.push([istDate(from), istDate(to - 1)]);
      return Array.from({ length: 10 }, (_, day) => FIRST + day * DAY_MS)
        .filter((time) => time >= from && time < to)
        .map((time) => {
          const close = dec(100 + (time - FIRST) / DAY_MS);
          return { time, open: close, high: close, low: close, close, volume: dec(0) };
        });
    },
  };
  return { series, requests, source: { getHistory: async () => series } };
}

describe('loadDailyCloses', () => {
  it("reads the window in slices of the series' reach and keeps NSE's sessions only", async () => {
    const { source, requests } = fakeSeries('NSE');
    const loaded = await loadDailyCloses(source, 'acct', 'SBIN', 'NSE', '2025-01-02', '2025-01-11');
    expect(requests).toEqual([
      ['2025-01-02', '2025-01-04'],
      ['2025-01-05', '2025-01-07'],
      ['2025-01-08', '2025-01-10'],
      ['2025-01-11', '2025-01-11'],
    ]);
    expect(loaded.dates).toEqual(['2025-01-02', '2025-01-03', '2025-01-06', '2025-01-07', '2025-01-08', '2025-01-09', '2025-01-10']);
    expect(loaded.closes.map(toString)).toEqual(['100', '101', '104', '105', '106', '107', '108']);
  });

  it('keeps every bar of a global index, which has no Indian calendar', async () => {
    const { source } = fakeSeries('GLOBAL_INDEX');
    const loaded = await loadDailyCloses(source, 'acct', 'SBIN', 'GLOBAL_INDEX', '2025-01-03', '2025-01-06');
    expect(loaded.dates).toEqual(['2025-01-03', '2025-01-04', '2025-01-05', '2025-01-06']);
  });

  it('refuses a symbol the broker does not know and one without daily bars, each with its own error', async () => {
    const unknown = {
      getHistory: async () => {
        throw new InstrumentNotFound('NOSUCH', 'NSE');
      },
    };
    const missing = loadDailyCloses(unknown, 'acct', 'NOSUCH', 'NSE', '2025-01-02', '2025-01-11');
    await expect(missing).rejects.toBeInstanceOf(UnknownSymbol);
    await expect(missing).rejects.toThrow("Symbol 'NOSUCH' not found for exchange 'NSE'. Please verify the symbol name and ensure master contracts are downloaded.");
    const { source } = fakeSeries('NSE', [{ unit: 'hour', count: 1 }]);
    const refusal = loadDailyCloses(source, 'acct', 'SBIN', 'NSE', '2025-01-02', '2025-01-11');
    await expect(refusal).rejects.toBeInstanceOf(NoDailyInterval);
    await expect(refusal).rejects.toThrow("Interval 'D' is not available for SBIN on NSE, which has a fake series");
  });
});
