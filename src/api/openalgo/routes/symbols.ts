// symbol, search, expiry, instruments: the instrument master in OpenAlgo's shapes.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { toNumber } from '../../../domain/decimal.js';
import { type Instrument, displayExpiry } from '../../../domain/instrument.js';
import {
  ExpiryBody,
  ExpiryResponse,
  InstrumentsQuery,
  SearchBody,
  SymbolBody,
  SymbolListResponse,
  SymbolResponse,
} from '../market-schemas.js';
import type { OpenAlgoDeps, V1RouteConfig } from '../route-context.js';
import { ErrorResponse, RateLimitedResponse } from '../schemas.js';
import { errorReply } from '../errors.js';

const read: V1RouteConfig = { style: 'data', scope: 'read' };
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 429: RateLimitedResponse };

/** An instrument as OpenAlgo's master contract row. */
export function symbolRow(i: Instrument) {
  return {
    id: Number(i.token),
    name: i.name,
    symbol: i.symbol,
    brsymbol: i.brokerSymbol,
    exchange: i.exchange,
    brexchange: i.exchange,
    instrumenttype: i.instrumentType,
    expiry: i.expiry ? displayExpiry(i.expiry) : '',
    strike: i.strike === undefined ? -0.01 : toNumber(i.strike),
    lotsize: toNumber(i.lotSize),
    tick_size: toNumber(i.tickSize),
    token: i.token,
    freeze_qty: toNumber(i.freezeQuantity),
  };
}

const CSV_COLUMNS = ['symbol', 'brsymbol', 'name', 'exchange', 'brexchange', 'token', 'expiry', 'strike', 'lotsize', 'instrumenttype', 'tick_size'] as const;

function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export async function symbolRoutes(fastify: FastifyInstance, { instruments }: OpenAlgoDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/symbol',
    {
      config: read,
      schema: { summary: "One instrument's contract terms", tags: ['symbols'], body: SymbolBody, response: { 200: SymbolResponse, ...errors } },
    },
    async (request, reply) => {
      const { symbol, exchange } = request.body;
      const instrument = instruments.get(symbol, exchange);
      if (!instrument) {
        // OpenAlgo's symbol service answers an unknown symbol with a 404.
        const { statusCode, body } = errorReply(404, `Symbol ${symbol} not found in exchange ${exchange}`);
        return reply.code(statusCode).send(body);
      }
      return { status: 'success' as const, data: symbolRow(instrument) };
    },
  );

  app.post(
    '/search',
    {
      config: read,
      schema: {
        summary: 'Search instruments',
        description: 'Case-insensitive; every word must match the symbol, name or expiry (`NIFTY 26000 DEC CE`). At most 500 results.',
        tags: ['symbols'],
        body: SearchBody,
        response: { 200: SymbolListResponse, ...errors },
      },
    },
    async (request, reply) => {
      if (request.body.query.trim() === '') {
        return reply.code(400).send({ status: 'error', message: 'Query parameter is required and cannot be empty' });
      }
      const found = instruments.search(request.body.query, request.body.exchange);
      return {
        status: 'success' as const,
        message: found.length === 0 ? 'No matching symbols found' : `Found ${found.length} matching symbols`,
        data: found.map(symbolRow),
      };
    },
  );

  app.post(
    '/expiry',
    {
      config: read,
      schema: { summary: 'Expiry dates of an underlying, ascending', tags: ['symbols'], body: ExpiryBody, response: { 200: ExpiryResponse, ...errors } },
    },
    async (request, reply) => {
      const { symbol, exchange, instrumenttype } = request.body;
      const dates = instruments.expiries(symbol.toUpperCase(), exchange, instrumenttype);
      if (dates.length === 0) {
        return reply
          .code(404)
          .send({ status: 'error', message: `No expiry dates found for ${symbol} ${instrumenttype} in ${exchange}` });
      }
      return {
        status: 'success' as const,
        message: `Found ${dates.length} expiry dates for ${symbol} ${instrumenttype} in ${exchange}`,
        data: dates.map(displayExpiry),
      };
    },
  );

  app.get(
    '/instruments',
    {
      config: { ...read, missingKeyStatus: 401 },
      schema: {
        summary: 'The instrument master, as JSON or CSV',
        description: '`apikey` in the query (401 when missing). `format=csv` downloads `instruments_<exchange|all>.csv`.',
        tags: ['symbols'],
        querystring: InstrumentsQuery,
        response: {
          200: {
            description: 'The instruments: JSON (`format=json`, the default) or a CSV download (`format=csv`)',
            content: {
              'application/json': { schema: SymbolListResponse },
              'text/csv': { schema: { type: 'string', description: 'A header line, then one line per instrument' } },
            },
          },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const { exchange, format = 'json' } = request.query;
      const rows = instruments.list(exchange).map(symbolRow);
      if (format === 'csv') {
        const lines = [CSV_COLUMNS.join(','), ...rows.map((row) => CSV_COLUMNS.map((c) => csvCell(row[c])).join(','))];
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename=instruments_${exchange ?? 'all'}.csv`)
          .send(`${lines.join('\n')}\n`);
      }
      return {
        status: 'success' as const,
        message: rows.length === 0 ? 'No instruments found' : `Found ${rows.length} instruments`,
        data: rows,
      };
    },
  );
}
