// sip/frequencies and sip/backtest: OpenAlgo's SIP backtester, computed by Ordergate on daily closes from the broker
// serving the caller's account. Statuses as OpenAlgo's: 400 for the request, 422 for prices that cannot carry the SIP,
// 500 "SIP backtest failed." for anything unexpected (its detail goes to the log, never to the caller).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { SipDataUnusable, SipRequestInvalid, runSipBacktest } from '../../../core/sip-backtest.js';
import { DomainError } from '../../../domain/errors.js';
import { SIP_FREQUENCIES } from '../../../domain/sip-schedule.js';
import { errorReply } from '../errors.js';
import { type OpenAlgoDeps, type V1RouteConfig, principalOf, tradingFor } from '../route-context.js';
import { ErrorResponse, RateLimitedResponse } from '../schemas.js';
import { SipBacktestBody, SipBacktestResponse, SipFrequenciesQuery, SipFrequenciesResponse } from '../sip-schemas.js';

const read: V1RouteConfig = { style: 'data', scope: 'read' };
const errors = { 400: ErrorResponse, 403: ErrorResponse, 429: RateLimitedResponse };
const LABELS = { weekly: 'Weekly', fortnightly: 'Fortnightly', monthly: 'Monthly', quarterly: 'Quarterly' } as const;

const DESCRIPTION =
  'A SIP into one NSE/BSE symbol, run on its daily closes from the broker serving the account (both `source` values ' +
  'read it; on the paper broker, the simulated market from 2000 on, weekends and exchange holidays dropped). Each ' +
  'installment lands on its day or the next session, buys whole shares at the close, keeps the remainder as cash for ' +
  'the next one, and pays its charges; step-ups apply on each anniversary. Money is computed exactly, XIRR by Brent\'s ' +
  'method on actual/365. The answer holds every analysis of OpenAlgo\'s results page at the top level beside `status`, ' +
  'as OpenAlgo answers it. 422 when the prices cannot carry the SIP (no history, too few sessions, no share affordable).';

export async function sipRoutes(fastify: FastifyInstance, deps: OpenAlgoDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/sip/frequencies',
    {
      config: read,
      schema: {
        summary: 'SIP frequencies',
        description: 'The `frequency` values of a SIP backtest, with their labels.',
        tags: ['sip'],
        querystring: SipFrequenciesQuery,
        response: { 200: SipFrequenciesResponse, ...errors },
      },
    },
    async () => ({ status: 'success' as const, data: SIP_FREQUENCIES.map((value) => ({ value, label: LABELS[value] })) }),
  );

  app.post(
    '/sip/backtest',
    {
      config: read,
      schema: {
        summary: 'Backtest of a SIP',
        description: DESCRIPTION,
        tags: ['sip'],
        body: SipBacktestBody,
        response: { 200: SipBacktestResponse, ...errors, 422: ErrorResponse, 500: ErrorResponse, 503: ErrorResponse },
      },
    },
    async (request, reply) => {
      const body = request.body;
      try {
        return await runSipBacktest(
          {
            accountId: principalOf(request).accountId,
            symbol: body.symbol,
            exchange: body.exchange,
            startDate: body.start_date,
            endDate: body.end_date,
            amount: body.amount,
            frequency: body.frequency,
            dayOfMonth: body.day_of_month,
            stepUpPercent: body.step_up_percent,
            brokeragePercent: body.brokerage_percent,
            brokerageFlat: body.brokerage_flat,
            costModel: body.cost_model,
            costExchange: body.cost_exchange,
            charges: body.charges,
            gstRate: body.gst_rate,
            costBps: body.cost_bps,
            slippage: body.slippage,
            benchmark: body.benchmark,
            benchmarkExchange: body.benchmark_exchange,
            source: body.source,
            includeGrids: body.include_grids,
          },
          { trading: tradingFor(request, deps) },
        );
      } catch (error) {
        const status = error instanceof SipRequestInvalid ? 400 : error instanceof SipDataUnusable ? 422 : undefined;
        if (status !== undefined) return reply.code(status).send(errorReply(status, (error as Error).message).body);
        if (error instanceof DomainError) throw error;
        request.log.error({ err: error }, 'SIP backtest failed');
        return reply.code(500).send(errorReply(500, 'SIP backtest failed.').body);
      }
    },
  );
}
