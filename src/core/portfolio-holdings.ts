// The account's holdings as a portfolio (OpenAlgo's POST /portfolio/holdings): weighted by today's market value, with
// the backtest of those weights over past prices. It shows how today's portfolio would have behaved, not how the
// account performed: holdings do not say when each lot was bought.
import { istDate } from '../domain/clock.js';
import { toNumber } from '../domain/decimal.js';
import type { Exchange } from '../domain/instrument.js';
import { istMidnightOf } from '../domain/market-calendar.js';
import type { HoldingView } from '../domain/position.js';
import type { CostModel } from '../domain/portfolio-costs.js';
import { PortfolioInputError } from '../domain/portfolio-simulation.js';
import { type PortfolioReport, type ReportValue, clean, runPortfolioBacktest } from './portfolio-backtest.js';
import { type HistorySource, PortfolioDataError } from './portfolio-prices.js';

const DAY_MS = 86_400_000;
/** The exchanges the backtest can hold; other holdings are reported but left out of the analysis. */
const SUPPORTED: ReadonlySet<string> = new Set(['NSE', 'BSE']);

export interface HoldingsSource extends HistorySource {
  listHoldings(accountId: string): Promise<HoldingView[]>;
}

export interface HoldingsAnalysisRequest {
  lookbackDays: number;
  benchmark?: { symbol: string; exchange: Exchange };
  riskFreeRate: number;
  /** Costs of the analysis run (buy and hold: nothing trades after the purchase). */
  costs: CostModel;
  /** Now, epoch ms: the analysis ends on its IST day. */
  now: number;
}

const BASIS =
  'Current holdings weighted by market value, run over past prices. This shows how today\'s portfolio would have ' +
  'behaved, not how the account performed -- a holdings payload does not say when each lot was bought.';

export interface HoldingsAnalysis {
  summary: ReportValue;
  /** The backtest answer of the NSE/BSE holdings, or null when it failed (`analysis_error` says why). */
  analysis: ({ status: 'success' } & PortfolioReport) | null;
  analysis_error: string | null;
  skipped: string[];
  meta: { lookback_days: number; start: string; end: string; basis: string };
}

/** The answer apart from `status`; PortfolioDataError (422) when no holding has a quantity and a price. */
export async function analyseHoldings(source: HoldingsSource, accountId: string, request: HoldingsAnalysisRequest): Promise<HoldingsAnalysis> {
  const held = (await source.listHoldings(accountId))
    .map((view) => ({ view, quantity: toNumber(view.quantity), average: toNumber(view.averagePrice), last: toNumber(view.lastPrice) }))
    .filter((row) => row.quantity > 0 && row.last > 0);
  if (held.length === 0) throw new PortfolioDataError('no holdings with a usable quantity and price');

  const current = held.reduce((total, row) => total + row.quantity * row.last, 0);
  const invested = held.reduce((total, row) => total + row.quantity * row.average, 0);
  const hasCost = held.every((row) => row.average > 0);
  const rows = held
    .map(({ view, quantity, average, last }) => {
      const cost = quantity * average;
      const value = quantity * last;
      return {
        symbol: view.symbol,
        exchange: view.exchange,
        quantity,
        average_price: round(average, 2),
        last_price: round(last, 2),
        invested: round(cost, 2),
        current: round(value, 2),
        pnl: round(value - cost, 2),
        pnl_pct: cost ? round((value / cost - 1) * 100, 2) : null,
        weight: round(value / current, 5),
        product: 'CNC',
      };
    })
    .sort((a, b) => b.current - a.current);
  const summary = {
    holdings: rows,
    weights: Object.fromEntries(held.map(({ view, quantity, last }) => [view.symbol, ((quantity * last) / current) * 100])),
    invested: hasCost ? round(invested, 2) : null,
    current: round(current, 2),
    pnl: round(current - invested, 2),
    pnl_pct: hasCost ? round((current / invested - 1) * 100, 2) : null,
    has_cost_basis: hasCost,
    count: rows.length,
  };

  const endDay = istMidnightOf(istDate(request.now));
  const startDay = endDay - request.lookbackDays * DAY_MS;
  const window = { startDate: istDate(startDay), endDate: istDate(endDay), today: istDate(request.now) };
  const tradable = summary.holdings.filter((row) => SUPPORTED.has(row.exchange));
  let analysis: HoldingsAnalysis['analysis'] = null;
  let analysisError: string | null = null;
  if (tradable.length > 0) {
    try {
      const report = await runPortfolioBacktest(source, accountId, {
        holdings: tradable.map((row) => ({ symbol: row.symbol, exchange: row.exchange, weight: row.weight * 100 })),
        window,
        ...(request.benchmark ? { benchmark: request.benchmark } : {}),
        rule: 'never',
        driftBand: 0,
        costs: request.costs,
        costModelName: 'indian_equity',
        initialCapital: 100_000,
        riskFreeRate: request.riskFreeRate,
      });
      analysis = { status: 'success', ...report };
    } catch (error) {
      if (!(error instanceof PortfolioDataError || error instanceof PortfolioInputError)) throw error;
      analysisError = error.message;
    }
  }
  return {
    summary: clean(summary),
    analysis,
    analysis_error: analysisError,
    skipped: summary.holdings.filter((row) => !SUPPORTED.has(row.exchange)).map((row) => row.symbol),
    meta: { lookback_days: request.lookbackDays, start: window.startDate, end: window.endDate, basis: BASIS },
  };
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}
