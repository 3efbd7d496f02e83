// A backtest of a weighted portfolio of NSE/BSE holdings over the broker's daily closes, reported section by section as
// OpenAlgo's portfolio backtester reports it (equity, metrics, holdings, correlation, costs, calendar views, …).
import type { Exchange } from '../domain/instrument.js';
import {
  concentration,
  correlation,
  diversificationRatio,
  drawdownSeries,
  summarize,
} from '../domain/portfolio-analytics.js';
import type { CostModel } from '../domain/portfolio-costs.js';
import { monthlyGrid, rollingRisk, seasonality, yearlyReturns } from '../domain/portfolio-periods.js';
import { PortfolioInputError, type RebalanceRule, returnsOf, simulate } from '../domain/portfolio-simulation.js';
import { type HistorySource, type LoadedPrices, PortfolioDataError, type Window, loadPrices } from './portfolio-prices.js';

export { PortfolioDataError, PortfolioInputError };
export type { HistorySource, Window };

/** OpenAlgo caps one request's holdings: a backtest keeps every holding's history in memory. */
export const MAX_SYMBOLS = 50;

export interface PortfolioHolding {
  symbol: string;
  exchange: Exchange;
  weight: number;
}

export interface PortfolioBacktestRequest {
  holdings: readonly PortfolioHolding[];
  window: Window;
  benchmark?: { symbol: string; exchange: Exchange };
  rule: RebalanceRule;
  driftBand: number;
  costs: CostModel;
  /** The request's `cost_model` word, echoed in the costs section. */
  costModelName: string;
  initialCapital: number;
  riskFreeRate: number;
}

/** JSON of the report: numbers rounded as OpenAlgo rounds them, NaN and infinities as null. */
export type ReportValue = string | number | boolean | null | ReportValue[] | { [key: string]: ReportValue };

/** The report's sections, in OpenAlgo's order and words. */
export type PortfolioReport = {
  [Section in 'meta' | 'equity' | 'benchmark_equity' | 'metrics' | 'items' | 'correlation' | 'diversification' | 'series' | 'asset_returns' | 'allocation' | 'costs' | 'rebalancing']: ReportValue;
};

/** The sections Ordergate does not compute, named in `meta.not_computed` so a client knows they are absent. */
export const NOT_COMPUTED = [
  'walk_forward',
  'monte_carlo',
  'rebalancing_sweep',
  'attribution',
  'structure',
  'crisis',
  'health',
  'insights',
  'series.drawdown_episodes',
  'series.return_quantiles',
  'series.weekly_grid',
  'series.weekly_returns',
];

/**
 * The report: the answer's body apart from `status`. PortfolioInputError for a request the engine refuses (400),
 * PortfolioDataError when the data cannot answer it (422). A benchmark that cannot be priced leaves the report without
 * its relative figures, as in OpenAlgo (`meta.benchmark_error` says why).
 */
export async function runPortfolioBacktest(source: HistorySource, accountId: string, request: PortfolioBacktestRequest): Promise<PortfolioReport> {
  const symbols = request.holdings.map((holding) => holding.symbol.trim().toUpperCase());
  if (new Set(symbols).size !== symbols.length) throw new PortfolioInputError('duplicate symbol in holdings');
  const holdings = request.holdings.map((holding, i) => ({ symbol: symbols[i] as string, exchange: holding.exchange }));
  const prices = await loadPrices(source, accountId, holdings, request.window);
  const result = simulate({
    prices,
    weights: request.holdings.map((holding) => holding.weight),
    rule: request.rule,
    driftBand: request.driftBand,
    costs: request.costs,
    initialCapital: request.initialCapital,
  });
  const { dates } = prices;
  const returns = returnsOf(result.equity);
  const returnDates = dates.slice(1);

  const bench = request.benchmark ? await benchmarkOf(source, accountId, request, prices) : undefined;
  const benchReturns = bench?.closes ? returnsOf(bench.closes) : undefined;
  const benchDates = bench?.closes ? dates.slice(dates.length - bench.closes.length + 1) : [];
  const joined = benchReturns ? returns.slice(returns.length - benchReturns.length) : undefined;
  const holdingReturns = prices.closes.map(returnsOf);

  // Relative figures on the sessions both have; the portfolio's own over all of its sessions.
  const allMetrics: Record<string, number> = { ...summarize(returns, undefined, request.riskFreeRate) };
  if (benchReturns && joined) {
    const relative = summarize(joined, benchReturns, request.riskFreeRate);
    for (const key of RELATIVE_KEYS) allMetrics[key] = relative[key] as number;
    allMetrics.excess_cagr = (allMetrics.cagr as number) - (relative.benchmark_cagr as number);
  }

  const turnoverTotal = result.rebalances.reduce((total, each) => total + each.turnover, 0);
  const window = returns.length > 200 ? 126 : Math.max(20, Math.floor(returns.length / 4));
  const series: Record<string, ReportValue> = { drawdown: curve(returnDates, drawdownSeries(returns).map((d) => d * 100)) };
  if (returns.length > window) {
    const rolling = rollingRisk({ dates: returnDates, returns }, window, request.riskFreeRate);
    series.rolling = { window, sharpe: curveOf(rolling.sharpe), volatility: curveOf(rolling.volatility) };
  }
  if (returns.length > 0) {
    series.monthly_returns = clean(monthlyGrid({ dates: returnDates, returns }));
    series.seasonality = clean(seasonality({ dates: returnDates, returns }));
  }
  series.yearly_returns = clean(
    (benchReturns && joined
      ? yearlyReturns({ dates: benchDates, returns: joined }, { dates: benchDates, returns: benchReturns })
      : yearlyReturns({ dates: returnDates, returns })
    ).map((row) => ({ ...row })),
  );

  const meta: Record<string, ReportValue> = {
    symbols,
    target_weights: Object.fromEntries(symbols.map((symbol, h) => [symbol, result.target[h] as number])),
    rule: request.rule,
    drift_band: request.driftBand,
    cost_model: request.costs.kind === 'schedule' ? { kind: 'schedule', name: request.costs.name } : { kind: 'flat_bps', bps: request.costs.bps },
    orders: result.orders,
    slippage: request.costs.slippage,
    initial_capital: request.initialCapital,
    sessions: dates.length,
    source: 'api',
    start: dates[0] as string,
    end: dates[dates.length - 1] as string,
    benchmark: request.benchmark?.symbol ?? null,
    risk_free_rate: request.riskFreeRate,
    total_return_basis: 'price',
    data_warnings: prices.warnings,
    not_computed: NOT_COMPUTED,
  };
  if (bench?.error) meta.benchmark_error = bench.error;

  const { costBreakdown } = result;
  return {
    meta,
    equity: curve(dates, result.equity),
    benchmark_equity: bench?.closes ? curve(dates.slice(dates.length - bench.closes.length), bench.closes.map((c) => (c / (bench.closes?.[0] as number)) * request.initialCapital)) : [],
    metrics: clean(allMetrics),
    items: clean(symbols.map((symbol, h) => ({ symbol, ...result.items[h] }))),
    correlation: {
      symbols,
      matrix: clean(holdingReturns.map((a) => holdingReturns.map((b) => correlation(a, b, 20)))),
      average_pairwise: clean(averagePairwise(holdingReturns)),
    },
    diversification: clean({ ...concentration(result.target), diversification_ratio: diversificationRatio(result.target, holdingReturns) }),
    series,
    asset_returns: clean(assetReturns(prices)),
    allocation: clean(allocationPath(dates, symbols, result.weights)),
    costs: clean({
      model: request.costModelName,
      ...Object.fromEntries(Object.entries(costBreakdown).map(([key, value]) => [key === 'tax' ? 'gst' : key, value])),
      schedule: request.costs.kind === 'schedule' ? request.costs.name : 'flat bps',
      drag: result.costDrag,
      turnover: turnoverTotal,
    }),
    rebalancing: {
      rule: request.rule,
      drift_band: request.driftBand,
      count: result.rebalances.length,
      cost_drag: clean(result.costDrag),
      turnover_total: clean(turnoverTotal),
      dates: result.rebalances.map((each) => each.date),
    },
  };
}

const RELATIVE_KEYS = ['alpha', 'beta', 'information_ratio', 'benchmark_cagr', 'excess_cagr', 'up_capture', 'down_capture'] as const;

/** The benchmark's closes on the portfolio's sessions (carried forward over its gaps, from its first close on). */
async function benchmarkOf(source: HistorySource, accountId: string, request: PortfolioBacktestRequest, prices: LoadedPrices): Promise<{ closes?: number[]; error?: string }> {
  const { symbol, exchange } = request.benchmark as { symbol: string; exchange: Exchange };
  let loaded: LoadedPrices;
  try {
    loaded = await loadPrices(source, accountId, [{ symbol: symbol.trim().toUpperCase(), exchange }], request.window);
  } catch (error) {
    if (error instanceof PortfolioDataError) return { error: error.message };
    throw error;
  }
  const byDate = new Map(loaded.dates.map((date, i) => [date, (loaded.closes[0] as number[])[i] as number]));
  const aligned: number[] = [];
  let last: number | undefined;
  for (const date of prices.dates) {
    last = byDate.get(date) ?? last;
    if (last !== undefined) aligned.push(last);
  }
  return aligned.length > 1 ? { closes: aligned } : { error: `${symbol}: fewer than 2 closes on the portfolio's sessions` };
}

function averagePairwise(returns: readonly number[][]): number {
  const pairs: number[] = [];
  for (let i = 0; i < returns.length; i++) {
    for (let j = i + 1; j < returns.length; j++) {
      const value = correlation(returns[i] as number[], returns[j] as number[]);
      if (!Number.isNaN(value)) pairs.push(value);
    }
  }
  return pairs.length === 0 ? NaN : pairs.reduce((total, value) => total + value, 0) / pairs.length;
}

/** Sessions in OpenAlgo's trailing windows (1W … 5Y); null when the history is shorter. */
const TRAILING: readonly [string, number][] = [['1W', 5], ['1M', 21], ['3M', 63], ['1Y', 252], ['3Y', 756], ['5Y', 1260]];

function assetReturns(prices: LoadedPrices): Record<string, number | string | null>[] {
  const rows = prices.symbols.map((symbol, h) => {
    const series = prices.closes[h] as number[];
    const last = series[series.length - 1] as number;
    const row: Record<string, number | string | null> = { symbol, last: round(last, 2) };
    for (const [label, sessions] of TRAILING) row[label] = series.length > sessions ? last / (series[series.length - 1 - sessions] as number) - 1 : null;
    return row;
  });
  // Best trailing year first; holdings without a year of history last.
  return rows.sort((a, b) => Number(a['1Y'] === null) - Number(b['1Y'] === null) || ((b['1Y'] as number) ?? 0) - ((a['1Y'] as number) ?? 0));
}

/** The weight path thinned to about 400 points (the last session always kept), with each holding's average weight. */
function allocationPath(dates: readonly string[], symbols: readonly string[], weights: readonly number[][]) {
  const step = Math.max(1, Math.floor(weights.length / 400));
  const picked: number[] = [];
  for (let i = 0; i < weights.length; i += step) picked.push(i);
  if (picked[picked.length - 1] !== weights.length - 1) picked.push(weights.length - 1);
  return {
    dates: picked.map((i) => dates[i] as string),
    symbols: [...symbols],
    series: Object.fromEntries(symbols.map((symbol, h) => [symbol, picked.map((i) => round((weights[i] as number[])[h] as number, 5))])),
    average: Object.fromEntries(symbols.map((symbol, h) => [symbol, round(weights.reduce((total, w) => total + (w[h] as number), 0) / weights.length, 5)])),
  };
}

/** Date/value rows rounded to 4 decimals; values that are not finite are left out, as pandas' dropna would. */
function curve(dates: readonly string[], values: readonly number[]): { date: string; value: number }[] {
  return values.flatMap((value, i) => (Number.isFinite(value) ? [{ date: dates[i] as string, value: round(value, 4) }] : []));
}

function curveOf(points: readonly { date: string; value: number }[]) {
  return curve(points.map((point) => point.date), points.map((point) => point.value));
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

type Cleanable = number | string | boolean | null | undefined | readonly Cleanable[] | { readonly [key: string]: Cleanable };

/** OpenAlgo's `_clean`: floats to 6 decimals, NaN and infinities to null (not dropped: the shape stays the same). */
export function clean(value: Cleanable): ReportValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? (Number.isInteger(value) ? value : round(value, 6)) : null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((item: Cleanable) => clean(item));
  return Object.fromEntries(Object.entries(value as { readonly [key: string]: Cleanable }).map(([key, item]) => [key, clean(item)]));
}
