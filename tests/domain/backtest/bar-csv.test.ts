import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InvalidBarCsv, parseBarCsv } from '../../../src/domain/backtest/bar-csv.js';

const bundled = (name: string): string =>
  readFileSync(fileURLToPath(new URL(`../../../src/exchange/history/series/${name}`, import.meta.url)), 'utf8');

function refusal(text: string): InvalidBarCsv {
  try {
    parseBarCsv(text);
  } catch (error) {
    if (error instanceof InvalidBarCsv) return error;
    throw error;
  }
  throw new Error('parseBarCsv accepted the CSV');
}

describe('parseBarCsv', () => {
  it('reads the bundled daily series: unnamed date column, dates as UTC midnight', () => {
    const bars = parseBarCsv(bundled('GOOG.csv'));

    expect(bars.length).toBe(2148);
    expect(bars.time[0]).toBe(Date.UTC(2004, 7, 19));
    expect([bars.open[0], bars.high[0], bars.low[0], bars.close[0], bars.volume[0]]).toEqual([
      100, 104.06, 95.96, 100.34, 22351900,
    ]);
    expect(bars.time[2147]).toBe(Date.UTC(2013, 2, 1));
  });

  it('reads the bundled hourly series with date-times', () => {
    const bars = parseBarCsv(bundled('EURUSD.csv'));

    expect(bars.length).toBe(5000);
    expect(bars.time[0]).toBe(Date.UTC(2017, 3, 19, 9));
    expect(bars.time[1]! - bars.time[0]!).toBe(3_600_000);
    expect(bars.close[0]).toBe(1.07219);
  });

  it('takes a time column by name in any case, epoch seconds, columns in any order and no volume', () => {
    const bars = parseBarCsv('Close,TIMESTAMP,open,High,low\r\n10.5,1609459200,10,11,9\r\n11,1609545600,10.5,12,10\r\n');

    expect(Array.from(bars.time)).toEqual([Date.UTC(2021, 0, 1), Date.UTC(2021, 0, 2)]);
    expect(Array.from(bars.open)).toEqual([10, 10.5]);
    expect(Array.from(bars.close)).toEqual([10.5, 11]);
    expect(bars.volume[0]).toBeNaN();
  });

  it('reads ISO date-times with fractions and offsets, and epoch milliseconds', () => {
    const bars = parseBarCsv(
      [
        'date,open,high,low,close,volume',
        '2024-03-01T09:15:00.250Z,1,1,1,1,1',
        '2024-03-01T15:00:00+05:30,1,1,1,1,1',
        '1709290800000,1,1,1,1,',
      ].join('\n'),
    );

    expect(Array.from(bars.time)).toEqual([
      Date.UTC(2024, 2, 1, 9, 15, 0, 250),
      Date.UTC(2024, 2, 1, 9, 30),
      Date.UTC(2024, 2, 1, 11),
    ]);
    expect(bars.volume[2]).toBeNaN();
  });

  it('names the line of a price that is not a number', () => {
    const error = refusal(',Open,High,Low,Close,Volume\n2024-01-01,1,2,0.5,1.5,10\n2024-01-02,1,2,abc,1.5,10\n');

    expect(error.line).toBe(3);
    expect(error.message).toBe('CSV line 3: low is not a number: abc');
  });

  it('names the line of a time it cannot read, and of a row out of order', () => {
    expect(refusal('time,open,high,low,close\n2024-02-30,1,1,1,1\n').message).toBe(
      'CSV line 2: time is not a valid date-time: 2024-02-30',
    );
    expect(refusal('time,open,high,low,close\nyesterday,1,1,1,1\n').message).toBe(
      'CSV line 2: time is not a date, date-time or epoch seconds: yesterday',
    );
    expect(refusal('time,open,high,low,close\n2024-01-02,1,1,1,1\n2024-01-01,1,1,1,1\n').message).toBe(
      'CSV line 3: 2024-01-01 is earlier than the row before; sort the bars by time',
    );
  });

  it('refuses a header without a time or price column, a short row and a CSV without bars', () => {
    expect(refusal('when,open,high,low,close\n').message).toMatch(/^CSV line 1: no time column/);
    expect(refusal('time,open,high,close\n').message).toMatch(/^CSV line 1: the header has no low column/);
    expect(refusal('time,open,high,low,close\n2024-01-01,1,1,1\n').message).toBe('CSV line 2: expected 5 fields, found 4');
    expect(refusal('time,open,high,low,close\n\n').message).toBe('CSV line 2: the CSV has a header but no bars');
  });
});
