// placeorder, modifyorder, cancelorder: order entry of the v1 dialect.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { errorReply } from '../errors.js';
import { describesOrder, toOrderChanges, toOrderRequest } from '../mappers.js';
import { type OpenAlgoDeps, type V1RouteConfig, clientOrderIdOf, principalOf, tradingFor } from '../route-context.js';
import {
  CancelOrderBody,
  ErrorResponse,
  ModifyOrderBody,
  OrderIdResponse,
  PlaceOrderBody,
  RateLimitedResponse,
} from '../schemas.js';

const trade: V1RouteConfig = { style: 'order', scope: 'trade', group: 'order' };
const errors = { 400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 429: RateLimitedResponse };

export async function orderRoutes(fastify: FastifyInstance, deps: OpenAlgoDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/placeorder',
    {
      config: trade,
      schema: {
        summary: 'Place an order',
        description:
          'Acknowledges once the order is committed; fills are seen in orderstatus, orderbook and tradebook. An ' +
          '`Idempotency-Key` header is also the order\'s client order id: sent again (after a 503, say), it is answered ' +
          'with the order it placed; for another symbol, side or product it is a 409.',
        tags: ['orders'],
        body: PlaceOrderBody,
        // 409: its Idempotency-Key (the order's client order id) named an order for another symbol, side or product.
        response: { 200: OrderIdResponse, ...errors, 409: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { accountId } = principalOf(request);
      const order = await tradingFor(request, deps).placeOrder(toOrderRequest(accountId, request.body, clientOrderIdOf(request)));
      if (order.status === 'rejected') return reply.code(400).send(errorReply(400, order.rejectReason ?? 'Order rejected').body);
      return { status: 'success' as const, orderid: order.id };
    },
  );

  app.post(
    '/modifyorder',
    {
      config: trade,
      schema: {
        summary: 'Modify an open or trigger-pending order',
        tags: ['orders'],
        body: ModifyOrderBody,
        response: { 200: OrderIdResponse, ...errors },
      },
    },
    async (request, reply) => {
      const { accountId } = principalOf(request);
      const trading = tradingFor(request, deps);
      const order = await trading.getOrder(accountId, request.body.orderid);
      const mismatch = describesOrder(request.body, order);
      if (mismatch) return reply.code(400).send(errorReply(400, mismatch).body);
      await trading.modifyOrder(accountId, order.id, toOrderChanges(request.body));
      return { status: 'success' as const, orderid: order.id };
    },
  );

  app.post(
    '/cancelorder',
    {
      config: trade,
      schema: {
        summary: 'Cancel an open or trigger-pending order',
        tags: ['orders'],
        body: CancelOrderBody,
        response: { 200: OrderIdResponse, ...errors },
      },
    },
    async (request) => {
      const { accountId } = principalOf(request);
      const order = await tradingFor(request, deps).cancelOrder(accountId, request.body.orderid);
      return { status: 'success' as const, orderid: order.id };
    },
  );
}
