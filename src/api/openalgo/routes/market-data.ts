// quotes, multiquotes, depth: the market as the broker serving the account reports it.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type Decimal, add, toNumber } from '../../../domain/decimal.js';
import type { Exchange } from '../../../domain/instrument.js';
import type { DepthLevel, QuoteView } from '../../../domain/market.js';
import { errorReply } from '../errors.js';
import { DepthResponse, MultiQuotesBody, MultiQuotesResponse, QuotesResponse, SymbolBody } from '../market-schemas.js';
import { type OpenAlgoDeps, type V1RouteConfig, principalOf } from '../plugin.js';
import { ErrorResponse } from '../schemas.js';

const read: V1RouteConfig = { style: 'data', scope: 'read' };
const errors = { 400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

const n = (value: Decimal): number => toNumber(value);

export function quoteData(quote: QuoteView) {
  return {
    open: n(quote.open),
    high: n(quote.high),
    low: n(quote.low),
    ltp: n(quote.lastPrice),
    ask: n(quote.ask),
    bid: n(quote.bid),
    prev_close: n(quote.previousClose),
    volume: n(quote.volume),
    oi: n(quote.openInterest),
  };
}

export const symbolNotFound = (symbol: string, exchange: string) =>
  errorReply(404, `Symbol ${symbol} not found in exchange ${exchange}`);

export async function marketDataRoutes(fastify: FastifyInstance, { trading, instruments }: OpenAlgoDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const known = (symbol: string, exchange: Exchange) => instruments.get(symbol, exchange) !== undefined;
  const notFound = (reply: FastifyReply, symbol: string, exchange: string) => {
    const { statusCode, body } = symbolNotFound(symbol, exchange);
    return reply.code(statusCode).send(body);
  };

  app.post(
    '/quotes',
    {
      config: read,
      schema: { summary: 'Quote of one instrument', tags: ['market data'], body: SymbolBody, response: { 200: QuotesResponse, ...errors } },
    },
    async (request, reply) => {
      const { symbol, exchange } = request.body;
      if (!known(symbol, exchange)) return notFound(reply, symbol, exchange);
      const quote = await trading.getQuote(principalOf(request).accountId, symbol, exchange);
      return { status: 'success' as const, data: quoteData(quote) };
    },
  );

  app.post(
    '/multiquotes',
    {
      config: read,
      schema: {
        summary: 'Quotes of several instruments',
        description: 'An unknown symbol gets an `error` entry; the others are quoted.',
        tags: ['market data'],
        body: MultiQuotesBody,
        response: { 200: MultiQuotesResponse, ...errors },
      },
    },
    async (request) => {
      const { accountId } = principalOf(request);
      const results = [];
      for (const { symbol, exchange } of request.body.symbols) {
        if (!known(symbol, exchange)) {
          results.push({ symbol, exchange, error: `Symbol ${symbol} not found in exchange ${exchange}` });
          continue;
        }
        results.push({ symbol, exchange, data: quoteData(await trading.getQuote(accountId, symbol, exchange)) });
      }
      return { status: 'success' as const, results };
    },
  );

  app.post(
    '/depth',
    {
      config: read,
      schema: { summary: 'Five levels of the book', tags: ['market data'], body: SymbolBody, response: { 200: DepthResponse, ...errors } },
    },
    async (request, reply) => {
      const { symbol, exchange } = request.body;
      if (!known(symbol, exchange)) return notFound(reply, symbol, exchange);
      const depth = await trading.getDepth(principalOf(request).accountId, symbol, exchange);
      const levels = (side: DepthLevel[]) => side.map((l) => ({ price: n(l.price), quantity: n(l.quantity) }));
      const total = (side: DepthLevel[]) => n(side.reduce((sum, l) => add(sum, l.quantity), 0n as Decimal));
      const { ask: _ask, bid: _bid, ...quote } = quoteData(depth);
      return {
        status: 'success' as const,
        data: {
          ...quote,
          ltq: n(depth.lastQuantity),
          totalbuyqty: total(depth.bids),
          totalsellqty: total(depth.asks),
          asks: levels(depth.asks),
          bids: levels(depth.bids),
        },
      };
    },
  );
}
