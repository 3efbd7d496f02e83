// The CLI's text outputs: the statistics table as backtesting.py prints its report (names left, values right, 5
// decimals, dates ISO, durations in days, NaN as NaN), the statistics as JSON, the equity curve as CSV and a sweep's
// ranked table.
import { describe, expect, it } from 'vitest';
import {
  equityCsv,
  formatNumber,
  formatStatistic,
  statisticsJson,
  statisticsTable,
  strategyLabel,
  sweepTable,
} from '../../../src/core/backtest/backtest-outputs.js';

describe('statisticsTable', () => {
  it('aligns names left and values right, with the strategy last', () => {
    const table = statisticsTable(
      { Start: '2004-08-19T00:00:00.000Z', Duration: 3116, 'Return [%]': 718.1237000000001, 'Sharpe Ratio': null, '# Trades': 93 },
      strategyLabel('sma_cross', { fast: 10, slow: 20 }),
    );
    expect(table.split('\n')).toEqual([
      'Start            2004-08-19T00:00:00.000Z',
      'Duration                        3116 days',
      'Return [%]                       718.1237',
      'Sharpe Ratio                          NaN',
      '# Trades                               93',
      '_strategy     sma_cross(fast=10, slow=20)',
    ]);
  });

  it('shows durations in days, fractions of a day too', () => {
    expect(formatStatistic('Max. Drawdown Duration', 29.833333333333332)).toBe('29.83333 days');
    expect(formatStatistic('Avg. Trade Duration', null)).toBe('NaN');
  });
});

describe('formatNumber', () => {
  it('keeps 5 decimals without trailing zeros, whole numbers without a point', () => {
    expect([0.715702895129024, 81812.37000000001, 94.27374301675978, -32.79366156491895, 10000, 0.5].map(formatNumber)).toEqual([
      '0.7157',
      '81812.37',
      '94.27374',
      '-32.79366',
      '10000',
      '0.5',
    ]);
  });

  it('shows a tiny value’s digits rather than 0.0, and NaN and infinities by name', () => {
    expect([0.0000012345, -0.0000012345, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY].map(formatNumber)).toEqual([
      '0.0000012345',
      '-0.0000012345',
      'NaN',
      'inf',
      '-inf',
    ]);
  });
});

describe('statisticsJson', () => {
  it('keeps the report’s names and order, NaN as null and infinities as strings', () => {
    const json = statisticsJson({ 'Return [%]': 1.5, 'Profit Factor': Number.POSITIVE_INFINITY, SQN: Number.NaN, Beta: null, End: '2013-03-01T00:00:00.000Z' });
    expect(JSON.parse(json)).toEqual({ 'Return [%]': 1.5, 'Profit Factor': 'Infinity', SQN: null, Beta: null, End: '2013-03-01T00:00:00.000Z' });
    expect(Object.keys(JSON.parse(json) as object)).toEqual(['Return [%]', 'Profit Factor', 'SQN', 'Beta', 'End']);
  });
});

describe('equityCsv', () => {
  it('writes one row per bar: ISO time, equity, drawdown in percent', () => {
    const time = Float64Array.of(Date.UTC(2017, 3, 19, 9), Date.UTC(2017, 3, 19, 10), Date.UTC(2017, 3, 19, 11));
    const csv = equityCsv({ time, equity: Float64Array.of(10_000, 9_500, 10_250.5), drawdown: Float64Array.of(0, 0.05, 0) });
    expect(csv).toBe(
      'time,equity,drawdown_pct\n2017-04-19T09:00:00.000Z,10000,0\n2017-04-19T10:00:00.000Z,9500,5\n2017-04-19T11:00:00.000Z,10250.5,0\n',
    );
  });
});

describe('sweepTable', () => {
  it('ranks the rows with their parameters, then the statistics, every column right-aligned', () => {
    const table = sweepTable(
      [
        { params: { fast: 5, slow: 10 }, statistics: { SQN: 1.23456789, '# Trades': 535 } },
        { params: { fast: 40, slow: 100 }, statistics: { SQN: Number.NaN, '# Trades': 54 } },
      ],
      ['fast', 'slow'],
      ['SQN', '# Trades'],
    );
    expect(table.split('\n')).toEqual([
      '#  fast  slow      SQN  # Trades',
      '1     5    10  1.23457       535',
      '2    40   100      NaN        54',
    ]);
  });
});
