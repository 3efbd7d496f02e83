// Bars of market history and the calendar they are cut on: every period is aligned to IST midnight (seconds to
// hours divide the day; weeks start on Monday; months on the 1st, quarters in January, April, July and October, years
// in January), a bar is labelled by the start of its period, and coarser bars are exact aggregations of finer ones.
import { IST_OFFSET_MS } from '../../domain/clock.js';
import { add, max, min } from '../../domain/decimal.js';
import type { Bar, BarInterval, BarUnit } from '../../domain/market.js';

export const SECOND_MS = 1_000;
export const DAY_MS = 86_400_000;
const UNIT_MS: Partial<Record<BarUnit, number>> = { second: SECOND_MS, minute: 60_000, hour: 3_600_000 };

/** Every interval the paper exchange can serve, finest first (seconds to hours divide the IST day). */
export const ALL_INTERVALS: readonly BarInterval[] = [
  ...[1, 5, 10, 15, 30, 45].map((count) => ({ unit: 'second' as const, count })),
  ...[1, 2, 3, 5, 10, 15, 20, 30].map((count) => ({ unit: 'minute' as const, count })),
  ...[1, 2, 3, 4].map((count) => ({ unit: 'hour' as const, count })),
  { unit: 'day', count: 1 },
  { unit: 'week', count: 1 },
  { unit: 'month', count: 1 },
  { unit: 'month', count: 3 },
  { unit: 'month', count: 12 },
];

/** Length of a second, minute or hour bar in ms; undefined for days, weeks and months. */
export function intradayLength(interval: BarInterval): number | undefined {
  const unit = UNIT_MS[interval.unit];
  return unit === undefined ? undefined : unit * interval.count;
}

/** Epoch ms of the IST midnight that starts the day containing `at`. */
export function istDayStart(at: number): number {
  return Math.floor((at + IST_OFFSET_MS) / DAY_MS) * DAY_MS - IST_OFFSET_MS;
}

/** Epoch ms of the IST midnight starting `YYYY-MM-DD`. */
export function istMidnight(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) - IST_OFFSET_MS;
}

/** Start of the period of `interval` that contains `at`. */
export function periodStart(interval: BarInterval, at: number): number {
  const dayStart = istDayStart(at);
  const length = intradayLength(interval);
  if (length !== undefined) return dayStart + Math.floor((at - dayStart) / length) * length;
  if (interval.unit === 'day') return dayStart;
  const date = new Date(dayStart + IST_OFFSET_MS);
  if (interval.unit === 'week') return dayStart - ((date.getUTCDay() + 6) % 7) * DAY_MS;
  const month = date.getUTCMonth();
  return istMidnight(date.getUTCFullYear(), month - (month % interval.count) + 1, 1);
}

/** Start of the period after the one starting at `start`. */
export function nextPeriodStart(interval: BarInterval, start: number): number {
  const length = intradayLength(interval);
  if (length !== undefined) return start + length;
  if (interval.unit === 'day') return start + DAY_MS;
  if (interval.unit === 'week') return start + 7 * DAY_MS;
  const date = new Date(start + IST_OFFSET_MS);
  return istMidnight(date.getUTCFullYear(), date.getUTCMonth() + 1 + interval.count, 1);
}

/** The first period start at or after `at`. */
export function periodStartAtOrAfter(interval: BarInterval, at: number): number {
  const start = periodStart(interval, at);
  return start === at ? start : nextPeriodStart(interval, start);
}

/**
 * True when every period of `fine` lies inside one period of `coarse`, so `coarse` bars can be built from `fine`
 * ones: 1h → 2h, 4h, D, W, M, Q, Y; D → W, M, Q, Y; W → W only (weeks straddle months); M → M, Q, Y; Q → Q, Y.
 */
export function nests(fine: BarInterval, coarse: BarInterval): boolean {
  const fineLength = intradayLength(fine);
  const coarseLength = intradayLength(coarse);
  if (fineLength !== undefined) return coarseLength === undefined || coarseLength % fineLength === 0;
  if (coarseLength !== undefined) return false;
  if (fine.unit === 'day') return true;
  if (fine.unit === 'month' && coarse.unit === 'month') return coarse.count % fine.count === 0;
  return fine.unit === coarse.unit;
}

/** Bars (in time order) grouped into the periods of `interval`: first open, highest high, lowest low, last close,
 * summed volume, labelled by the period's start. */
export function aggregate(bars: readonly Bar[], interval: BarInterval): Bar[] {
  const out: Bar[] = [];
  let current: Bar | undefined;
  for (const bar of bars) {
    const time = periodStart(interval, bar.time);
    if (current && current.time === time) {
      current.high = max(current.high, bar.high);
      current.low = min(current.low, bar.low);
      current.close = bar.close;
      current.volume = add(current.volume, bar.volume);
    } else {
      current = { time, open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.volume };
      out.push(current);
    }
  }
  return out;
}
