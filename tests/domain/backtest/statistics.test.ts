import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allocateBars, type BarColumns } from '../../../src/domain/backtest/bars.js';
import { parseBarCsv } from '../../../src/domain/backtest/bar-csv.js';
import type { ClosedTrade } from '../../../src/domain/backtest/simulation.js';
import {
  type BacktestStatistics,
  computeStatistics,
  drawdownCurve,
  STATISTIC_NAMES,
} from '../../../src/domain/backtest/statistics.js';

// ---------------------------------------------------------------------------------------------------------------
// The library's figures (tests/fixtures/backtest/*.json, written by reference.py from backtesting.py itself).

type FixtureValue = number | string | null;

interface Fixture {
  readonly case: string;
  readonly data: string;
  readonly dataFolder: string;
  readonly rows: { readonly start: number; readonly stop: number | null; readonly step: number };
  readonly warmup: number;
  readonly stats: Readonly<Record<string, FixtureValue>>;
  readonly trades: Readonly<Record<string, readonly FixtureValue[]>>;
  readonly equity: readonly number[];
  readonly drawdownPct: readonly number[];
}

const repository = (path: string): string => fileURLToPath(new URL(`../../../${path}`, import.meta.url));
const fixtureFolder = repository('tests/fixtures/backtest');
const fixtures: Fixture[] = readdirSync(fixtureFolder)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => JSON.parse(readFileSync(`${fixtureFolder}/${name}`, 'utf8')) as Fixture);

/** The fixture's bars: its CSV, sliced as Python's rows[start:stop:step]. */
function fixtureBars(fixture: Fixture): BarColumns {
  const all = parseBarCsv(readFileSync(repository(`${fixture.dataFolder}/${fixture.data}`), 'utf8'));
  const { start, step } = fixture.rows;
  const stop = fixture.rows.stop ?? all.length;
  const bars = allocateBars(Math.ceil((stop - start) / step));
  for (let row = 0; row < bars.length; row++) {
    for (const field of ['time', 'open', 'high', 'low', 'close', 'volume'] as const) {
      bars[field][row] = all[field][start + row * step]!;
    }
  }
  return bars;
}

function fixtureTrades(fixture: Fixture): ClosedTrade[] {
  const column = (name: string): readonly FixtureValue[] => fixture.trades[name]!;
  return column('Size').map((size, k) => ({
    size: size as number,
    entryBar: column('EntryBar')[k] as number,
    exitBar: column('ExitBar')[k] as number,
    entryPrice: column('EntryPrice')[k] as number,
    exitPrice: column('ExitPrice')[k] as number,
    entryTime: Date.parse(column('EntryTime')[k] as string),
    exitTime: Date.parse(column('ExitTime')[k] as string),
    pl: column('PnL')[k] as number,
    returnPct: column('ReturnPct')[k] as number,
    commissions: column('Commission')[k] as number,
  }));
}

function fixtureNumber(value: FixtureValue): number {
  if (value === null) return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  return value as number;
}

/** `actual` equals `expected` to `digits` significant digits (NaN/null only with NaN/null, infinities exactly). */
function agrees(actual: number, expected: number, digits: number): boolean {
  if (Number.isNaN(expected) || !Number.isFinite(expected)) return Object.is(actual, expected) || actual === expected;
  if (expected === 0) return Math.abs(actual) < 1e-12;
  return Math.abs(actual - expected) <= 0.5 * 10 ** (1 - digits) * Math.abs(expected);
}

/** The statistics that differ from the fixture beyond `digits` significant digits, as readable lines. */
function mismatches(actual: BacktestStatistics, expected: Fixture['stats'], digits: number): string[] {
  const found: string[] = [];
  const values = actual as unknown as Readonly<Record<string, number | string | null>>;
  for (const [name, want] of Object.entries(expected)) {
    const got = values[name];
    if (typeof want === 'string' && !want.endsWith('Infinity')) {
      if (got !== want) found.push(`${name}: ${String(got)} ≠ ${want}`);
    } else if (!agrees(got === null || got === undefined ? Number.NaN : (got as number), fixtureNumber(want), digits)) {
      found.push(`${name}: ${String(got)} ≠ ${String(want)}`);
    }
  }
  return found;
}

describe('computeStatistics against backtesting.py', () => {
  it.each(fixtures.map((fixture) => [fixture.case, fixture] as const))(
    '%s: every statistic agrees to 8 significant digits',
    (_name, fixture) => {
      const bars = fixtureBars(fixture);
      const statistics = computeStatistics({
        bars,
        result: { equity: Float64Array.from(fixture.equity), trades: fixtureTrades(fixture), warmup: fixture.warmup },
      });

      expect(Object.keys(statistics)).toEqual(Object.keys(fixture.stats));
      expect(mismatches(statistics, fixture.stats, 8)).toEqual([]);
    },
  );

  it.each(fixtures.map((fixture) => [fixture.case, fixture] as const))(
    '%s: the drawdown curve is the library’s DrawdownPct',
    (_name, fixture) => {
      const curve = drawdownCurve(Float64Array.from(fixture.equity));
      const differing = fixture.drawdownPct.filter((want, i) => !agrees(curve[i]!, want, 12));
      expect(differing).toEqual([]);
    },
  );
});

// ---------------------------------------------------------------------------------------------------------------
// Small cases worked out by hand.

const DAY = 86_400_000;
const HOUR = 3_600_000;

function barsAt(times: readonly number[], closes: readonly number[]): BarColumns {
  const bars = allocateBars(times.length);
  times.forEach((time, i) => {
    bars.time[i] = time;
    bars.open[i] = bars.high[i] = bars.low[i] = bars.close[i] = closes[i]!;
    bars.volume[i] = 0;
  });
  return bars;
}

function trade(entryBar: number, exitBar: number, bars: BarColumns, fields: Partial<ClosedTrade>): ClosedTrade {
  return {
    size: 1,
    entryBar,
    exitBar,
    entryPrice: bars.close[entryBar]!,
    exitPrice: bars.close[exitBar]!,
    entryTime: bars.time[entryBar]!,
    exitTime: bars.time[exitBar]!,
    pl: 0,
    returnPct: 0,
    commissions: 0,
    ...fields,
  };
}

/** Monday 2024-01-01 00:00 UTC. */
const MONDAY = Date.UTC(2024, 0, 1);
const weekdays = (count: number): number[] => Array.from({ length: count }, (_, i) => MONDAY + i * DAY);

describe('computeStatistics on hand-worked runs', () => {
  it('five daily bars with one 10% dip: returns, drawdown depth and duration, no trades', () => {
    const bars = barsAt(weekdays(5), [10, 11, 12, 13, 14]);
    const equity = Float64Array.from([100, 110, 99, 104.5, 121]);
    const statistics = computeStatistics({ bars, result: { equity, trades: [], warmup: 0 } });

    expect(statistics.Start).toBe('2024-01-01T00:00:00.000Z');
    expect(statistics.End).toBe('2024-01-05T00:00:00.000Z');
    expect(statistics.Duration).toBe(4);
    expect(statistics['Equity Final [$]']).toBe(121);
    expect(statistics['Equity Peak [$]']).toBe(121);
    expect(statistics['Return [%]']).toBeCloseTo(21, 12);
    expect(statistics['Buy & Hold Return [%]']).toBeCloseTo(40, 12);
    // The dip runs from the peak on day 2 to the new peak on day 5: one drawdown period, 10% deep, 3 days long.
    expect(statistics['Max. Drawdown [%]']).toBeCloseTo(-10, 12);
    expect(statistics['Avg. Drawdown [%]']).toBeCloseTo(-10, 12);
    expect(statistics['Max. Drawdown Duration']).toBe(3);
    expect(statistics['Avg. Drawdown Duration']).toBe(3);
    // Daily returns 10%, −10%, 5.5̅%, 15.789…%: their geometric mean g compounds over 252 trading days.
    const g = Math.pow(1.21, 1 / 4) - 1;
    expect(statistics['Return (Ann.) [%]']).toBeCloseTo((Math.pow(1 + g, 252) - 1) * 100, 6);
    expect(statistics['Calmar Ratio']).toBeCloseTo((Math.pow(1 + g, 252) - 1) / 0.1, 6);
    expect(statistics['CAGR [%]']).toBeCloseTo((Math.pow(1.21, 365.25 / 4) - 1) * 100, 4);
    expect(statistics['# Trades']).toBe(0);
    expect(statistics['Exposure Time [%]']).toBe(0);
    expect('Commissions [$]' in statistics).toBe(false);
    for (const name of ['Win Rate [%]', 'Best Trade [%]', 'Avg. Trade [%]', 'Profit Factor', 'SQN', 'Kelly Criterion'] as const) {
      expect(statistics[name], name).toBeNull();
    }
  });

  it('flat equity without trades: no drawdown, and the ratios the library leaves undefined are null', () => {
    const bars = barsAt(weekdays(5), [10, 11, 10, 12, 11]);
    const equity = new Float64Array(5).fill(10_000);
    const statistics = computeStatistics({ bars, result: { equity, trades: [], warmup: 0 } });

    expect(statistics['Return [%]']).toBe(0);
    expect(statistics['Return (Ann.) [%]']).toBe(0);
    expect(statistics['Volatility (Ann.) [%]']).toBe(0);
    expect(statistics['Max. Drawdown [%]']).toBe(-0);
    expect(statistics.Beta).toBe(0);
    expect(statistics['Alpha [%]']).toBe(0);
    expect(statistics['Sharpe Ratio']).toBeNull();
    expect(statistics['Sortino Ratio']).toBeNull();
    expect(statistics['Calmar Ratio']).toBeNull();
    expect(statistics['Avg. Drawdown [%]']).toBeNull();
    expect(statistics['Max. Drawdown Duration']).toBeNull();
    expect(statistics['Avg. Drawdown Duration']).toBeNull();
    expect(statistics['Max. Trade Duration']).toBeNull();
  });

  it('one losing trade: win rate 0, its return everywhere, profit factor 0, SQN and Kelly undefined', () => {
    const bars = barsAt(weekdays(5), [100, 100, 98, 96, 95]);
    const equity = Float64Array.from([10_000, 10_000, 9_800, 9_600, 9_498]);
    const losing = trade(1, 4, bars, { size: 100, pl: -502, returnPct: -0.0502, commissions: 2 });
    const statistics = computeStatistics({ bars, result: { equity, trades: [losing], warmup: 0 } });

    expect(statistics['# Trades']).toBe(1);
    expect(statistics['Commissions [$]']).toBe(2);
    expect(statistics['Exposure Time [%]']).toBe(80);
    expect(statistics['Win Rate [%]']).toBe(0);
    expect(statistics['Best Trade [%]']).toBeCloseTo(-5.02, 12);
    expect(statistics['Worst Trade [%]']).toBeCloseTo(-5.02, 12);
    expect(statistics['Avg. Trade [%]']).toBeCloseTo(-5.02, 12);
    expect(statistics['Expectancy [%]']).toBeCloseTo(-5.02, 12);
    expect(statistics['Profit Factor']).toBe(0);
    expect(statistics['Max. Trade Duration']).toBe(3);
    expect(statistics['Avg. Trade Duration']).toBe(3);
    expect(statistics.SQN).toBeNull();
    expect(statistics['Kelly Criterion']).toBeNull();
    // The equity never recovers: the drawdown period runs from the last peak (bar 1) to the last bar.
    expect(statistics['Max. Drawdown [%]']).toBeCloseTo(-5.02, 12);
    expect(statistics['Max. Drawdown Duration']).toBe(3);
  });

  it('a dip on the last bar only: the drawdown durations are the drawdown itself (the library’s fallback)', () => {
    const bars = barsAt(weekdays(3), [10, 10, 10]);
    const equity = Float64Array.from([100, 100, 95]);
    const statistics = computeStatistics({ bars, result: { equity, trades: [], warmup: 0 } });

    expect(statistics['Max. Drawdown Duration']).toBeCloseTo(0.05, 15);
    expect(statistics['Avg. Drawdown Duration']).toBeCloseTo(0.05, 15);
    expect(statistics['Avg. Drawdown [%]']).toBeCloseTo(-5, 12);
  });

  it('durations round up to the data’s resolution: hourly bars give whole hours', () => {
    const times = Array.from({ length: 6 }, (_, i) => MONDAY + i * HOUR);
    const bars = barsAt(times, [1, 1, 1, 1, 1, 1]);
    const equity = new Float64Array(6).fill(100);
    const trades = [trade(0, 1, bars, { pl: 1, returnPct: 0.01 }), trade(2, 4, bars, { pl: 2, returnPct: 0.02 })];
    const statistics = computeStatistics({ bars, result: { equity, trades, warmup: 0 } });

    expect(statistics['Max. Trade Duration']).toBe(2 / 24);
    // The mean of 1 h and 2 h is 1.5 h, which rounds up to 2 h.
    expect(statistics['Avg. Trade Duration']).toBe(2 / 24);
    expect(statistics['Exposure Time [%]']).toBeCloseTo((5 / 6) * 100, 12);
    expect(statistics['Win Rate [%]']).toBe(100);
    expect(statistics['Profit Factor']).toBeNull();
  });

  it('keys come in the library’s order, Commissions [$] only when trades paid any', () => {
    const bars = barsAt(weekdays(3), [10, 11, 12]);
    const equity = Float64Array.from([100, 100, 100]);
    const withCommission = computeStatistics({
      bars,
      result: { equity, trades: [trade(0, 2, bars, { commissions: 0.5 })], warmup: 0 },
    });
    const without = computeStatistics({ bars, result: { equity, trades: [trade(0, 2, bars, {})], warmup: 0 } });

    expect(Object.keys(withCommission)).toEqual(STATISTIC_NAMES);
    expect(Object.keys(without)).toEqual(STATISTIC_NAMES.filter((name) => name !== 'Commissions [$]'));
  });
});
