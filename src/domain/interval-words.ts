// OpenAlgo's words for bar intervals (`5m`, `1h`, `D`, `W`, `M`; `Q` and `Y` are three and twelve months) and how its
// wire stamps bars, part of its symbology as much as its symbols are: the v1 dialect writes them, the upstream adapter
// reads them.
import { IST_OFFSET_MS } from './clock.js';
import type { BarInterval, BarUnit } from './market.js';

const SUFFIX_UNITS: Readonly<Record<string, BarUnit>> = { s: 'second', m: 'minute', h: 'hour' };
const WORD_INTERVALS: Readonly<Record<string, BarInterval>> = {
  D: { unit: 'day', count: 1 },
  W: { unit: 'week', count: 1 },
  M: { unit: 'month', count: 1 },
  Q: { unit: 'month', count: 3 },
  Y: { unit: 'month', count: 12 },
};

/** The interval a word names; undefined for a word OpenAlgo does not define. */
export function intervalOfWord(word: string): BarInterval | undefined {
  const named = WORD_INTERVALS[word];
  if (named) return named;
  const match = /^(\d+)([smh])$/.exec(word);
  const unit = match ? SUFFIX_UNITS[match[2] ?? ''] : undefined;
  return unit ? { unit, count: Number(match?.[1]) } : undefined;
}

export function intervalWord(interval: BarInterval): string {
  switch (interval.unit) {
    case 'second':
      return `${interval.count}s`;
    case 'minute':
      return `${interval.count}m`;
    case 'hour':
      return `${interval.count}h`;
    case 'day':
      return 'D';
    case 'week':
      return 'W';
    case 'month':
      return interval.count === 1 ? 'M' : interval.count === 3 ? 'Q' : 'Y';
  }
}

/** Days, weeks, months, quarters and years: bars that stand for calendar days rather than instants. */
export function isCalendarInterval(interval: BarInterval): boolean {
  return interval.unit === 'day' || interval.unit === 'week' || interval.unit === 'month';
}

/**
 * A bar's `timestamp` on OpenAlgo's wire, epoch seconds: the bar's start for intraday bars, and for D, W, M, Q and Y
 * bars 00:00 UTC of the bar's (IST) date, as OpenAlgo's broker adapters stamp them (05:30 IST, not IST midnight).
 */
export function openAlgoBarStamp(interval: BarInterval, time: number): number {
  if (!isCalendarInterval(interval)) return Math.floor(time / 1000);
  return Math.floor((time + IST_OFFSET_MS) / DAY_MS) * (DAY_MS / 1000);
}

/**
 * The start of the bar an OpenAlgo `timestamp` (epoch seconds) stands for, epoch ms: the instant itself for intraday
 * bars, and for D, W, M, Q and Y bars the IST midnight of the IST day the stamp falls in, which reads 00:00 UTC stamps
 * and IST-midnight stamps (some adapters send those) alike.
 */
export function barTimeOfOpenAlgoStamp(interval: BarInterval, seconds: number): number {
  const at = seconds * 1000;
  if (!isCalendarInterval(interval)) return at;
  return Math.floor((at + IST_OFFSET_MS) / DAY_MS) * DAY_MS - IST_OFFSET_MS;
}

const DAY_MS = 86_400_000;
