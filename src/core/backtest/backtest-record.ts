// A finished backtest run as it is stored and answered: what it was given (strategy, parameters, data source,
// settings) and what it gave (backtesting.py's statistics under their report names and AlphaOracle's, the equity and
// drawdown curve, the trades). The curve keeps at most EQUITY_POINTS points, so a run over a million bars stays small.
import type { BarColumns } from '../../domain/backtest/bars.js';
import type { Statistics } from '../../domain/backtest/statistics.js';
import type { ClosedTrade, FillModel, SimulationSettings } from '../../domain/backtest/simulation.js';
import type { ParamValues } from '../../domain/backtest/strategy.js';
import type { BarSource } from './bar-sources.js';

/** A statistic: a number, an ISO date (Start, End), or null where the library gives NaN. */
export type StatisticValue = number | string | null;

/** At most this many points of the equity curve are kept: one per bucket of bars, the bucket's last. */
export const EQUITY_POINTS = 5_000;

/** AlphaOracle's names for five of the report's statistics, as its clients read them. */
const ALPHA_ORACLE_NAMES = {
  sharpe_ratio: 'Sharpe Ratio',
  max_drawdown_pct: 'Max. Drawdown [%]',
  total_return_pct: 'Return [%]',
  total_trades: '# Trades',
  win_rate: 'Win Rate [%]',
} as const;

export interface EquityPoint {
  readonly time: string;
  readonly equity: number;
  /** The deepest drawdown within the bars this point stands for, in percent (≥ 0). */
  readonly drawdown_pct: number;
}

export interface TradeRecord {
  readonly size: number;
  readonly entry_bar: number;
  readonly exit_bar: number;
  readonly entry_time: string;
  readonly exit_time: string;
  readonly entry_price: number;
  readonly exit_price: number;
  readonly pnl: number;
  readonly return_pct: number;
  readonly commissions: number;
  readonly tag: string | null;
}

/** Where the bars came from, as stored: a CSV's text is not kept, only its name and size. */
export type StoredSource = Exclude<BarSource, { kind: 'csv' }> | { readonly kind: 'csv'; readonly name: string | null };

export interface RunSettings extends SimulationSettings {
  readonly fillModel: FillModel;
  /** UTC instants of the window asked for, as ISO text; null when open. */
  readonly startDate: string | null;
  readonly endDate: string | null;
}

export interface BacktestRun {
  readonly id: string;
  readonly strategy: string;
  readonly params: ParamValues;
  readonly source: StoredSource;
  readonly settings: RunSettings;
  readonly statistics: Readonly<Record<string, StatisticValue>>;
  readonly equity: readonly EquityPoint[];
  readonly trades: readonly TradeRecord[];
  readonly barCount: number;
  readonly createdAt: number;
  /** The `exchange` model's refusals by reason, square-offs and charges; null for `reference`. */
  readonly fillReport: Readonly<Record<string, number>> | null;
}

/**
 * The statistics as JSON holds them: NaN as null, an infinite ratio (a Sortino with no losing period) as the text
 * "Infinity" or "-Infinity", a statistic the run did not report left out.
 */
export function jsonStatistics(statistics: Statistics): Record<string, StatisticValue> {
  const out: Record<string, StatisticValue> = {};
  for (const [name, value] of Object.entries(statistics)) {
    if (value === undefined) continue;
    out[name] = typeof value !== 'number' || Number.isFinite(value) ? value : Number.isNaN(value) ? null : value > 0 ? 'Infinity' : '-Infinity';
  }
  return out;
}

/** A run as the history lists it: without its equity curve and trades. */
export type BacktestRunSummary = Omit<BacktestRun, 'equity' | 'trades'>;

/** The five AlphaOracle names with their values from the report. */
export function alphaOracleStatistics(statistics: Readonly<Record<string, StatisticValue>>): Record<keyof typeof ALPHA_ORACLE_NAMES, StatisticValue> {
  const named = {} as Record<keyof typeof ALPHA_ORACLE_NAMES, StatisticValue>;
  for (const [alias, report] of Object.entries(ALPHA_ORACLE_NAMES) as Array<[keyof typeof ALPHA_ORACLE_NAMES, string]>) {
    named[alias] = statistics[report] ?? null;
  }
  return named;
}

export function storedSourceOf(source: BarSource): StoredSource {
  return source.kind === 'csv' ? { kind: 'csv', name: source.name ?? null } : source;
}

/** The equity curve, bucketed down to at most EQUITY_POINTS points. */
export function equityPointsOf(bars: BarColumns, equity: Float64Array, drawdown: Float64Array): EquityPoint[] {
  const n = equity.length;
  const per = Math.max(1, Math.ceil(n / EQUITY_POINTS));
  const points: EquityPoint[] = [];
  for (let start = 0; start < n; start += per) {
    const end = Math.min(n, start + per);
    let deepest = 0;
    for (let i = start; i < end; i++) if (drawdown[i]! > deepest) deepest = drawdown[i]!;
    points.push({ time: isoOf(bars.time[end - 1]!), equity: equity[end - 1]!, drawdown_pct: deepest * 100 });
  }
  return points;
}

export function tradeRecordsOf(trades: readonly ClosedTrade[]): TradeRecord[] {
  return trades.map((trade) => ({
    size: trade.size,
    entry_bar: trade.entryBar,
    exit_bar: trade.exitBar,
    entry_time: isoOf(trade.entryTime),
    exit_time: isoOf(trade.exitTime),
    entry_price: trade.entryPrice,
    exit_price: trade.exitPrice,
    pnl: trade.pl,
    return_pct: trade.returnPct * 100,
    commissions: trade.commissions,
    tag: trade.tag ?? null,
  }));
}

export function isoOf(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
