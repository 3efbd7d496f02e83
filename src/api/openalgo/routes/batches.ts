// splitorder and basketorder: several orders from one request, each with its own result (HTTP 200 throughout).
import { copyWith } from '../../../domain/objects.js';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type BasketLeg, MAX_BASKET_ORDERS, placeBasketOrder } from '../../../core/basket-order.js';
import { placeSplitOrder } from '../../../core/split-order.js';
import { toNumber } from '../../../domain/decimal.js';
import { FieldError, toOrderRequest, wireDecimal } from '../mappers.js';
import { type OpenAlgoDeps, type V1RouteConfig, clientOrderIdOf, orderPacerFor, principalOf, tradingFor } from '../route-context.js';
import {
  BasketOrderBody,
  BasketOrderResponse,
  ErrorResponse,
  SplitOrderBody,
  SplitOrderResponse,
  RateLimitedResponse,
} from '../schemas.js';

const trade: V1RouteConfig = { style: 'order', scope: 'trade' };
const errors = { 400: ErrorResponse, 403: ErrorResponse, 429: RateLimitedResponse };

export async function batchRoutes(fastify: FastifyInstance, deps: OpenAlgoDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/splitorder',
    {
      config: trade,
      schema: {
        summary: 'Place a large quantity as child orders of `splitsize`',
        description:
          'Full children first, the remainder last, one after another; each child counts against the key\'s ' +
          'ORDER_RATE_LIMIT and waits while it is spent (30 s at most per request); more than 100 children is a 400.',
        tags: ['orders'],
        body: SplitOrderBody,
        response: { 200: SplitOrderResponse, ...errors },
      },
    },
    async (request) => {
      const { accountId } = principalOf(request);
      const order = toOrderRequest(accountId, request.body, clientOrderIdOf(request));
      const splitSize = wireDecimal('splitsize', request.body.splitsize);
      const children = await placeSplitOrder(tradingFor(request, deps), order, splitSize, orderPacerFor(request, deps));
      return {
        status: 'success' as const,
        total_quantity: request.body.quantity,
        split_size: request.body.splitsize,
        results: children.map((child) =>
          'orderId' in child
            ? { order_num: child.orderNumber, quantity: toNumber(child.quantity), status: 'success' as const, orderid: child.orderId }
            : { order_num: child.orderNumber, quantity: toNumber(child.quantity), status: 'error' as const, message: child.error },
        ),
      };
    },
  );

  app.post(
    '/basketorder',
    {
      config: trade,
      schema: {
        summary: 'Place several orders at once',
        description:
          'BUY legs are sent before SELL legs; each leg succeeds or fails on its own. Results are in request order ' +
          '(OpenAlgo returns them in completion order). Each leg counts against the key\'s ORDER_RATE_LIMIT and ' +
          `waits while it is spent (30 s at most per request); more than ${MAX_BASKET_ORDERS} legs is a 400.`,
        tags: ['orders'],
        body: BasketOrderBody,
        response: { 200: BasketOrderResponse, ...errors },
      },
    },
    async (request) => {
      const { accountId } = principalOf(request);
      const key = clientOrderIdOf(request);
      const legs: BasketLeg[] = request.body.orders.map((item, index) => {
        try {
          const clientOrderId = key === undefined ? undefined : `${key}/${index + 1}`;
          return { order: toOrderRequest(accountId, copyWith(item, { strategy: request.body.strategy }), clientOrderId) };
        } catch (error) {
          if (error instanceof FieldError) return { symbol: item.symbol, invalid: error.message };
          throw error;
        }
      });
      const results = await placeBasketOrder(tradingFor(request, deps), legs, orderPacerFor(request, deps));
      return {
        status: 'success' as const,
        results: results.map((result) =>
          'orderId' in result
            ? { symbol: result.symbol, exchange: result.exchange, product: result.product, status: 'success' as const, orderid: result.orderId }
            : { symbol: result.symbol, status: 'error' as const, message: result.error },
        ),
      };
    },
  );
}
