// Schemas of the v1 portfolio endpoints (benchmarks, backtest, tearsheet, holdings): OpenAlgo's request fields,
// defaults and limits (restx_api/portfolio.py), the answers' sections; validation, types and OpenAPI.
import { type Static, Type } from 'typebox';
import { MAX_SYMBOLS } from '../../core/portfolio-backtest.js';
import { REBALANCE_RULES } from '../../domain/portfolio-simulation.js';
import { apikey, dataBody, mode, requestObject, stringEnum, success } from './schemas.js';

export const PORTFOLIO_EXCHANGES = ['NSE', 'BSE'] as const;
export const BENCHMARK_EXCHANGES = ['NSE_INDEX', 'BSE_INDEX', 'GLOBAL_INDEX'] as const;

const nullableNumber = (limits: { minimum: number; maximum?: number }, description: string) =>
  Type.Unsafe<number | null>({ type: ['number', 'null'], ...limits, default: null, description });
const nullableString = (fallback: string | null, description: string) =>
  Type.Unsafe<string | null>({ type: ['string', 'null'], default: fallback, description });

const Holding = requestObject(
  {
    symbol: Type.String({ minLength: 1, maxLength: 64, description: 'Symbol of a cash-market holding.' }),
    exchange: stringEnum(PORTFOLIO_EXCHANGES, { default: 'NSE', description: '`NSE` (default) or `BSE`.' }),
    weight: Type.Number({ minimum: 0, description: 'Weight; percentages or fractions alike: only the ratio between holdings matters.' }),
  },
  { description: 'One holding.' },
);

export const PortfolioBacktestBody = dataBody(
  {
    apikey: apikey(),
    holdings: Type.Array(Holding, { minItems: 1, maxItems: MAX_SYMBOLS, description: `1 to ${MAX_SYMBOLS} holdings, each symbol once.` }),
    start_date: Type.String({ description: 'First day, `YYYY-MM-DD` (IST).' }),
    end_date: Type.String({ description: 'Last day, `YYYY-MM-DD` (IST), included.' }),
    benchmark: nullableString(null, 'Index to compare with (GET /portfolio/benchmarks); none by default.'),
    benchmark_exchange: stringEnum(BENCHMARK_EXCHANGES, { default: 'NSE_INDEX', description: "The benchmark's exchange." }),
    rebalance: stringEnum(REBALANCE_RULES, { default: 'never', description: 'Calendar rebalancing: on the last session of each month, quarter or year; `never` is buy and hold.' }),
    drift_band: Type.Number({ minimum: 0, maximum: 0.99, default: 0, description: 'Rebalance also when a weight drifts more than this (absolute, 0.05 = 5 points) from target; 0: off.' }),
    cost_model: stringEnum(['indian_equity', 'flat_bps'], { default: 'indian_equity', description: 'The itemised India delivery schedule, or a flat rate (`cost_bps`).' }),
    brokerage_pct: Type.Number({ minimum: 0, maximum: 0.05, default: 0, description: 'Brokerage as a fraction of each order, capped at 20 per order (unless `charges.brokerage` is given).' }),
    cost_exchange: stringEnum(PORTFOLIO_EXCHANGES, { default: 'NSE', description: "Whose exchange transaction charge applies." }),
    charges: Type.Record(
      Type.String(),
      Type.Record(Type.String(), Type.Unsafe<number | null>({ type: ['number', 'null'], minimum: 0 })),
      { default: {}, description: 'Per-charge overrides of the schedule, e.g. `{"stt": {"rate": 0.001}, "brokerage": {"flat": 20}}` (keys `rate`, `flat`, `cap`; charges `brokerage`, `stt`, `exchange_txn`, `sebi`, `stamp_duty`).' },
    ),
    gst_rate: nullableNumber({ minimum: 0, maximum: 1 }, 'GST on the taxed charges; 0.18 by default.'),
    cost_bps: Type.Number({ minimum: 0, maximum: 1000, default: 0, description: 'Flat cost in basis points of the traded value (`flat_bps`).' }),
    slippage: Type.Number({ minimum: 0, maximum: 0.1, default: 0, description: 'Execution gap as a fraction of the traded value.' }),
    initial_capital: Type.Number({ minimum: 1, default: 100000, description: 'Starting value.' }),
    risk_free_rate: Type.Number({ minimum: 0, maximum: 0.5, default: 0, description: 'Annual risk-free rate for Sharpe and Sortino.' }),
    source: stringEnum(['db', 'api'], { default: 'db', description: "OpenAlgo's history source; Ordergate reads the broker's history for both." }),
  },
  'A weighted portfolio to backtest.',
);
export type PortfolioBacktestBody = Static<typeof PortfolioBacktestBody>;

export const PortfolioHoldingsBody = dataBody(
  {
    apikey: apikey(),
    lookback_days: Type.Integer({ minimum: 60, maximum: 3650, default: 365, description: 'Days of history to run the current weights over.' }),
    benchmark: nullableString('NIFTY', 'Index to compare with; `NIFTY` by default, null for none.'),
    benchmark_exchange: stringEnum(BENCHMARK_EXCHANGES, { default: 'NSE_INDEX', description: "The benchmark's exchange." }),
    risk_free_rate: Type.Number({ minimum: 0, maximum: 0.5, default: 0, description: 'Annual risk-free rate.' }),
    source: stringEnum(['db', 'api'], { default: 'db', description: "OpenAlgo's history source; Ordergate reads the broker's history for both." }),
  },
  "The account's holdings, analysed as a portfolio.",
);
export type PortfolioHoldingsBody = Static<typeof PortfolioHoldingsBody>;

/** The key is optional in the schema so that a request without one meets OpenAlgo's 403, not a 400. */
export const BenchmarksQuery = dataBody({ apikey: Type.Optional(apikey()) }, 'Identifies the account by its API key.');

export const BenchmarksResponse = Type.Object({
  status: success(),
  data: Type.Array(
    Type.Object({
      symbol: Type.String({ description: 'Index symbol.' }),
      exchange: Type.String({ description: '`NSE_INDEX`, `BSE_INDEX` or `GLOBAL_INDEX`.' }),
      name: Type.String({ description: 'Name of the index.' }),
    }),
    { description: 'The indices of the instrument master, by exchange and symbol.' },
  ),
  mode: mode(),
});

const section = (description: string) => Type.Unknown({ description });

export const PortfolioReport = {
  meta: section('The run: symbols, target weights, rule, cost model, sessions, first and last day, `data_warnings` (moves that look like unadjusted splits), `not_computed` (OpenAlgo sections Ordergate leaves out), `benchmark_error` when the benchmark could not be priced.'),
  equity: section('`[{date, value}]`: portfolio value at each session close, net of costs (4 decimals).'),
  benchmark_equity: section("`[{date, value}]`: the benchmark scaled to the initial capital, on the portfolio's sessions; empty without one."),
  metrics: section('cagr, volatility, sharpe, sortino, calmar, max_drawdown, win_rate, best_day, worst_day, value_at_risk, cvar, ulcer_index, recovery_factor, tail_ratio, skew, kurtosis; with a benchmark alpha, beta, information_ratio, benchmark_cagr, excess_cagr, up_capture, down_capture. Null where undefined.'),
  items: section('Per holding: weight_target, weight_final, invested, price_pnl, costs, net_pnl, contribution_pct, symbol_return.'),
  correlation: section('symbols, matrix (null below 20 common returns), average_pairwise.'),
  diversification: section('hhi, effective_holdings, largest_weight, holdings, diversification_ratio.'),
  series: section('drawdown (percent), rolling (window, sharpe, volatility), monthly_returns (years × JAN…DEC), seasonality, yearly_returns (against the benchmark when given).'),
  asset_returns: section('Per holding: last close and trailing 1W, 1M, 3M, 1Y, 3Y, 5Y returns (sessions 5 … 1260; null when shorter).'),
  allocation: section('The weight path (about 400 points), with each holding\'s average weight.'),
  costs: section('What trading cost, line by line (brokerage, stt, exchange_txn, sebi, stamp_duty, gst, slippage, total, orders), schedule, drag, turnover.'),
  rebalancing: section('rule, drift_band, count, cost_drag, turnover_total, dates.'),
};

export const PortfolioBacktestResponse = Type.Object({ status: success(), ...PortfolioReport, mode: mode() });

export const PortfolioHoldingsResponse = Type.Object({
  status: success(),
  summary: section('holdings (by current value: quantity, average_price, last_price, invested, current, pnl, pnl_pct, weight, product), weights (percent), invested, current, pnl, pnl_pct, has_cost_basis, count.'),
  analysis: section('The backtest answer (as POST /portfolio/backtest) of the NSE/BSE holdings at their current weights, buy and hold, over `lookback_days`; null when it failed.'),
  analysis_error: Type.Union([Type.String(), Type.Null()], { description: 'Why the analysis failed, else null.' }),
  skipped: Type.Array(Type.String(), { description: 'Holdings left out of the analysis (not NSE/BSE).' }),
  meta: section('lookback_days, start, end, basis.'),
  mode: mode(),
});

export const TearsheetResponse = Type.String({ description: 'A self-contained HTML report (text/html), served as the attachment `portfolio-tearsheet.html`.' });
