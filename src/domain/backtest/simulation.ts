// The settings of one backtest run and what the simulation gives back, whichever fill model ran it: the equity at
// every bar's close and the closed trades. Statistics (statistics.ts) are computed from these.

/** `reference` reproduces backtesting.py; `exchange` fills as the paper exchange would (lots, ticks, charges). */
export type FillModel = 'reference' | 'exchange';

export interface SimulationSettings {
  /** Starting cash. */
  readonly cash: number;
  /** Commission as a fraction of traded value, charged on entry and on exit. */
  readonly commission: number;
  /** Fraction added to buys' and taken from sells' fill prices. */
  readonly spread: number;
  /** Margin requirement (1 = no leverage; 0.02 = 50:1). */
  readonly margin: number;
  /** Market orders fill at the close of the bar they are placed on instead of the next open. */
  readonly tradeOnClose: boolean;
  /** Trades may be open both ways at once (no netting). */
  readonly hedging: boolean;
  /** Each new order closes the trades open before it. */
  readonly exclusiveOrders: boolean;
  /** Close every trade still open after the last bar, so the statistics count them. */
  readonly finalizeTrades: boolean;
}

/** backtesting.py's defaults, apart from cash and commission which every run states. */
export const DEFAULT_SETTINGS: SimulationSettings = {
  cash: 10_000,
  commission: 0,
  spread: 0,
  margin: 1,
  tradeOnClose: false,
  hedging: false,
  exclusiveOrders: false,
  finalizeTrades: false,
};

/** One closed trade. Sizes are units, negative for a short; bars are indices into the run's bars. */
export interface ClosedTrade {
  readonly size: number;
  readonly entryBar: number;
  readonly exitBar: number;
  readonly entryPrice: number;
  readonly exitPrice: number;
  readonly entryTime: number;
  readonly exitTime: number;
  /** Profit after both commissions. */
  readonly pl: number;
  /** Return as a fraction, after commissions: sign(size) × (exit / entry − 1) − commissions / (|size| × entry). */
  readonly returnPct: number;
  /** Both commissions. */
  readonly commissions: number;
  readonly sl?: number;
  readonly tp?: number;
  readonly tag?: string;
}

export interface SimulationResult {
  /** First bar at which every indicator has a value; strategy calls start at `warmup + 1`. */
  readonly warmup: number;
  /** Equity at every bar's close (bars before the loop hold the first recorded value). */
  readonly equity: Float64Array;
  readonly trades: readonly ClosedTrade[];
  /** Trades still open after the last bar (none with `finalizeTrades`). */
  readonly openTrades: number;
  /** What the fill model reports beyond fills (the exchange model's refusals, square-offs, charges). */
  readonly fillReport?: Readonly<Record<string, number>>;
}
