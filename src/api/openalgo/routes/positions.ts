// placesmartorder, openposition, cancelallorder, closeposition: position-level actions of the v1 dialect.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { cancelAllOrders } from '../../../core/cancel-all.js';
import { type ClosePositionsResult, closeAllPositions } from '../../../core/close-positions.js';
import { placeSmartOrder } from '../../../core/smart-order.js';
import { dec, toNumber } from '../../../domain/decimal.js';
import { EXCHANGES, type Exchange } from '../../../domain/instrument.js';
import type { Product } from '../../../domain/order.js';
import { errorReply } from '../errors.js';
import { toOrderRequest, wireDecimal } from '../mappers.js';
import { type OpenAlgoDeps, type V1RouteConfig, clientOrderIdOf, principalOf, tradingFor } from '../route-context.js';
import {
  CancelAllOrderBody,
  CancelAllOrderResponse,
  ClosePositionBody,
  ClosePositionResponse,
  ErrorResponse,
  OpenPositionBody,
  OpenPositionResponse,
  PlaceSmartOrderBody,
  PlaceSmartOrderResponse,
  RateLimitedResponse,
} from '../schemas.js';

const trade: V1RouteConfig = { style: 'order', scope: 'trade' };
const read: V1RouteConfig = { style: 'order', scope: 'read' };
const errors = { 400: ErrorResponse, 403: ErrorResponse, 429: RateLimitedResponse };

export const POSITIONS_MATCHED = 'Positions Already Matched. No Action needed.';

export async function positionRoutes(fastify: FastifyInstance, deps: OpenAlgoDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { trading } = deps;

  app.post(
    '/placesmartorder',
    {
      config: { ...trade, group: 'smartOrder' },
      schema: {
        summary: 'Bring a position to a target size with one order',
        description:
          'Compares `position_size` with the net position of (symbol, exchange, product) and sends the difference. ' +
          '`action` and `quantity` apply only when both are 0. Requests on the same position are serialized.',
        tags: ['orders'],
        body: PlaceSmartOrderBody,
        response: { 200: PlaceSmartOrderResponse, ...errors, 409: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { accountId } = principalOf(request);
      const outcome = await placeSmartOrder(tradingFor(request, deps), deps.smartOrderLock, {
        order: toOrderRequest(accountId, request.body, clientOrderIdOf(request)),
        targetPosition: wireDecimal('position_size', request.body.position_size),
      });
      if (!outcome.placed) return { status: 'success' as const, message: POSITIONS_MATCHED };
      if (outcome.placed.status === 'rejected') {
        return reply.code(400).send(errorReply(400, outcome.placed.rejectReason ?? 'Order rejected').body);
      }
      return { status: 'success' as const, orderid: outcome.placed.id };
    },
  );

  app.post(
    '/openposition',
    {
      config: read,
      schema: {
        summary: 'Net quantity of one position',
        tags: ['account'],
        body: OpenPositionBody,
        response: { 200: OpenPositionResponse, ...errors },
      },
    },
    async (request) => {
      const { accountId } = principalOf(request);
      const { symbol, exchange, product } = request.body;
      // An exchange outside the list simply has no position (OpenAlgo does not check it either).
      const known = (EXCHANGES as readonly string[]).includes(exchange);
      const quantity = known ? await trading.netQuantity(accountId, symbol, exchange as Exchange, product as Product) : dec(0);
      return { status: 'success' as const, quantity: toNumber(quantity) };
    },
  );

  app.post(
    '/cancelallorder',
    {
      config: trade,
      schema: {
        summary: 'Cancel every open and trigger-pending order of the account',
        description: 'Account-wide: `strategy` is not a filter (as in OpenAlgo).',
        tags: ['orders'],
        body: CancelAllOrderBody,
        response: { 200: CancelAllOrderResponse, ...errors },
      },
    },
    async (request) => {
      const { cancelled, failed } = await cancelAllOrders(tradingFor(request, deps), principalOf(request).accountId);
      return {
        status: 'success' as const,
        canceled_orders: cancelled,
        failed_cancellations: failed,
        message: `Canceled ${cancelled.length} orders. Failed to cancel ${failed.length} orders.`,
      };
    },
  );

  app.post(
    '/closeposition',
    {
      config: trade,
      schema: {
        summary: 'Square off every open position with MARKET orders',
        description:
          'Account-wide: `strategy` is not a filter (as in OpenAlgo). Quantities above the freeze limit are sent ' +
          'as several orders of whole lots (tagged `Squareoff`). Answers as OpenAlgo: live `All Open Positions Squared ' +
          'Off`; analyzer `No open positions to close` or `Closed N positions` with `closed_positions` and ' +
          '`failed_closures`. A position whose order was refused is counted and named in `failures`, in both modes.',
        tags: ['orders'],
        body: ClosePositionBody,
        response: { 200: ClosePositionResponse, ...errors },
      },
    },
    async (request) => {
      const { accountId } = principalOf(request);
      const result = await closeAllPositions(tradingFor(request, deps), deps.instruments, accountId);
      return closePositionAnswer(result, deps.analyzer.isOn(accountId));
    },
  );
}

export const ALL_SQUARED_OFF = 'All Open Positions Squared Off';
export const NOTHING_TO_CLOSE = 'No open positions to close';

/**
 * OpenAlgo's answers: live, `All Open Positions Squared Off` whether anything was open or not; in analyzer mode (its
 * sandbox's words) `No open positions to close`, or `Closed N positions` with the counts. OpenAlgo's live path never
 * looks at the orders it sends; here a failed one is reported, with the sandbox's words, the counts and the reasons.
 */
export function closePositionAnswer(result: ClosePositionsResult, analyzer: boolean) {
  const failed = result.failures.length;
  if (analyzer ? result.positions === 0 : failed === 0) {
    return { status: 'success' as const, message: analyzer ? NOTHING_TO_CLOSE : ALL_SQUARED_OFF };
  }
  const closed = `Closed ${result.closed} positions`;
  return {
    status: 'success' as const,
    message: failed > 0 ? `${closed} (Failed to close ${failed} positions)` : closed,
    closed_positions: result.closed,
    failed_closures: failed,
    ...(failed > 0
      ? { failures: result.failures.map(({ symbol, exchange, product, reason }) => ({ symbol, exchange, product, message: reason })) }
      : {}),
  };
}
