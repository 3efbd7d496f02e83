// optiongreeks and multioptiongreeks: implied volatility and greeks from an option's price.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type BatchGreeksEntry, type GreeksContext, type GreeksReport, batchOptionGreeks, optionGreeks } from '../../../core/option-greeks.js';
import type { Exchange } from '../../../domain/instrument.js';
import {
  GREEKS_VALIDATION_STYLE,
  GreeksErrorResponse,
  MultiOptionGreeksBody,
  MultiOptionGreeksResponse,
  OptionGreeksBody,
  OptionGreeksResponse,
} from '../greeks-schemas.js';
import { type OpenAlgoDeps, type V1RouteConfig, principalOf } from '../route-context.js';
import { ErrorResponse, RateLimitedResponse } from '../schemas.js';

const errors = { 400: GreeksErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 429: RateLimitedResponse };

const MODEL_NOTE =
  'Black-76 on the forward, as OpenAlgo: the forward is the synthetic future of the option\'s expiry (ATM strike + ATM ' +
  'call − ATM put, ATM being the listed strike nearest the underlying\'s last price), or the underlying\'s last price ' +
  'when that cannot be made; `forward_price` replaces it, and an `underlying_symbol` other than the base is quoted ' +
  'instead of it. Time runs to the expiry day\'s cut-off (15:30 IST; MCX 23:30, CDS 12:30; or `expiry_time`) on a ' +
  '365-day year, floored at 0.0001 years. An option with no time value to invert (at or under intrinsic, or in the ' +
  'money by less than 0.01) gets theoretical greeks (IV 0, delta ±1) with a `note`.';

export async function optionGreeksRoutes(fastify: FastifyInstance, { trading, instruments, clock }: OpenAlgoDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const contextOf = (accountId: string): GreeksContext => ({
    catalog: instruments,
    market: {
      quote: (symbol: string, exchange: Exchange) => trading.getQuote(accountId, symbol, exchange),
      depth: (symbol: string, exchange: Exchange) => trading.getDepth(accountId, symbol, exchange),
    },
    now: clock.now(),
  });

  app.post(
    '/optiongreeks',
    {
      config: { style: GREEKS_VALIDATION_STYLE, scope: 'read', group: 'greeks', invalidKeyStatus: 401 } satisfies V1RouteConfig,
      schema: {
        summary: "An option's implied volatility and greeks",
        description:
          `${MODEL_NOTE} Errors in OpenAlgo's words: an unreadable symbol or expiry_time, an unknown option or ` +
          'underlying, an expired option (`Option has expired on 01-Dec-2026`) or a price above what any volatility ' +
          'gives are 400s (OpenAlgo answers some of them 500); no last price is a 404. Limited by GREEKS_RATE_LIMIT.',
        tags: ['options'],
        body: OptionGreeksBody,
        response: { 200: OptionGreeksResponse, ...errors },
      },
    },
    async (request) => {
      const body = request.body;
      const report = await optionGreeks(contextOf(principalOf(request).accountId), {
        symbol: body.symbol,
        exchange: body.exchange,
        interestRate: body.interest_rate,
        forwardPrice: body.forward_price,
        underlyingSymbol: body.underlying_symbol,
        underlyingExchange: body.underlying_exchange,
        expiryTime: body.expiry_time,
      });
      return { status: 'success' as const, ...wireReport(report) };
    },
  );

  app.post(
    '/multioptiongreeks',
    {
      config: { style: GREEKS_VALIDATION_STYLE, scope: 'read', group: 'api', invalidKeyStatus: 401 } satisfies V1RouteConfig,
      schema: {
        summary: 'Implied volatility and greeks of several options',
        description:
          `${MODEL_NOTE} Each option is valued as optiongreeks would (without \`forward_price\`), with the batch's ` +
          '`interest_rate` and `expiry_time`; one that fails is an entry with its reason and the answer stays a 200 ' +
          '(`status` partial, or error when none succeeded). An expired option is a success with zero greeks and a note. ' +
          'Limited by API_RATE_LIMIT, as OpenAlgo.',
        tags: ['options'],
        body: MultiOptionGreeksBody,
        response: { 200: MultiOptionGreeksResponse, ...errors },
      },
    },
    async (request) => {
      const body = request.body;
      const items = body.symbols.map((item) => ({
        symbol: item.symbol,
        exchange: item.exchange,
        underlyingSymbol: item.underlying_symbol,
        underlyingExchange: item.underlying_exchange,
      }));
      const batch = await batchOptionGreeks(contextOf(principalOf(request).accountId), items, {
        interestRate: body.interest_rate,
        expiryTime: body.expiry_time,
      });
      return {
        status: batch.status,
        data: batch.entries.map(wireEntry),
        summary: { total: batch.total, success: batch.succeeded, failed: batch.failed },
        ...(batch.message === undefined ? {} : { message: batch.message }),
      };
    },
  );
}

function wireEntry(entry: BatchGreeksEntry) {
  if (!entry.ok) return { status: 'error' as const, symbol: entry.symbol, exchange: entry.exchange, message: entry.message };
  return { status: 'success' as const, ...wireReport(entry.report) };
}

function wireReport(report: GreeksReport) {
  return {
    symbol: report.symbol,
    exchange: report.exchange,
    underlying: report.underlying,
    strike: report.strike,
    option_type: report.right,
    expiry_date: report.expiryDate,
    days_to_expiry: report.daysToExpiry,
    spot_price: report.spotPrice,
    option_price: report.optionPrice,
    ...(report.intrinsicValue === undefined ? {} : { intrinsic_value: report.intrinsicValue }),
    ...(report.timeValue === undefined ? {} : { time_value: report.timeValue }),
    interest_rate: report.interestRate,
    implied_volatility: report.impliedVolatility,
    greeks: report.greeks,
    ...(report.note === undefined ? {} : { note: report.note }),
  };
}
