// /api/admin/accounts/:account/analyzer: an account's analyzer (sandbox) mode switched, and its log of request and
// response pairs listed and downloaded (NDJSON or CSV, streamed page by page).
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type Static, Type } from 'typebox';
import type { AnalyzerMode } from '../../../gateway/analyzer-mode.js';
import type { AnalyzerLogRecord } from '../../../store/store.js';
import { AUTHENTICATED_ERRORS, AdminErrorResponse } from '../errors.js';
import type { AdminDeps } from '../admin-context.js';
import { accountOf, adminPrincipalOf } from '../principal.js';
import { AccountParams, QueryInteger, QueryObject, iso, page } from '../schemas.js';

const notFound = { 404: AdminErrorResponse };

const AnalyzerState = Type.Object({
  enabled: Type.Boolean({ description: "True while the account's orders go to the isolated sandbox ledger" }),
  total_logs: Type.Integer({ minimum: 0, description: 'Request/response pairs logged in analyzer mode so far' }),
});

const AnalyzerLogResource = Type.Object(
  {
    id: Type.Integer({ description: 'Position in the log; later entries have larger ids' }),
    at: Type.String({ format: 'date-time', description: 'When the answer was sent' }),
    path: Type.String({ description: 'The v1 path called' }),
    status: Type.Integer({ description: 'The HTTP status answered' }),
    request: Type.Unknown({ description: 'The request body as JSON, without its `apikey`' }),
    response: Type.Unknown({ description: 'The response body as sent (with `"mode":"analyze"`)' }),
  },
  { $id: 'AnalyzerLogEntry' },
);

const LogQuery = QueryObject({
  since: Type.Optional(Type.String({ format: 'date-time', description: 'Only entries at or after this instant' })),
  before: Type.Optional(QueryInteger({ minimum: 1, description: 'Only entries older than this id: the `next_before` of the previous page' })),
  limit: Type.Optional(QueryInteger({ minimum: 1, maximum: 1000, default: 100 })),
});

const ExportQuery = QueryObject({
  format: Type.Optional(
    Type.Union([Type.Literal('ndjson'), Type.Literal('csv')], {
      default: 'ndjson',
      description: '`ndjson`: one JSON entry per line; `csv`: a header row, then the request and response as JSON text',
    }),
  ),
});

const CSV_COLUMNS = ['id', 'at', 'path', 'status', 'request', 'response'] as const;

const CONTENT_TYPES = { ndjson: 'application/x-ndjson; charset=utf-8', csv: 'text/csv; charset=utf-8' } as const;

export async function analyzerRoutes(fastify: FastifyInstance, { accounts, analyzer }: AdminDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/accounts/:account/analyzer',
    {
      schema: {
        summary: "The account's analyzer (sandbox) mode and its log count",
        tags: ['admin'],
        params: AccountParams,
        response: { 200: AnalyzerState, ...notFound, ...AUTHENTICATED_ERRORS },
      },
    },
    async (request) => stateOf(analyzer, (await accountOf(adminPrincipalOf(request), accounts, request.params.account)).id),
  );

  app.put(
    '/accounts/:account/analyzer',
    {
      schema: {
        summary: 'Switch the account between analyzer (sandbox) and live mode',
        description: 'As `POST /api/v1/analyzer/toggle`: from the next request on, its orders go to the sandbox ledger (on) or the live one (off).',
        tags: ['admin'],
        params: AccountParams,
        body: Type.Object({ enabled: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: AnalyzerState, ...notFound, ...AUTHENTICATED_ERRORS },
      },
    },
    async (request) => {
      const account = await accountOf(adminPrincipalOf(request), accounts, request.params.account);
      await analyzer.set(account.id, request.body.enabled);
      return stateOf(analyzer, account.id);
    },
  );

  app.get(
    '/accounts/:account/analyzer/logs',
    {
      schema: {
        summary: "The account's analyzer log, newest first",
        tags: ['admin'],
        params: AccountParams,
        querystring: LogQuery,
        response: {
          200: Type.Object({
            items: Type.Array(AnalyzerLogResource),
            next_before: Type.Union([Type.Integer(), Type.Null()], { description: 'Pass as `before` for the next page; null on the last one' }),
          }),
          ...notFound,
          ...AUTHENTICATED_ERRORS,
        },
      },
    },
    async (request) => {
      const account = await accountOf(adminPrincipalOf(request), accounts, request.params.account);
      const { since, before, limit = 100 } = request.query;
      const items = await analyzer.listLogs(account.id, { limit, before, since: since === undefined ? undefined : Date.parse(since) });
      return page(items, limit, logView);
    },
  );

  app.get(
    '/accounts/:account/analyzer/logs/export',
    {
      schema: {
        summary: "Download the account's whole analyzer log, oldest first",
        description: 'Streamed as an attachment: NDJSON (the entries of `GET …/analyzer/logs`, one per line) or CSV.',
        tags: ['admin'],
        params: AccountParams,
        querystring: ExportQuery,
        response: {
          200: {
            description: 'The log as a file',
            content: { 'application/x-ndjson': { schema: Type.String() }, 'text/csv': { schema: Type.String() } },
          },
          ...notFound,
          ...AUTHENTICATED_ERRORS,
        },
      },
    },
    async (request, reply) => {
      const account = await accountOf(adminPrincipalOf(request), accounts, request.params.account);
      const format = request.query.format ?? 'ndjson';
      const records = analyzer.exportLogs(account.id);
      // Account names are letters, digits, "_", "." and "-": safe in a quoted filename as they are. The reply is
      // widened from the schema's string body: a stream is sent as it is, never serialized.
      return (reply as FastifyReply)
        .type(CONTENT_TYPES[format])
        .header('content-disposition', `attachment; filename="analyzer-log-${account.name}.${format}"`)
        .send(Readable.from(format === 'csv' ? csvLines(records) : ndjsonLines(records)));
    },
  );
}

/** The switch as the store has it now (another gateway may have changed it), and the log's size. */
async function stateOf(analyzer: AnalyzerMode, accountId: string): Promise<Static<typeof AnalyzerState>> {
  await analyzer.refresh();
  return { enabled: analyzer.isOn(accountId), total_logs: await analyzer.totalLogs(accountId) };
}

function logView(record: AnalyzerLogRecord): Static<typeof AnalyzerLogResource> {
  return {
    id: record.id,
    at: iso(record.at),
    path: record.path,
    status: record.statusCode,
    request: parseStored(record.request),
    response: parseStored(record.response),
  };
}

/** Stored bodies are JSON text; one that is not (never written so, but the table is plain text) stays a string. */
function parseStored(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

async function* ndjsonLines(records: AsyncIterable<AnalyzerLogRecord>): AsyncGenerator<string> {
  for await (const record of records) yield `${JSON.stringify(logView(record))}\n`;
}

async function* csvLines(records: AsyncIterable<AnalyzerLogRecord>): AsyncGenerator<string> {
  yield `${CSV_COLUMNS.join(',')}\r\n`;
  for await (const record of records) {
    const row = [String(record.id), iso(record.at), record.path, String(record.statusCode), record.request, record.response];
    yield `${row.map(csvField).join(',')}\r\n`;
  }
}

/** RFC 4180: a field holding a comma, a quote or a line break is quoted, its quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
