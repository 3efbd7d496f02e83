// optionsorder and optionsmultiorder: option orders placed by offset from the money.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type LegOutcome, type OptionLeg, type OptionOrderTerms, placeOptionLegs, placeOptionOrder } from '../../../core/option-orders.js';
import { type OptionRight, optionsExchangeOf } from '../../../core/option-resolution.js';
import type { ChildResult } from '../../../core/split-order.js';
import { type Decimal, dec, toNumber } from '../../../domain/decimal.js';
import type { Exchange } from '../../../domain/instrument.js';
import { errorReply } from '../errors.js';
import { FieldError, toOrderRequest } from '../mappers.js';
import {
  OPTION_VALIDATION_STYLE,
  OptionErrorResponse,
  OptionsMultiOrderBody,
  OptionsMultiOrderResponse,
  OptionsOrderBody,
  OptionsOrderResponse,
} from '../option-schemas.js';
import { type OpenAlgoDeps, type V1RouteConfig, clientOrderIdOf, orderPacerFor, principalOf, tradingFor } from '../route-context.js';
import { ErrorResponse, RateLimitedResponse } from '../schemas.js';

const trade: V1RouteConfig = { style: OPTION_VALIDATION_STYLE, scope: 'trade', group: 'order' };
const errors = { 400: OptionErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 429: RateLimitedResponse };

/** The wire fields of one option order (a whole optionsorder body, or a leg with the request's strategy). */
interface WireOptionOrder {
  action: string;
  quantity: number;
  pricetype: string;
  product: string;
  price: number;
  trigger_price: number;
  disclosed_quantity: number;
  strategy: string;
}

/** The neutral order a wire option order asks for, by placeorder's mapping; the contract is filled in once resolved. */
function orderTerms(accountId: string, exchange: Exchange, wire: WireOptionOrder, clientOrderId?: string): OptionOrderTerms {
  const { symbol: _symbol, exchange: _exchange, ...terms } = toOrderRequest(
    accountId,
    { ...wire, symbol: '', exchange: optionsExchangeOf(exchange) },
    clientOrderId,
  );
  return terms;
}

/**
 * A field the schema let through but the order mapping refuses (a price finer than 8 decimals), answered in the option
 * endpoints' validation shape; `at` nests it (a leg's position).
 */
function invalidField(reply: FastifyReply, error: unknown, at: (errors: Record<string, string[]>) => Record<string, unknown> = (e) => e) {
  if (!(error instanceof FieldError)) throw error;
  return reply.code(400).send({ status: 'error', message: OPTION_VALIDATION_STYLE.summary, errors: at({ [error.field]: [error.message] }) });
}

const splitSizeOf = (splitsize: number | null): Decimal | undefined => (splitsize ? dec(splitsize) : undefined);

function childResults(children: readonly ChildResult[]) {
  return children.map((child) =>
    'orderId' in child
      ? { order_num: child.orderNumber, quantity: toNumber(child.quantity), status: 'success' as const, orderid: child.orderId }
      : { order_num: child.orderNumber, quantity: toNumber(child.quantity), status: 'error' as const, message: child.error },
  );
}

const PACE_NOTE =
  'The request counts one order against the key\'s ORDER_RATE_LIMIT; every further order it places (split children, ' +
  'legs) takes one more and waits while the budget is spent (30 s at most per request).';

export async function optionOrderRoutes(fastify: FastifyInstance, deps: OpenAlgoDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { instruments, analyzer } = deps;
  const modeOf = (request: FastifyRequest) => (analyzer.isOn(principalOf(request).accountId) ? 'analyze' : 'live');

  app.post(
    '/optionsorder',
    {
      config: trade,
      schema: {
        summary: 'Place an order on the option an offset from the money names',
        description:
          'Resolves the contract as optionsymbol does (same errors), then places it as placeorder would, on its ' +
          'options exchange (NFO for NSE and NSE_INDEX, BFO for BSE and BSE_INDEX). `quantity` is in units and must be ' +
          'a multiple of the lot size. With `splitsize` above 0 the quantity goes as child orders of that size, the ' +
          `remainder last, at most 100. ${PACE_NOTE}`,
        tags: ['orders', 'options'],
        body: OptionsOrderBody,
        response: { 200: OptionsOrderResponse, ...errors },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const { accountId } = principalOf(request);
      let terms: OptionOrderTerms;
      try {
        terms = orderTerms(accountId, body.exchange, body, clientOrderIdOf(request));
      } catch (error) {
        return invalidField(reply, error);
      }
      const placed = await placeOptionOrder(
        tradingFor(request, deps),
        instruments,
        { underlying: body.underlying, exchange: body.exchange, expiry: body.expiry_date, strikeInterval: body.strike_int ?? undefined },
        {
          offset: body.offset,
          right: body.option_type.toUpperCase() as OptionRight,
          terms,
          splitSize: splitSizeOf(body.splitsize),
        },
        orderPacerFor(request, deps),
      );
      const { instrument } = placed.option;
      const resolved = {
        symbol: instrument.symbol,
        exchange: instrument.exchange,
        underlying: body.underlying,
        underlying_ltp: toNumber(placed.underlyingPrice),
        offset: body.offset,
        option_type: body.option_type.toUpperCase() as OptionRight,
      };
      if ('children' in placed.placement) {
        return {
          status: 'success' as const,
          ...resolved,
          total_quantity: body.quantity,
          split_size: body.splitsize ?? 0,
          results: childResults(placed.placement.children),
        };
      }
      const { order } = placed.placement;
      if (order.status === 'rejected') return reply.code(400).send(errorReply(400, order.rejectReason ?? 'Order rejected').body);
      return { status: 'success' as const, orderid: order.id, ...resolved };
    },
  );

  app.post(
    '/optionsmultiorder',
    {
      config: trade,
      schema: {
        summary: 'Place several option legs on one underlying',
        description:
          'The underlying is quoted once and every leg resolved against that price (each with its own `expiry_date` if ' +
          'it gives one). BUY legs are placed before SELL legs, each group in request order; a leg that fails is ' +
          `reported with its reason and the others still go. Results are listed by leg number. ${PACE_NOTE}`,
        tags: ['orders', 'options'],
        body: OptionsMultiOrderBody,
        response: { 200: OptionsMultiOrderResponse, ...errors },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const { accountId } = principalOf(request);
      const key = clientOrderIdOf(request);
      const legs: OptionLeg[] = [];
      for (const [index, leg] of body.legs.entries()) {
        const clientOrderId = key === undefined ? undefined : `${key}/${index + 1}`;
        try {
          legs.push({
            offset: leg.offset,
            right: leg.option_type.toUpperCase() as OptionRight,
            expiry: leg.expiry_date,
            terms: orderTerms(accountId, body.exchange, { ...leg, strategy: body.strategy }, clientOrderId),
            splitSize: splitSizeOf(leg.splitsize),
          });
        } catch (error) {
          return invalidField(reply, error, (errors) => ({ legs: { [index]: errors } }));
        }
      }
      const placed = await placeOptionLegs(
        tradingFor(request, deps),
        instruments,
        accountId,
        { underlying: body.underlying, exchange: body.exchange, expiry: body.expiry_date, strikeInterval: body.strike_int ?? undefined },
        legs,
        orderPacerFor(request, deps),
      );
      const mode = modeOf(request);
      return {
        status: 'success' as const,
        underlying: body.underlying,
        underlying_ltp: placed.underlyingPrice === undefined ? null : toNumber(placed.underlyingPrice),
        results: placed.outcomes.map((outcome) => legResult(outcome, body.legs[outcome.leg - 1] as WireLeg, mode)),
      };
    },
  );
}

interface WireLeg {
  offset: string;
  option_type: string;
  action: string;
  quantity: number;
  splitsize: number | null;
  product: string;
}

/** A leg's result in OpenAlgo's shape. */
function legResult(outcome: LegOutcome, wire: WireLeg, mode: 'live' | 'analyze') {
  const leg = {
    leg: outcome.leg,
    offset: wire.offset,
    option_type: wire.option_type.toUpperCase() as OptionRight,
    action: wire.action.toUpperCase() as 'BUY' | 'SELL',
  };
  if ('error' in outcome) {
    const contract = outcome.contract ? { symbol: outcome.contract.symbol, exchange: outcome.contract.exchange } : {};
    return { ...leg, ...contract, status: 'error' as const, message: outcome.error };
  }
  const contract = { symbol: outcome.contract.symbol, exchange: outcome.contract.exchange };
  if ('order' in outcome) {
    return { ...leg, ...contract, product: wire.product, status: 'success' as const, orderid: outcome.order.id, mode };
  }
  const placedAny = outcome.children.some((child) => 'orderId' in child);
  return {
    ...leg,
    ...contract,
    product: wire.product,
    status: placedAny ? ('success' as const) : ('error' as const),
    total_quantity: wire.quantity,
    split_size: wire.splitsize ?? 0,
    split_results: childResults(outcome.children),
    mode,
  };
}
