// The routes of `/api/backtest`: run, optimize, jobs, history, one run, and the caller's strategies.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type Static, Type } from 'typebox';
import type { BacktestService, RunRequest, SweepRequest } from '../../core/backtest/backtest-service.js';
import type { BarSource, BarWindow } from '../../core/backtest/bar-sources.js';
import { EXCHANGES, type Exchange } from '../../domain/instrument.js';
import { AUTHENTICATED_ERRORS, AdminError, type AdminErrorCode, AdminErrorResponse } from '../admin/errors.js';
import { adminPrincipalOf } from '../admin/principal.js';
import { backtestFailureOf } from './backtest-failures.js';
import {
  HistoryQuery,
  IdParams,
  JobResource,
  NameParams,
  OptimizeBody,
  RunBody,
  RunResource,
  RunSummaryResource,
  StrategyResource,
  StrategyUpload,
  SweepResource,
} from './schemas.js';
import { jobView, resultView, runSummaryView, runView, strategyView } from './views.js';

const DAY_MS = 86_400_000;
const ERRORS = { ...AUTHENTICATED_ERRORS, 404: AdminErrorResponse, 422: AdminErrorResponse };
const TAGS = ['backtest'];
/** A CSV sent inline may be long: a million minute bars are about 60 MB of text. */
const BODY_LIMIT = 64 * 1024 * 1024;

export async function backtestRoutes(
  fastify: FastifyInstance,
  { backtests, syncWaitMs }: { backtests: BacktestService; syncWaitMs: number },
): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  /** Answers a started job: its result when it finishes within the wait, else 202 with the job to poll. */
  const answerJob = async (userId: string, jobId: string, async: boolean | undefined, reply: FastifyReply) => {
    const job = async ? backtests.job(userId, jobId) : await backtests.settle(userId, jobId, syncWaitMs);
    if (job === undefined) throw new AdminError('internal', 'The job vanished');
    if (job.status === 'succeeded' && job.result !== undefined) return reply.code(200).send(resultView(job.result));
    if (job.status === 'failed' && job.error !== undefined) throw new AdminError(job.error.code as AdminErrorCode, job.error.message);
    return reply.code(202).header('location', `/api/backtest/jobs/${job.id}`).send(jobView(job));
  };

  app.post(
    '/run',
    {
      bodyLimit: BODY_LIMIT,
      schema: {
        summary: 'Run a strategy over bars and get its statistics',
        description:
          'Answers 200 with the stored run when it finishes within about a second, else 202 with a job to poll at ' +
          '`GET /api/backtest/jobs/{id}` (`"async": true` answers 202 at once). An unknown strategy is 404; an invalid field, ' +
          'parameter, or data too short for the indicators is 422 with the reason.',
        tags: TAGS,
        body: RunBody,
        response: { 200: RunResource, 202: JobResource, ...ERRORS },
      },
    },
    async (request, reply) => {
      const { userId } = adminPrincipalOf(request);
      const jobId = await refusing(() => backtests.startRun(userId, runRequestOf(request.body)));
      return answerJob(userId, jobId, request.body.async, reply);
    },
  );

  app.post(
    '/optimize',
    {
      bodyLimit: BODY_LIMIT,
      schema: {
        summary: 'Sweep a strategy\'s parameters (grid or random search) over worker threads',
        description: 'Answers as `POST /api/backtest/run`: the ranked rows and, for two parameters, a heatmap; or 202 with a job.',
        tags: TAGS,
        body: OptimizeBody,
        response: { 200: SweepResource, 202: JobResource, ...ERRORS },
      },
    },
    async (request, reply) => {
      const { userId } = adminPrincipalOf(request);
      const jobId = await refusing(() => backtests.startSweep(userId, sweepRequestOf(request.body)));
      return answerJob(userId, jobId, request.body.async, reply);
    },
  );

  app.get(
    '/jobs/:id',
    {
      schema: { summary: 'A backtest job: its progress, then its result or error', tags: TAGS, params: IdParams, response: { 200: JobResource, ...ERRORS } },
    },
    async (request) => jobView(found(backtests.job(adminPrincipalOf(request).userId, request.params.id), 'job')),
  );

  app.delete(
    '/jobs/:id',
    {
      schema: { summary: 'Cancel a running backtest job', tags: TAGS, params: IdParams, response: { 200: JobResource, ...ERRORS } },
    },
    async (request) => jobView(found(backtests.cancel(adminPrincipalOf(request).userId, request.params.id), 'job')),
  );

  app.get(
    '/history',
    {
      schema: {
        summary: 'Your stored runs, newest first',
        tags: TAGS,
        querystring: HistoryQuery,
        response: { 200: Type.Object({ items: Type.Array(RunSummaryResource) }), ...ERRORS },
      },
    },
    async (request) => {
      const { strategy, limit = 20 } = request.query;
      const rows = await backtests.history(adminPrincipalOf(request).userId, { strategy, limit });
      return { items: rows.map(runSummaryView) };
    },
  );

  app.get(
    '/strategies',
    {
      schema: { summary: 'The strategies you can run, with their parameters', tags: TAGS, response: { 200: Type.Object({ items: Type.Array(StrategyResource) }), ...ERRORS } },
    },
    async (request) => ({ items: (await refusing(() => backtests.strategies(adminPrincipalOf(request).userId))).map(strategyView) }),
  );

  app.post(
    '/strategies',
    {
      schema: {
        summary: 'Upload a strategy (TypeScript), or replace yours of the same name',
        description: 'The module is read in a worker thread first: a syntax error or a bad shape is 422 with its line.',
        tags: TAGS,
        body: StrategyUpload,
        response: { 200: StrategyResource, 201: StrategyResource, ...ERRORS },
      },
    },
    async (request, reply) => {
      const { created, strategy } = await refusing(() => backtests.saveStrategy(adminPrincipalOf(request).userId, request.body.source));
      return reply.code(created ? 201 : 200).send(strategyView(strategy));
    },
  );

  app.delete(
    '/strategies/:name',
    {
      schema: { summary: 'Remove one of your uploaded strategies', tags: TAGS, params: NameParams, response: { 204: Type.Null(), ...ERRORS } },
    },
    async (request, reply) => {
      const removed = await backtests.removeStrategy(adminPrincipalOf(request).userId, request.params.name);
      if (!removed) throw new AdminError('not_found', `You have no uploaded strategy named '${request.params.name}'`);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/:id',
    {
      schema: { summary: 'A stored run: statistics, equity, trades and parameters', tags: TAGS, params: IdParams, response: { 200: RunResource, ...ERRORS } },
    },
    async (request) => runView(found(await backtests.run(adminPrincipalOf(request).userId, request.params.id), 'run')),
  );
}

function found<T>(value: T | undefined, what: 'job' | 'run'): T {
  if (value === undefined) throw new AdminError('not_found', `No such backtest ${what}`);
  return value;
}

/** Runs `work`, turning what it refuses (404, 422) into the envelope's errors. */
async function refusing<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const failure = backtestFailureOf(error);
    if (failure.status === 500) throw error;
    throw new AdminError(failure.code as AdminErrorCode, failure.message);
  }
}

type RunFields = Static<typeof RunBody> | Static<typeof OptimizeBody>;

function runRequestOf(body: Static<typeof RunBody>): RunRequest {
  return { ...commonOf(body), params: body.params ?? {} };
}

function sweepRequestOf(body: Static<typeof OptimizeBody>): SweepRequest {
  if (body.method === 'random' && body.samples === undefined) throw new AdminError('unprocessable', 'samples: a random search needs the number of parameter sets to draw');
  return {
    ...commonOf(body),
    fixed: body.params ?? {},
    grid: body.grid ?? {},
    constraint: body.constraint,
    samples: body.method === 'random' ? body.samples : undefined,
    seed: body.seed,
    maximize: body.maximize ?? 'Equity Final [$]',
    top: body.top ?? 20,
  };
}

function commonOf(body: RunFields): Omit<RunRequest, 'params'> {
  const exchangeFill = body.exchange_fill;
  return {
    strategy: body.strategy_name,
    source: sourceOf(body.data),
    window: windowOf(body.start_date, body.end_date),
    settings: {
      cash: body.initial_capital ?? 10_000,
      commission: body.commission ?? 0,
      spread: body.spread ?? 0,
      margin: body.margin ?? 1,
      tradeOnClose: body.trade_on_close ?? false,
      hedging: body.hedging ?? false,
      exclusiveOrders: body.exclusive_orders ?? false,
      finalizeTrades: body.finalize_trades ?? false,
    },
    fillModel: body.fill_model ?? 'reference',
    ...(exchangeFill !== undefined && {
      exchangeFill: {
        product: exchangeFill.product ?? 'CNC',
        charges: exchangeFill.charges ?? true,
        lotSize: exchangeFill.lot_size,
        tickSize: exchangeFill.tick_size,
      },
    }),
  };
}

function sourceOf(data: RunFields['data']): BarSource {
  switch (data.source) {
    case 'bundled':
      return { kind: 'bundled', name: data.name };
    case 'csv':
      return { kind: 'csv', csv: data.csv, name: data.name };
    case 'history': {
      const exchange = data.exchange.toUpperCase();
      if (!(EXCHANGES as readonly string[]).includes(exchange)) {
        throw new AdminError('unprocessable', `data.exchange: ${data.exchange} is not an exchange (${EXCHANGES.join(', ')})`);
      }
      return { kind: 'history', symbol: data.symbol.toUpperCase(), exchange: exchange as Exchange, interval: data.interval };
    }
  }
}

/** start_date from its first instant; end_date through its last day when it is a date, up to its instant otherwise. */
function windowOf(start: string | undefined, end: string | undefined): BarWindow {
  const from = start === undefined ? undefined : instantOf(start, 'start_date');
  const to = end === undefined ? undefined : instantOf(end, 'end_date') + (end.length === 10 ? DAY_MS : 0);
  if (from !== undefined && to !== undefined && to <= from) throw new AdminError('unprocessable', 'end_date: must be after start_date');
  return { ...(from !== undefined && { from }), ...(to !== undefined && { to }) };
}

function instantOf(text: string, field: string): number {
  const utc = text.length === 10 ? `${text}T00:00:00Z` : /(Z|[+-]\d{2}:\d{2})$/.test(text) ? text : `${text}Z`;
  const at = Date.parse(utc);
  if (Number.isNaN(at) || !isCalendarDay(text.slice(0, 10))) throw new AdminError('unprocessable', `${field}: ${text} is not a date`);
  return at;
}

/** Date.parse rolls 2021-02-30 over into March: a day that does not come back as written does not exist. */
function isCalendarDay(day: string): boolean {
  const at = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(at) && new Date(at).toISOString().slice(0, 10) === day;
}
