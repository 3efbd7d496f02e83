// What a broker reports of the market: quotes, depth and history bars, in the neutral model.
import type { Decimal } from './decimal.js';
import type { Exchange } from './instrument.js';

/** An instrument's market at one instant, as a market source reports it. */
export interface MarketQuote {
  lastPrice: Decimal;
  bid: Decimal;
  ask: Decimal;
  open: Decimal;
  high: Decimal;
  low: Decimal;
  previousClose: Decimal;
  volume: Decimal;
  lastQuantity: Decimal;
  /** Epoch milliseconds. */
  at: number;
}

/** A quote as a broker reports it to clients. */
export interface QuoteView extends MarketQuote {
  openInterest: Decimal;
}

export interface DepthLevel {
  price: Decimal;
  quantity: Decimal;
  orders: number;
}

export interface DepthView extends QuoteView {
  /** Best first; five levels each. */
  bids: DepthLevel[];
  asks: DepthLevel[];
}

export type BarUnit = 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month';

/** `count` units per bar: `{unit: 'minute', count: 5}` is a five-minute bar. Days, weeks and months have count 1. */
export interface BarInterval {
  readonly unit: BarUnit;
  readonly count: number;
}

/** One bar: open, high, low and close prices and the quantity traded in its period. */
export interface Bar {
  /** Epoch ms at which the bar's period starts. */
  time: number;
  open: Decimal;
  high: Decimal;
  low: Decimal;
  close: Decimal;
  volume: Decimal;
}

/** The bars of one instrument or data set, cut into any interval it supports. */
export interface HistorySeries {
  readonly symbol: string;
  readonly exchange: Exchange;
  /** Intervals this series can be cut into, finest first. */
  readonly intervals: readonly BarInterval[];
  /** What the bars are made of, for messages (e.g. `bars replayed from GOOG.csv (daily)`). */
  readonly source: string;
  /** Longest range of one request, in days before the day (or instant) it ends: bounds the work one request makes. */
  maxDaysBack(interval: BarInterval): number;
  /** Bars whose period starts in [from, to) (epoch ms), none after the clock's now; the current bar ends at now. */
  bars(interval: BarInterval, from: number, to: number): Promise<Bar[]>;
}

export function sameInterval(a: BarInterval, b: BarInterval): boolean {
  return a.unit === b.unit && a.count === b.count;
}
