// margin: what a basket of positions needs, all legs together, by the rules of the broker serving the account.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type Decimal, TooPrecise, exactDec, toRoundedNumber } from '../../../domain/decimal.js';
import type { Exchange } from '../../../domain/instrument.js';
import type { BasketMargin, MarginLeg } from '../../../domain/margin-basket.js';
import type { OrderType, Product } from '../../../domain/order.js';
import { allowsFractionalQuantity } from '../../../domain/order-rules.js';
import { pythonFloat, pythonInt } from '../../number-text.js';
import { MarginBody, type MarginPosition, MarginResponse } from '../margin-schemas.js';
import { type OpenAlgoDeps, type V1RouteConfig, principalOf, tradingFor } from '../route-context.js';
import { ErrorResponse, RateLimitedResponse } from '../schemas.js';

const config: V1RouteConfig = { style: 'order', scope: 'read', group: 'margin' };
const TYPE_OF: Readonly<Record<MarginPosition['pricetype'], OrderType>> = {
  MARKET: 'MARKET',
  LIMIT: 'LIMIT',
  SL: 'STOP_LIMIT',
  'SL-M': 'STOP',
};

const DESCRIPTION =
  "OpenAlgo's margin calculator. The paper broker answers with its own model: each position alone needs what an order " +
  'opening it blocks (equity CNC the full value, MIS a fifth; futures 10 % of notional; bought options their premium; ' +
  'sold options 10 % of strike × quantity), at its limit or trigger price, else the opposite best price. Futures and ' +
  'options on one underlying are scanned together (the underlying moved by up to ±10 % in thirds, implied volatility ' +
  '±4 points): span is their worst loss, exposure what the rules ask beyond each leg’s own worst loss, and hedged ' +
  'legs need less than alone (`margin_benefit`). The basket is priced as new positions: the account’s open positions do ' +
  'not enter it. An upstream OpenAlgo broker answers with its broker’s figures. Figures are in the positions’ currency ' +
  '(one per request). Validation after the schema answers as OpenAlgo does: `Position 1: Invalid quantity format`.';

export async function marginRoutes(fastify: FastifyInstance, deps: OpenAlgoDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/margin',
    {
      config,
      schema: {
        summary: 'Margin a basket of positions needs, with the hedge benefit',
        description: DESCRIPTION,
        tags: ['account'],
        body: MarginBody,
        response: { 200: MarginResponse, 400: ErrorResponse, 403: ErrorResponse, 429: RateLimitedResponse, 503: ErrorResponse },
      },
    },
    async (request, reply) => {
      const legs = marginLegsOf(request.body.positions);
      if (typeof legs === 'string') return reply.code(400).send({ status: 'error' as const, message: legs });
      const margin = await tradingFor(request, deps).basketMargin(principalOf(request).accountId, legs);
      return { status: 'success' as const, data: marginData(margin) };
    },
  );
}

function marginData(margin: BasketMargin) {
  const rounded = (value: Decimal): number => toRoundedNumber(value, 2);
  return {
    total_margin_required: rounded(margin.total),
    span_margin: rounded(margin.span),
    exposure_margin: rounded(margin.exposure),
    ...(margin.benefit === undefined ? {} : { margin_benefit: rounded(margin.benefit) }),
    currency: margin.currency,
  };
}

/** The positions as neutral legs, or the message OpenAlgo's margin service gives the first position it refuses. */
function marginLegsOf(positions: readonly MarginPosition[]): MarginLeg[] | string {
  const legs: MarginLeg[] = [];
  for (const [index, position] of positions.entries()) {
    const leg = marginLegOf(position, `Position ${index + 1}: `);
    if (typeof leg === 'string') return leg;
    legs.push(leg);
  }
  return legs;
}

function marginLegOf(position: MarginPosition, at: string): MarginLeg | string {
  const exchange = position.exchange as Exchange;
  const quantity = quantityOf(position.quantity, exchange);
  if (quantity === 'invalid') return `${at}Invalid quantity format`;
  if (quantity === 'not positive') return `${at}Quantity must be a positive number`;
  // OpenAlgo checks the price only; the trigger price is read the same way here, in the same words.
  const price = priceOf(position.price ?? '0');
  if (typeof price === 'string') return `${at}${PRICE_MESSAGES[price]('Price')}`;
  const trigger = priceOf(position.trigger_price ?? '0');
  if (typeof trigger === 'string') return `${at}${PRICE_MESSAGES[trigger]('Trigger price')}`;
  const type = TYPE_OF[position.pricetype];
  return {
    symbol: position.symbol,
    exchange,
    side: position.action.toUpperCase() === 'SELL' ? 'SELL' : 'BUY',
    quantity,
    product: position.product as Product,
    type,
    ...(type === 'LIMIT' || type === 'STOP_LIMIT' ? { limitPrice: price } : {}),
    ...(type === 'STOP' || type === 'STOP_LIMIT' ? { stopPrice: trigger } : {}),
  };
}

/** Python's `int()` of the text, as OpenAlgo reads it; a fractional one where the exchange trades fractions. */
function quantityOf(text: string, exchange: Exchange): Decimal | 'invalid' | 'not positive' {
  const whole = pythonInt(text);
  const value = whole ?? (allowsFractionalQuantity(exchange) ? pythonFloat(text) : undefined);
  if (value === undefined || !Number.isFinite(value)) return 'invalid';
  if (value <= 0) return 'not positive';
  return exactOrInvalid(value);
}

type PriceFailure = 'invalid' | 'negative' | 'too precise';
const PRICE_MESSAGES: Readonly<Record<PriceFailure, (field: string) => string>> = {
  invalid: (field) => `Invalid ${field.toLowerCase()} format`,
  negative: (field) => `${field} cannot be negative`,
  'too precise': (field) => `${field} has more than 8 decimal places`,
};

/** Python's `float()` of the text; NaN and infinities, which OpenAlgo lets through to its broker, are refused. */
function priceOf(text: string): Decimal | PriceFailure {
  const value = pythonFloat(text);
  if (value === undefined || !Number.isFinite(value)) return 'invalid';
  if (value < 0) return 'negative';
  const exact = exactOrInvalid(value);
  return exact === 'invalid' ? 'too precise' : exact;
}

function exactOrInvalid(value: number): Decimal | 'invalid' {
  try {
    return exactDec(value);
  } catch (error) {
    if (error instanceof TooPrecise) return 'invalid';
    throw error;
  }
}
