// The bar calendar (IST-aligned periods) and aggregation of finer bars into coarser ones.
import { describe, expect, it } from 'vitest';
import { dec } from '../../../src/domain/decimal.js';
import type { Bar, BarInterval } from '../../../src/domain/market.js';
import {
  ALL_INTERVALS,
  aggregate,
  nests,
  nextPeriodStart,
  periodStart,
  periodStartAtOrAfter,
} from '../../../src/exchange/history/bars.js';

const ist = (text: string) => Date.parse(`${text}+05:30`);
const minutes = (count: number): BarInterval => ({ unit: 'minute', count });
const DAY: BarInterval = { unit: 'day', count: 1 };
const WEEK: BarInterval = { unit: 'week', count: 1 };
const MONTH: BarInterval = { unit: 'month', count: 1 };

function bar(time: string, open: string, high: string, low: string, close: string, volume: string): Bar {
  return { time: ist(time), open: dec(open), high: dec(high), low: dec(low), close: dec(close), volume: dec(volume) };
}

describe('periods', () => {
  it('are aligned to IST midnight for seconds to hours', () => {
    expect(periodStart(minutes(5), ist('2025-12-01T10:07:31'))).toBe(ist('2025-12-01T10:05:00'));
    expect(periodStart({ unit: 'hour', count: 4 }, ist('2025-12-01T03:59:59'))).toBe(ist('2025-12-01T00:00:00'));
    expect(periodStart({ unit: 'hour', count: 3 }, ist('2025-12-01T23:00:00'))).toBe(ist('2025-12-01T21:00:00'));
    expect(periodStart({ unit: 'second', count: 45 }, ist('2025-12-01T00:01:31'))).toBe(ist('2025-12-01T00:01:30'));
  });

  it('start days at IST midnight, weeks on Monday and months on the 1st', () => {
    expect(periodStart(DAY, ist('2025-12-03T04:00:00'))).toBe(ist('2025-12-03T00:00:00'));
    expect(periodStart(DAY, ist('2025-12-03T00:00:00') - 1)).toBe(ist('2025-12-02T00:00:00'));
    expect(periodStart(WEEK, ist('2025-12-07T23:59:59'))).toBe(ist('2025-12-01T00:00:00'));
    expect(periodStart(WEEK, ist('2025-12-08T00:00:00'))).toBe(ist('2025-12-08T00:00:00'));
    expect(periodStart(MONTH, ist('2025-12-31T23:00:00'))).toBe(ist('2025-12-01T00:00:00'));
  });

  it('start quarters in January, April, July and October, years in January', () => {
    const QUARTER: BarInterval = { unit: 'month', count: 3 };
    const YEAR: BarInterval = { unit: 'month', count: 12 };
    expect(periodStart(QUARTER, ist('2026-11-25T10:00:00'))).toBe(ist('2026-10-01T00:00:00'));
    expect(periodStart(QUARTER, ist('2026-03-31T23:59:59'))).toBe(ist('2026-01-01T00:00:00'));
    expect(periodStart(QUARTER, ist('2026-04-01T00:00:00'))).toBe(ist('2026-04-01T00:00:00'));
    expect(periodStart(YEAR, ist('2026-11-25T10:00:00'))).toBe(ist('2026-01-01T00:00:00'));
    expect(nextPeriodStart(QUARTER, ist('2026-10-01T00:00:00'))).toBe(ist('2027-01-01T00:00:00'));
    expect(nextPeriodStart(YEAR, ist('2026-01-01T00:00:00'))).toBe(ist('2027-01-01T00:00:00'));
    expect([MONTH, QUARTER, YEAR].map((coarse) => nests(MONTH, coarse))).toEqual([true, true, true]);
    expect([MONTH, QUARTER, YEAR].map((coarse) => nests(QUARTER, coarse))).toEqual([false, true, true]);
    expect([QUARTER, YEAR].map((coarse) => [nests(DAY, coarse), nests(WEEK, coarse)])).toEqual([[true, false], [true, false]]);
  });

  it('follow each other, across the end of a year', () => {
    expect(nextPeriodStart(MONTH, ist('2025-12-01T00:00:00'))).toBe(ist('2026-01-01T00:00:00'));
    expect(nextPeriodStart(WEEK, ist('2025-12-29T00:00:00'))).toBe(ist('2026-01-05T00:00:00'));
    expect(nextPeriodStart(minutes(30), ist('2025-12-31T23:30:00'))).toBe(ist('2026-01-01T00:00:00'));
    expect(periodStartAtOrAfter(minutes(15), ist('2025-12-01T10:00:00'))).toBe(ist('2025-12-01T10:00:00'));
    expect(periodStartAtOrAfter(minutes(15), ist('2025-12-01T10:00:01'))).toBe(ist('2025-12-01T10:15:00'));
  });

  it('every intraday interval divides the day, so bars never straddle midnight', () => {
    for (const interval of ALL_INTERVALS.filter((i) => ['second', 'minute', 'hour'].includes(i.unit))) {
      const length = nextPeriodStart(interval, 0) - 0;
      expect(86_400_000 % length, `${interval.count} ${interval.unit}`).toBe(0);
    }
  });

  it('nest: hours in 2h, 4h, days, weeks and months; days in weeks and months; weeks only in weeks', () => {
    const hour: BarInterval = { unit: 'hour', count: 1 };
    expect([minutes(30), { unit: 'hour', count: 2 }, { unit: 'hour', count: 3 }, DAY, WEEK, MONTH].map((i) => nests(hour, i as BarInterval))).toEqual([
      false,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(nests(minutes(2), minutes(5))).toBe(false);
    expect(nests(minutes(5), minutes(15))).toBe(true);
    expect([DAY, WEEK, MONTH].map((i) => nests(DAY, i))).toEqual([true, true, true]);
    expect([DAY, WEEK, MONTH].map((i) => nests(WEEK, i))).toEqual([false, true, false]);
    expect([DAY, WEEK, MONTH].map((i) => nests(MONTH, i))).toEqual([false, false, true]);
  });
});

describe('aggregate', () => {
  it('takes the first open, the extremes, the last close and the summed volume, labelled by period start', () => {
    const days = [
      bar('2004-08-19T00:00:00', '100', '104.06', '95.96', '100.34', '22351900'),
      bar('2004-08-20T00:00:00', '101.01', '109.08', '100.5', '108.31', '11428600'),
      bar('2004-08-23T00:00:00', '110.75', '113.48', '109.05', '109.4', '9137200'),
    ];
    expect(aggregate(days, WEEK)).toEqual([
      bar('2004-08-16T00:00:00', '100', '109.08', '95.96', '108.31', '33780500'),
      bar('2004-08-23T00:00:00', '110.75', '113.48', '109.05', '109.4', '9137200'),
    ]);
    expect(aggregate(days, MONTH)).toEqual([bar('2004-08-01T00:00:00', '100', '113.48', '95.96', '109.4', '42917700')]);
  });

  it('leaves its input unchanged', () => {
    const days = [bar('2025-12-01T00:00:00', '1', '2', '1', '2', '5'), bar('2025-12-02T00:00:00', '2', '3', '2', '3', '5')];
    const before = structuredClone(days);
    aggregate(days, WEEK);
    expect(days).toEqual(before);
  });
});
