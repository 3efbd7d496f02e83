// OpenAlgo's words for bar intervals (`5m`, `1h`, `D`, `W`, `M`; `Q` and `Y` are three and twelve months), part of
// its symbology as much as its symbols are: the v1 dialect reads and writes them, and so does the upstream adapter.
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
