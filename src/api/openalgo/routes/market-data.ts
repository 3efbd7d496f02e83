// quotes, multiquotes, depth: the market as the broker serving the account reports it.
import { copyWith } from '../../../domain/objects.js';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type Decimal, add, toNumber } from '../../../domain/decimal.js';
import { InstrumentNotFound } from '../../../domain/errors.js';
import type { DepthLevel, QuoteView } from '../../../domain/market.js';
import { DepthResponse, MultiQuotesBody, MultiQuotesError, MultiQuotesResponse, QuotesResponse, SymbolBody } from '../market-schemas.js';
import { type OpenAlgoDeps, type V1RouteConfig, principalOf } from '../route-context.js';
import { ErrorResponse, RateLimitedResponse } from '../schemas.js';

const read: V1RouteConfig = { style: 'data', scope: 'read' };
const errors = { 400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 429: RateLimitedResponse };

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

const QUOTE_CACHE_NOTE =
  'A quote or book may be up to ORDERGATE_QUOTE_CACHE_MS (default 5 ms) old: the gateway reuses the broker\'s answer ' +
  'for an instrument that long, and requests arriving while it is being fetched share that one broker call.';

// An unknown symbol is the broker's InstrumentNotFound: a 400 with OpenAlgo's words, as its quote service answers.
export async function marketDataRoutes(fastify: FastifyInstance, { trading }: OpenAlgoDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/quotes',
    {
      config: read,
      schema: {
        summary: 'Quote of one instrument',
        description: QUOTE_CACHE_NOTE,
        tags: ['market data'],
        body: SymbolBody,
        response: { 200: QuotesResponse, ...errors },
      },
    },
    async (request) => {
      const { symbol, exchange } = request.body;
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
        description:
          'As OpenAlgo: unknown symbols come first, each with an `error` entry, then the quotes of the others; when ' +
          'no symbol is known the answer is a 400 whose `message` is the first error, with every one in `invalid_symbols`. ' +
          QUOTE_CACHE_NOTE,
        tags: ['market data'],
        body: MultiQuotesBody,
        response: { 200: MultiQuotesResponse, ...errors, 400: MultiQuotesError },
      },
    },
    async (request, reply) => {
      const { accountId } = principalOf(request);
      const invalid = [];
      const quoted = [];
      for (const { symbol, exchange } of request.body.symbols) {
        try {
          quoted.push({ symbol, exchange, data: quoteData(await trading.getQuote(accountId, symbol, exchange)) });
        } catch (error) {
          if (!(error instanceof InstrumentNotFound)) throw error;
          invalid.push({ symbol, exchange, error: error.message });
        }
      }
      if (quoted.length === 0) {
        return reply.code(400).send({ status: 'error' as const, message: invalid[0]?.error ?? '', invalid_symbols: invalid });
      }
      return { status: 'success' as const, results: [...invalid, ...quoted] };
    },
  );

  app.post(
    '/depth',
    {
      config: read,
      schema: {
        summary: 'Five levels of the book',
        description: QUOTE_CACHE_NOTE,
        tags: ['market data'],
        body: SymbolBody,
        response: { 200: DepthResponse, ...errors },
      },
    },
    async (request) => {
      const { symbol, exchange } = request.body;
      const depth = await trading.getDepth(principalOf(request).accountId, symbol, exchange);
      const levels = (side: DepthLevel[]) => side.map((l) => ({ price: n(l.price), quantity: n(l.quantity) }));
      const total = (side: DepthLevel[]) => n(side.reduce((sum, l) => add(sum, l.quantity), 0n as Decimal));
      const { ask: _ask, bid: _bid, ...quote } = quoteData(depth);
      return {
        status: 'success' as const,
        data: copyWith(quote, {
          ltq: n(depth.lastQuantity),
          totalbuyqty: total(depth.bids),
          totalsellqty: total(depth.asks),
          asks: levels(depth.asks),
          bids: levels(depth.bids),
        }),
      };
    },
  );
}
