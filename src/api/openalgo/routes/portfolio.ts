// portfolio/*: OpenAlgo's portfolio backtester over the daily closes of the broker serving the caller's account — the
// indices to benchmark against, a backtest of weighted holdings, its tear sheet (HTML), and the account's holdings.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  type HistorySource,
  PortfolioDataError,
  PortfolioInputError,
  type PortfolioBacktestRequest,
  type PortfolioReport,
  type Window,
  runPortfolioBacktest,
} from '../../../core/portfolio-backtest.js';
import { analyseHoldings } from '../../../core/portfolio-holdings.js';
import { istDate } from '../../../domain/clock.js';
import { isCalendarDay } from '../../../domain/market-calendar.js';
import type { Exchange } from '../../../domain/instrument.js';
import { withOverrides } from '../../../domain/delivery-charges.js';
import { type CostModel, indiaDeliveryCosts } from '../../../domain/portfolio-costs.js';
import { type ErrorReply, errorReply } from '../errors.js';
import { FieldError } from '../mappers.js';
import {
  BENCHMARK_EXCHANGES,
  BenchmarksQuery,
  BenchmarksResponse,
  PortfolioBacktestBody,
  PortfolioBacktestResponse,
  PortfolioHoldingsBody,
  PortfolioHoldingsResponse,
  TearsheetResponse,
} from '../portfolio-schemas.js';
import { tearsheetHtml } from '../portfolio-tearsheet.js';
import { type OpenAlgoDeps, type V1RouteConfig, principalOf, tradingFor } from '../route-context.js';
import { ErrorResponse, RateLimitedResponse } from '../schemas.js';

const read: V1RouteConfig = { style: 'data', scope: 'read' };
const errors = { 400: ErrorResponse, 403: ErrorResponse, 422: ErrorResponse, 429: RateLimitedResponse };

const DATA_NOTE =
  "Prices are the daily closes of the broker serving the account on the exchange's sessions (the paper exchange: its " +
  'simulated market from 2000-01-01, read a year at a time, weekends and NSE/BSE holidays dropped), whatever `source` ' +
  'says; Ordergate has no local history store. Price returns: dividends are not included. ' +
  'Sections OpenAlgo computes that Ordergate does not (walk-forward, Monte Carlo, rebalancing sweep, attribution, ' +
  'structure, crisis, health, insights, drawdown episodes, return quantiles, weekly grids) are absent, listed in ' +
  '`meta.not_computed`. A refused request is a 400 (duplicate symbol, weights summing to zero, a date that is not ' +
  '`YYYY-MM-DD`), a window the data cannot answer a 422 (unknown symbol, no common sessions).';

export async function portfolioRoutes(fastify: FastifyInstance, deps: OpenAlgoDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/portfolio/benchmarks',
    {
      config: read,
      schema: {
        summary: 'Indices usable as a benchmark',
        description: 'The indices of the instrument master (NSE_INDEX, BSE_INDEX, GLOBAL_INDEX), ordered by exchange and symbol.',
        tags: ['portfolio'],
        querystring: BenchmarksQuery,
        response: { 200: BenchmarksResponse, ...errors },
      },
    },
    async () => {
      const data = BENCHMARK_EXCHANGES.flatMap((exchange) =>
        [...deps.instruments.list(exchange)]
          .filter((instrument) => instrument.instrumentType === 'INDEX')
          .sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0))
          .map((instrument) => ({ symbol: instrument.symbol, exchange: instrument.exchange, name: instrument.name })),
      );
      return { status: 'success' as const, data };
    },
  );

  app.post(
    '/portfolio/backtest',
    {
      config: read,
      schema: {
        summary: 'Backtest of a weighted portfolio',
        description: `A weighted portfolio of NSE/BSE holdings, bought on the first common session, rebalanced by the calendar or a drift band, costs charged on each rebalance. ${DATA_NOTE}`,
        tags: ['portfolio'],
        body: PortfolioBacktestBody,
        response: { 200: PortfolioBacktestResponse, ...errors },
      },
    },
    async (request, reply) => {
      const outcome = await backtest(request.body, principalOf(request).accountId, tradingFor(request, deps), deps.clock.now());
      if ('refusal' in outcome) return reply.code(outcome.refusal.statusCode).send(outcome.refusal.body);
      return { status: 'success' as const, ...outcome.report };
    },
  );

  app.post(
    '/portfolio/tearsheet',
    {
      config: read,
      schema: {
        summary: 'Tear sheet of a weighted portfolio (HTML)',
        description: `The backtest of POST /portfolio/backtest as a downloadable HTML page: metrics, equity against the benchmark, yearly and monthly returns, holdings, costs (Ordergate's own page; OpenAlgo renders openstatz's dashboard). ${DATA_NOTE}`,
        tags: ['portfolio'],
        body: PortfolioBacktestBody,
        response: { 200: TearsheetResponse, ...errors },
      },
    },
    async (request, reply) => {
      const outcome = await backtest(request.body, principalOf(request).accountId, tradingFor(request, deps), deps.clock.now());
      if ('refusal' in outcome) return reply.code(outcome.refusal.statusCode).send(outcome.refusal.body);
      return reply
        .type('text/html; charset=utf-8')
        .header('content-disposition', 'attachment; filename="portfolio-tearsheet.html"')
        .send(tearsheetHtml(outcome.report));
    },
  );

  app.post(
    '/portfolio/holdings',
    {
      config: read,
      schema: {
        summary: 'Analysis of the account holdings as a portfolio',
        description:
          "The account's holdings weighted by market value, and the backtest of those weights (buy and hold) over the " +
          `last \`lookback_days\`: how today's portfolio would have behaved, not how the account performed. ${DATA_NOTE}`,
        tags: ['portfolio'],
        body: PortfolioHoldingsBody,
        response: { 200: PortfolioHoldingsResponse, ...errors },
      },
    },
    async (request, reply) => {
      const { lookback_days, benchmark, benchmark_exchange, risk_free_rate } = request.body;
      try {
        const answer = await analyseHoldings(tradingFor(request, deps), principalOf(request).accountId, {
          lookbackDays: lookback_days,
          ...(benchmark ? { benchmark: { symbol: benchmark, exchange: benchmark_exchange as Exchange } } : {}),
          riskFreeRate: risk_free_rate,
          costs: indiaDeliveryCosts('NSE'),
          now: deps.clock.now(),
        });
        return { status: 'success' as const, ...answer };
      } catch (error) {
        if (!(error instanceof PortfolioDataError)) throw error;
        const { statusCode, body } = errorReply(422, error.message);
        return reply.code(statusCode).send(body);
      }
    },
  );
}

/** The backtest report, or the answer refusing it: 400 for what the engine refuses, 422 for what the data cannot answer. */
async function backtest(
  body: PortfolioBacktestBody,
  accountId: string,
  trading: HistorySource,
  now: number,
): Promise<{ report: PortfolioReport } | { refusal: ErrorReply }> {
  const window: Window = windowOf(body.start_date, body.end_date, now);
  const request: PortfolioBacktestRequest = {
    holdings: body.holdings.map((holding) => ({ symbol: holding.symbol, exchange: holding.exchange, weight: holding.weight })),
    window,
    ...(body.benchmark ? { benchmark: { symbol: body.benchmark, exchange: body.benchmark_exchange as Exchange } } : {}),
    rule: body.rebalance,
    driftBand: body.drift_band,
    costs: costModelOf(body),
    costModelName: body.cost_model,
    initialCapital: body.initial_capital,
    riskFreeRate: body.risk_free_rate,
  };
  try {
    return { report: await runPortfolioBacktest(trading, accountId, request) };
  } catch (error) {
    if (error instanceof PortfolioInputError) return { refusal: errorReply(400, error.message) };
    if (error instanceof PortfolioDataError) return { refusal: errorReply(422, error.message) };
    throw error;
  }
}

/** The request's cost model: a flat rate, or the India delivery schedule of `cost_exchange` with the request's edits. */
export function costModelOf(body: PortfolioBacktestBody): CostModel {
  if (body.cost_model === 'flat_bps') return { kind: 'flat', bps: body.cost_bps, slippage: body.slippage };
  const overrides = { ...body.charges };
  if (body.brokerage_pct && !('brokerage' in overrides)) overrides.brokerage = { flat: 0, rate: body.brokerage_pct, cap: 20 };
  const schedule = withOverrides(indiaDeliveryCosts(body.cost_exchange), overrides);
  return { ...schedule, slippage: body.slippage, ...(body.gst_rate === null ? {} : { taxRate: body.gst_rate }) };
}

function windowOf(startDate: string, endDate: string, now: number): Window {
  checkDay(startDate, 'start_date');
  checkDay(endDate, 'end_date');
  return { startDate, endDate, today: istDate(now) };
}

/** Refuses what is not a real `YYYY-MM-DD` day with marshmallow's "Not a valid date.". */
function checkDay(text: string, field: string): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || !isCalendarDay(text)) throw new FieldError(field, 'Not a valid date.');
}
