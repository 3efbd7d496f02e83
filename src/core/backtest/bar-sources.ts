// Where a backtest's bars come from: the broker's history of any instrument and interval, a CSV the caller sends, or
// one of the bundled series (GOOG, EURUSD, BTCUSD: backtesting.py's own test data). Whatever the source, the bars end
// up as columns in a SharedArrayBuffer, which the worker threads read without a copy.
import { type BarColumns, allocateBars, barBytes } from '../../domain/backtest/bars.js';
import { parseBarCsv } from '../../domain/backtest/bar-csv.js';
import { InvalidBacktest } from './backtest-request-errors.js';
import { toNumber } from '../../domain/decimal.js';
import type { Exchange } from '../../domain/instrument.js';
import { intervalOfWord } from '../../domain/interval-words.js';
import type { Bar, HistorySeries } from '../../domain/market.js';

export type BarSource =
  | { readonly kind: 'bundled'; readonly name: string }
  | { readonly kind: 'csv'; readonly csv: string; readonly name?: string }
  | { readonly kind: 'history'; readonly symbol: string; readonly exchange: Exchange; readonly interval: string };

/** The part of the bars a run covers: UTC instants, `from` inclusive, `to` exclusive. */
export interface BarWindow {
  readonly from?: number;
  readonly to?: number;
}

export interface BarSourceDeps {
  /** The CSV text of a bundled series by its name, or undefined. */
  bundledSeries(name: string): string | undefined;
  readonly bundledNames: readonly string[];
  /** The history of an instrument (the paper exchange's); InstrumentNotFound when unknown. */
  history(symbol: string, exchange: Exchange): Promise<HistorySeries>;
  /** Now (epoch ms): where history ends when the caller gives no end. */
  now(): number;
}

const DAY_MS = 86_400_000;
/** A bound on one run's memory: 6 columns × 8 bytes × 5,000,000 bars = 240 MB. */
export const MAX_BARS = 5_000_000;

/** The bars of `source` within `window`, in shared memory; InvalidBacktest (naming the field) if there are none. */
export async function loadBars(source: BarSource, window: BarWindow, deps: BarSourceDeps): Promise<BarColumns> {
  const bars = await barsOf(source, window, deps);
  const windowed = within(bars, window);
  if (windowed.length === 0) {
    throw new InvalidBacktest('data', `${describeSource(source)} has no bars between ${describeWindow(window)}`);
  }
  return windowed;
}

export function describeSource(source: BarSource): string {
  switch (source.kind) {
    case 'bundled':
      return `the bundled series ${source.name}`;
    case 'csv':
      return source.name === undefined ? 'the CSV' : `the CSV ${source.name}`;
    case 'history':
      return `${source.exchange}:${source.symbol} (${source.interval})`;
  }
}

async function barsOf(source: BarSource, window: BarWindow, deps: BarSourceDeps): Promise<BarColumns> {
  switch (source.kind) {
    case 'bundled': {
      const name = source.name.replace(/\.csv$/i, '').toUpperCase();
      const text = deps.bundledSeries(name);
      if (text === undefined) {
        throw new InvalidBacktest('data.name', `no bundled series ${source.name}; there are ${deps.bundledNames.join(', ')}`);
      }
      return parseBarCsv(text);
    }
    case 'csv':
      try {
        return parseBarCsv(source.csv);
      } catch (error) {
        throw new InvalidBacktest('data.csv', error instanceof Error ? error.message : String(error));
      }
    case 'history':
      return historyBars(source, window, deps);
  }
}

async function historyBars(
  source: Extract<BarSource, { kind: 'history' }>,
  window: BarWindow,
  deps: BarSourceDeps,
): Promise<BarColumns> {
  const interval = intervalOfWord(source.interval);
  if (interval === undefined) throw new InvalidBacktest('data.interval', `${source.interval} is not an interval word (1m, 5m, 1h, D, W, M…)`);
  const series = await deps.history(source.symbol, source.exchange);
  if (!series.intervals.some((each) => each.unit === interval.unit && each.count === interval.count)) {
    throw new InvalidBacktest('data.interval', `${source.exchange}:${source.symbol} has no ${source.interval} bars`);
  }
  const to = window.to ?? deps.now();
  const span = series.maxDaysBack(interval) * DAY_MS;
  const from = window.from ?? to - span;
  // One request of the series covers at most its longest range: a long backtest asks for it piece by piece.
  const rows: Bar[] = [];
  for (let start = from; start < to; start += span) {
    const piece = await series.bars(interval, start, Math.min(start + span, to));
    for (const bar of piece) rows.push(bar);
    if (rows.length > MAX_BARS) throw new InvalidBacktest('data', `more than ${MAX_BARS.toLocaleString('en')} bars; shorten the range`);
  }
  const bars = allocateBars(rows.length);
  rows.forEach((bar, i) => {
    bars.time[i] = bar.time;
    bars.open[i] = toNumber(bar.open);
    bars.high[i] = toNumber(bar.high);
    bars.low[i] = toNumber(bar.low);
    bars.close[i] = toNumber(bar.close);
    bars.volume[i] = toNumber(bar.volume);
  });
  return bars;
}

/** The bars inside `window`, copied into shared memory. */
function within(bars: BarColumns, window: BarWindow): BarColumns {
  let first = 0;
  let end = bars.length;
  if (window.from !== undefined) while (first < end && bars.time[first]! < window.from) first++;
  if (window.to !== undefined) while (end > first && bars.time[end - 1]! >= window.to) end--;
  const length = end - first;
  if (length > MAX_BARS) throw new InvalidBacktest('data', `more than ${MAX_BARS.toLocaleString('en')} bars; shorten the range`);
  const shared = allocateBars(length, new SharedArrayBuffer(barBytes(length)));
  for (const field of ['time', 'open', 'high', 'low', 'close', 'volume'] as const) {
    shared[field].set(bars[field].subarray(first, end));
  }
  return shared;
}

function describeWindow(window: BarWindow): string {
  const day = (at: number | undefined, fallback: string) => (at === undefined ? fallback : new Date(at).toISOString());
  return `${day(window.from, 'the start')} and ${day(window.to, 'the end')}`;
}
