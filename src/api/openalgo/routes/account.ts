// orderstatus, orderbook, tradebook, positionbook, funds, ping: the account's state as the v1 dialect shows it.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { fundsData, holdingsData, orderRow, orderStatistics, positionRow, priceDigitsFrom, tradeRow } from '../mappers.js';
import { type OpenAlgoDeps, type V1RouteConfig, principalOf } from '../route-context.js';
import {
  ApiKeyBody,
  ErrorResponse,
  FundsResponse,
  HoldingsResponse,
  OrderBookResponse,
  OrderStatusBody,
  OrderStatusResponse,
  PingResponse,
  PositionBookResponse,
  TradeBookResponse,
  RateLimitedResponse,
} from '../schemas.js';

const read: V1RouteConfig = { style: 'data', scope: 'read' };
const errors = { 400: ErrorResponse, 403: ErrorResponse, 429: RateLimitedResponse };

export async function accountRoutes(fastify: FastifyInstance, { trading, instruments }: OpenAlgoDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const digits = priceDigitsFrom(instruments);

  app.post(
    '/orderstatus',
    {
      config: { ...read, style: 'order' },
      schema: {
        summary: "One order's current state",
        tags: ['account'],
        body: OrderStatusBody,
        response: { 200: OrderStatusResponse, ...errors, 404: ErrorResponse },
      },
    },
    async (request) => {
      const order = await trading.getOrder(principalOf(request).accountId, request.body.orderid);
      const row = orderRow(order, digits);
      return {
        status: 'success' as const,
        data: {
          action: row.action,
          exchange: row.exchange,
          orderid: row.orderid,
          symbol: row.symbol,
          product: row.product,
          pricetype: row.pricetype,
          price: row.price,
          trigger_price: row.trigger_price,
          quantity: row.quantity,
          order_status: row.order_status,
          timestamp: row.timestamp,
          average_price: row.average_price,
          filled_quantity: row.filled_quantity,
        },
      };
    },
  );

  app.post(
    '/orderbook',
    {
      config: read,
      schema: { summary: "The account's orders, newest first, with counts", tags: ['account'], body: ApiKeyBody, response: { 200: OrderBookResponse, ...errors } },
    },
    async (request) => {
      const orders = await trading.listOrders(principalOf(request).accountId);
      return {
        status: 'success' as const,
        data: { orders: orders.map((order) => orderRow(order, digits)).reverse(), statistics: orderStatistics(orders) },
      };
    },
  );

  app.post(
    '/tradebook',
    {
      config: read,
      schema: { summary: 'One row per fill', tags: ['account'], body: ApiKeyBody, response: { 200: TradeBookResponse, ...errors } },
    },
    async (request) => {
      const trades = await trading.listTrades(principalOf(request).accountId);
      return { status: 'success' as const, data: trades.map((fill) => tradeRow(fill, digits)) };
    },
  );

  app.post(
    '/positionbook',
    {
      config: read,
      schema: {
        summary: 'Net positions per symbol, exchange and product, closed ones included',
        tags: ['account'],
        body: ApiKeyBody,
        response: { 200: PositionBookResponse, ...errors },
      },
    },
    async (request) => {
      const positions = await trading.listPositions(principalOf(request).accountId);
      return { status: 'success' as const, data: positions.map((position) => positionRow(position, digits)) };
    },
  );

  app.post(
    '/holdings',
    {
      config: read,
      schema: {
        summary: 'Delivery holdings (CNC bought in earlier sessions) with P&L',
        tags: ['account'],
        body: ApiKeyBody,
        response: { 200: HoldingsResponse, ...errors },
      },
    },
    async (request) => {
      const holdings = await trading.listHoldings(principalOf(request).accountId);
      return { status: 'success' as const, data: holdingsData(holdings, digits) };
    },
  );

  app.post(
    '/funds',
    {
      config: read,
      schema: { summary: 'Cash, margin in use and P&L', tags: ['account'], body: ApiKeyBody, response: { 200: FundsResponse, ...errors } },
    },
    async (request) => {
      const funds = await trading.getFunds(principalOf(request).accountId);
      return { status: 'success' as const, data: fundsData(funds) };
    },
  );

  app.post(
    '/ping',
    {
      config: read,
      schema: { summary: 'Checks the key and the broker connection', tags: ['account'], body: ApiKeyBody, response: { 200: PingResponse, ...errors } },
    },
    async (request) => ({
      status: 'success' as const,
      data: { message: 'pong' as const, broker: await trading.brokerName(principalOf(request).accountId) },
    }),
  );
}
