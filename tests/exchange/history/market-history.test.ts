// Which history a (symbol, exchange) gets, which intervals exist and how far one request reaches.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/domain/clock.js';
import type { BarInterval } from '../../../src/domain/market.js';
import { MarketHistory } from '../../../src/exchange/history/market-history.js';
import { BUNDLED_REPLAYS, type ReplaySource } from '../../../src/exchange/history/replay-series.js';
import { InstrumentMaster } from '../../../src/exchange/instruments/master.js';
import { MarketSimulator, type MarketOptions } from '../../../src/exchange/market/market-simulator.js';
import { MONDAY_10AM, equity } from '../market/market-builders.js';

function history(replays: readonly ReplaySource[] = BUNDLED_REPLAYS, stepMs?: number) {
  const marketOptions: MarketOptions = { seed: 7, clock: new ManualClock(MONDAY_10AM), ...(stepMs ? { stepMs } : {}) };
  const instruments = new InstrumentMaster([equity('SBIN'), equity('GOOG', { exchange: 'GLOBAL_INDEX', instrumentType: 'INDEX' })]);
  return new MarketHistory({ market: new MarketSimulator(marketOptions), marketOptions, instruments, replays });
}

const words = (intervals: readonly BarInterval[]) => intervals.map((i) => `${i.count}${i.unit[0]}`);

describe('MarketHistory', () => {
  it('serves a listed instrument from the simulated market and a replay from its file', () => {
    const h = history();
    expect(h.series('SBIN', 'NSE')?.source).toBe('the simulated market');
    expect(h.series('GOOG', 'GLOBAL_INDEX')?.source).toBe('bars replayed from GOOG.csv (daily)');
    expect(h.series('EURUSD', 'GLOBAL_INDEX')?.source).toBe('bars replayed from EURUSD.csv (hourly)');
    expect(h.series('BTCUSD', 'GLOBAL_INDEX')?.source).toBe('bars replayed from BTCUSD.csv (monthly)');
  });

  it('knows nothing of other symbols, nor of a replay on another exchange', () => {
    const h = history();
    expect(h.series('NOSUCH', 'NSE')).toBeUndefined();
    expect(h.series('GOOG', 'NSE')).toBeUndefined();
    expect(h.series('sbin', 'NSE')).toBeUndefined();
  });

  it('reads a replayed file once', () => {
    let reads = 0;
    const source: ReplaySource = {
      symbol: 'TEST',
      exchange: 'GLOBAL_INDEX',
      resolution: { unit: 'day', count: 1 },
      origin: 'test.csv (daily)',
      read: () => {
        reads += 1;
        return ',Open,High,Low,Close,Volume\n2020-01-01,1,2,0.5,1.5,10\n';
      },
    };
    const h = history([source]);
    expect(h.series('TEST', 'GLOBAL_INDEX')).toBe(h.series('TEST', 'GLOBAL_INDEX'));
    expect(reads).toBe(1);
  });

  it('lists every interval some series is served in, finest first', () => {
    expect(words(history().intervals)).toEqual(['1s', '5s', '10s', '15s', '30s', '45s', '1m', '2m', '3m', '5m', '10m', '15m', '20m', '30m', '1h', '2h', '3h', '4h', '1d', '1w', '1m', '3m', '12m']);
    expect(words(history([], 60_000).intervals)).toEqual(['1m', '2m', '3m', '5m', '10m', '15m', '20m', '30m', '1h', '2h', '3h', '4h', '1d', '1w', '1m', '3m', '12m']);
  });

  it('lets a request on the simulated market reach 1 day back for seconds, 30 for minutes and hours, 365 for D, W, M', () => {
    const sbin = history().series('SBIN', 'NSE')!;
    const days = (unit: BarInterval['unit'], count = 1) => sbin.maxDaysBack({ unit, count });
    expect([days('second', 5), days('minute'), days('hour', 4), days('day'), days('week'), days('month')]).toEqual([1, 30, 30, 365, 365, 365]);
  });

  it('lets a request on a replay reach ten years back, whatever the interval', () => {
    const eurusd = history().series('EURUSD', 'GLOBAL_INDEX')!;
    expect([eurusd.maxDaysBack({ unit: 'hour', count: 1 }), eurusd.maxDaysBack({ unit: 'day', count: 1 })]).toEqual([3650, 3650]);
  });
});
