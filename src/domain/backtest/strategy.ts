// What a strategy is: declared parameters and callbacks acting through a small context. The same definition runs in
// a backtest (over columns of history, indicators computed once over the whole series) and, later, live (bars arrive
// one at a time and indicators update incrementally); nothing here says which.
import type { PriceField } from './bars.js';

export type ParamType = 'int' | 'float' | 'bool';
export type ParamValue = number | boolean;
export type ParamValues = Readonly<Record<string, ParamValue>>;

/** One tunable parameter: its name, type, default and the range a sweep may explore. */
export interface ParamSpec {
  readonly name: string;
  readonly type: ParamType;
  readonly default: ParamValue;
  readonly min?: number;
  readonly max?: number;
  /** The grid step a sweep uses when the caller gives only a range. */
  readonly step?: number;
  readonly description?: string;
}

/** A value per bar, read at the strategy's current bar. NaN where it has no value yet (the warm-up). */
export interface Line {
  /** The value at the current bar. */
  readonly value: number;
  /** The value `barsAgo` bars before the current one (0 is the current bar); NaN before the first. */
  ago(barsAgo: number): number;
}

export interface Macd {
  readonly macd: Line;
  readonly signal: Line;
  readonly histogram: Line;
}
export interface Bands {
  readonly upper: Line;
  readonly middle: Line;
  readonly lower: Line;
}
export interface Supertrend {
  /** The trailing stop line. */
  readonly line: Line;
  /** +1 while the trend is up, −1 while it is down. */
  readonly direction: Line;
}

/** Indicators a strategy declares in `init`; each is a Line (or a few) it reads in `onBar`. */
export interface IndicatorKit {
  sma(length: number, source?: PriceField | Line): Line;
  ema(length: number, source?: PriceField | Line): Line;
  wma(length: number, source?: PriceField | Line): Line;
  rsi(length: number, source?: PriceField | Line): Line;
  macd(fast?: number, slow?: number, signal?: number, source?: PriceField | Line): Macd;
  atr(length: number): Line;
  bollinger(length: number, deviations?: number, source?: PriceField | Line): Bands;
  supertrend(length: number, multiplier: number): Supertrend;
  /** Volume-weighted average price of the typical price, restarting each UTC day. */
  vwap(): Line;
}

/** The bars so far: each field as a Line, the current bar's index and start time (epoch ms, UTC). */
export interface BarsView {
  readonly open: Line;
  readonly high: Line;
  readonly low: Line;
  readonly close: Line;
  readonly volume: Line;
  readonly index: number;
  readonly time: number;
}

/**
 * An order. `size` in (0, 1) is a fraction of the available margin, ≥ 1 a whole number of units; absent, all of it.
 * With `limit` and/or `stop` it waits for its price; `sl` and `tp` attach a stop-loss and a take-profit to the trade
 * it opens.
 */
export interface OrderRequest {
  readonly size?: number;
  readonly limit?: number;
  readonly stop?: number;
  readonly sl?: number;
  readonly tp?: number;
  readonly tag?: string;
}

/** The net position: units (negative short), and its unrealised profit at the current close. */
export interface PositionView {
  readonly size: number;
  readonly pl: number;
  /** Unrealised profit as a fraction of the entry value. */
  readonly plPct: number;
  readonly isLong: boolean;
  readonly isShort: boolean;
}

/** What the strategy sees and does at each bar. */
export interface StrategyContext<P extends ParamValues = ParamValues> {
  readonly params: P;
  readonly bars: BarsView;
  readonly position: PositionView;
  readonly equity: number;
  readonly cash: number;
  buy(order?: OrderRequest): void;
  sell(order?: OrderRequest): void;
  /** Closes the whole position at market. */
  close(): void;
}

export interface InitContext<P extends ParamValues = ParamValues> {
  readonly params: P;
  readonly indicators: IndicatorKit;
  readonly bars: BarsView;
}

/** A fill the strategy is told of: units (negative for a sell) at a price, on the current bar. */
export interface FillView {
  readonly size: number;
  readonly price: number;
  readonly tag?: string;
}

/**
 * A strategy. `init` declares its indicators and returns whatever `onBar` needs (its state); `onBar` runs once per bar
 * after the warm-up (once every declared indicator has a value).
 */
export interface StrategyDefinition<P extends ParamValues = ParamValues, S = unknown> {
  readonly name: string;
  readonly description: string;
  readonly params: readonly ParamSpec[];
  /** Parameter sets that make sense (e.g. fast < slow); a sweep skips the others and a run refuses them. */
  readonly constraint?: (params: P) => boolean;
  init(ctx: InitContext<P>): S;
  onBar(ctx: StrategyContext<P>, state: S): void;
  onFill?(ctx: StrategyContext<P>, fill: FillView, state: S): void;
}

/** Lets a strategy module be written with its types inferred: `export default defineStrategy({...})`. */
export function defineStrategy<P extends ParamValues, S>(definition: StrategyDefinition<P, S>): StrategyDefinition<P, S> {
  return definition;
}

/** `a` crossed above `b` on the current bar: below (strictly) on the previous bar and above (strictly) now. */
export function crossover(a: Line, b: Line | number): boolean {
  const bNow = typeof b === 'number' ? b : b.value;
  const bBefore = typeof b === 'number' ? b : b.ago(1);
  return a.ago(1) < bBefore && a.value > bNow;
}

/** `a` crossed below `b` on the current bar. */
export function crossunder(a: Line, b: Line | number): boolean {
  const bNow = typeof b === 'number' ? b : b.value;
  const bBefore = typeof b === 'number' ? b : b.ago(1);
  return a.ago(1) > bBefore && a.value < bNow;
}
