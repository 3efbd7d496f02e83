// The fill-model port of the backtest loop (engine.ts): what a broker simulation offers the loop and the strategy.
// `reference` (reference-broker.ts) reproduces backtesting.py; an `exchange` model plugs in through the same port.
import type { BarColumns } from './bars.js';
import type { ClosedTrade, SimulationSettings } from './simulation.js';
import type { OrderRequest, PositionView } from './strategy.js';

/**
 * A fill model as the loop drives it. At each bar i: `processOrders(i)` fills what bar i's prices allow,
 * `recordEquity(i)` notes the equity at its close, then the strategy reads the position, cash and equity (at bar i's
 * close) and places orders.
 */
export interface SimulationBroker {
  readonly position: PositionView;
  readonly cash: number;
  readonly equity: number;
  processOrders(index: number): void;
  /** Records the equity at the bar's close; false when the account is out of money and the run stops there. */
  recordEquity(index: number): boolean;
  /** A buy (direction 1) or sell (−1); the request's size is unsigned. */
  placeOrder(direction: 1 | -1, request: OrderRequest | undefined): void;
  /** Closes the whole position at market. */
  closePosition(): void;
  /** After a complete run with `finalizeTrades`: closes every open trade over the last bar's prices. */
  finalize(lastIndex: number): void;
  /** Equity at each bar's close, written from the loop's first bar on (the engine fills the bars before it). */
  readonly equityCurve: Float64Array;
  readonly closedTrades: readonly ClosedTrade[];
  readonly openTrades: number;
  /** What the model did beyond fills, by name (the exchange model's refusals, square-offs, charges); none for reference. */
  report?(): FillReport;
}

/** Counts and totals a fill model reports of a run, by name. */
export type FillReport = Readonly<Record<string, number>>;

/** Told of every fill as it happens: units (negative for a sell) at a price. */
export type FillListener = (size: number, price: number, tag: string | undefined) => void;

export type BrokerFactory = (
  bars: BarColumns,
  settings: SimulationSettings,
  onFill: FillListener | undefined,
) => SimulationBroker;

