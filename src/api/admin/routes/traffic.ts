// /api/admin/traffic: the traffic log of the caller's accounts (and of a logged-in user's own admin calls), listed
// newest first and summarized per endpoint.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type Static, type TSchema, Type } from 'typebox';
import type { EndpointTraffic, TrafficRecord, TrafficScope } from '../../../store/store.js';
import { AUTHENTICATED_ERRORS, AdminError, AdminErrorResponse } from '../errors.js';
import type { AdminDeps } from '../admin-context.js';
import { type AdminPrincipal, accountOf, accountsOf, adminPrincipalOf } from '../principal.js';
import { QueryInteger, QueryObject, StoredText, iso, page } from '../schemas.js';

/** The summary's window when `since` is not given. */
export const DEFAULT_SUMMARY_WINDOW_MS = 24 * 3600 * 1000;

const Instant = (description: string) => Type.String({ format: 'date-time', description });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const WindowFilters = {
  account: Type.Optional(
    StoredText({ maxLength: 64, description: "Only this account's requests (its id or name)" }),
  ),
  since: Type.Optional(Instant('Only requests that arrived at or after this instant')),
  until: Type.Optional(Instant('Only requests that arrived before this instant')),
};

const ListQuery = QueryObject({
  ...WindowFilters,
  status: Type.Optional(QueryInteger({ minimum: 100, maximum: 599, description: 'Only answers with this status' })),
  status_class: Type.Optional(
    Type.Union([Type.Literal('1xx'), Type.Literal('2xx'), Type.Literal('3xx'), Type.Literal('4xx'), Type.Literal('5xx')], {
      description: 'Only answers in this class',
    }),
  ),
  path: Type.Optional(StoredText({ maxLength: 2048, description: 'Only requests to this exact path' })),
  before: Type.Optional(QueryInteger({ minimum: 1, description: 'Only entries older than this id: the `next_before` of the previous page' })),
  limit: Type.Optional(QueryInteger({ minimum: 1, maximum: 1000, default: 100 })),
});

const TrafficEntryResource = Type.Object(
  {
    id: Type.Integer({ description: 'Position in the log; later requests have larger ids' }),
    at: Instant('When the request arrived'),
    key_id: Nullable(Type.String({ description: 'The API key it carried, when one was verified' })),
    account_id: Nullable(Type.String({ description: 'The account it acted for; null for a logged-in user’s own calls' })),
    user_id: Nullable(Type.String({ description: 'The logged-in user or admin key owner (admin API calls)' })),
    ip: Type.String(),
    method: Type.String(),
    path: Type.String({ description: 'The URL path, without the query string' }),
    route: Nullable(Type.String({ description: 'The matched route pattern; null when no route matched (404)' })),
    status: Type.Integer(),
    duration_ms: Type.Number({ minimum: 0, description: 'Arrival to response sent, in milliseconds to the microsecond' }),
  },
  { $id: 'TrafficEntry' },
);

const Counts = {
  requests: Type.Integer({ minimum: 0 }),
  errors: Type.Integer({ minimum: 0, description: 'Answers with status 400 or more' }),
  server_errors: Type.Integer({ minimum: 0, description: 'Answers with status 500 or more (also in `errors`)' }),
  error_rate: Type.Number({ minimum: 0, maximum: 1, description: '`errors / requests`; 0 without requests' }),
};

const Percentile = (p: number) => Type.Number({ minimum: 0, description: `Nearest-rank p${p} of the durations, in milliseconds` });

const EndpointSummary = Type.Object({
  method: Type.String(),
  route: Nullable(Type.String({ description: 'The route pattern; null gathers the requests no route matched (404)' })),
  ...Counts,
  p50_ms: Percentile(50),
  p90_ms: Percentile(90),
  p99_ms: Percentile(99),
});

const TrafficSummary = Type.Object({
  since: Instant('Start of the window (included)'),
  until: Nullable(Instant('End of the window (excluded); null: up to now')),
  ...Counts,
  endpoints: Type.Array(EndpointSummary, { description: 'One entry per method and route pattern, busiest first' }),
});

export async function trafficRoutes(fastify: FastifyInstance, { accounts, traffic, clock }: AdminDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/traffic',
    {
      schema: {
        summary: 'The traffic log: requests of your accounts, newest first',
        description:
          'Time, key, account, IP, method, path (never the query string), route, status and duration of each answered ' +
          'request. A logged-in user sees the requests of all their accounts and their own admin calls; an admin key ' +
          'sees its account’s. Entries are written within about a second and kept ORDERGATE_TRAFFIC_RETENTION_DAYS days.',
        tags: ['admin'],
        querystring: ListQuery,
        response: {
          200: Type.Object({
            items: Type.Array(TrafficEntryResource),
            next_before: Nullable(Type.Integer({ description: 'Pass as `before` for the next page; null on the last one' })),
          }),
          404: AdminErrorResponse,
          ...AUTHENTICATED_ERRORS,
        },
      },
    },
    async (request) => {
      const query = request.query;
      const scope = await scopeOf(adminPrincipalOf(request), accounts, query.account);
      const limit = query.limit ?? 100;
      const items = await traffic.list({
        scope,
        ...windowOf(query.since, query.until),
        status: query.status,
        statusClass: query.status_class === undefined ? undefined : statusClassOf(query.status_class),
        path: query.path,
        before: query.before,
        limit,
      });
      return page(items, limit, entryView);
    },
  );

  app.get(
    '/traffic/summary',
    {
      schema: {
        summary: 'Requests, error rates and latency percentiles per endpoint',
        description:
          'Over the same requests `GET /traffic` shows, in a window that defaults to the last 24 hours: per method and ' +
          'route pattern, the requests, the errors (status ≥ 400) and server errors (≥ 500), the error rate and the ' +
          'nearest-rank p50/p90/p99 of the durations.',
        tags: ['admin'],
        querystring: QueryObject(WindowFilters),
        response: { 200: TrafficSummary, 404: AdminErrorResponse, ...AUTHENTICATED_ERRORS },
      },
    },
    async (request): Promise<Static<typeof TrafficSummary>> => {
      const query = request.query;
      const scope = await scopeOf(adminPrincipalOf(request), accounts, query.account);
      const window = windowOf(query.since, query.until);
      const since = window.since ?? clock.now() - DEFAULT_SUMMARY_WINDOW_MS;
      const endpoints = await traffic.summarize(scope, since, window.until);
      const total = endpoints.reduce(
        (sum, e) => ({ requests: sum.requests + e.requests, errors: sum.errors + e.errors, serverErrors: sum.serverErrors + e.serverErrors }),
        { requests: 0, errors: 0, serverErrors: 0 },
      );
      return {
        since: iso(since),
        until: window.until === undefined ? null : iso(window.until),
        ...countsView(total),
        endpoints: endpoints.map(endpointView),
      };
    },
  );
}

/** What the caller sees: one named account of theirs, or all of them plus (logged-in users) their own admin calls. */
async function scopeOf(principal: AdminPrincipal, accounts: AdminDeps['accounts'], account: string | undefined): Promise<TrafficScope> {
  if (account !== undefined) return { accountIds: [(await accountOf(principal, accounts, account)).id], userId: null };
  return {
    accountIds: (await accountsOf(principal, accounts)).map((a) => a.id),
    userId: principal.via === 'token' ? principal.userId : null,
  };
}

function windowOf(since: string | undefined, until: string | undefined): { since?: number; until?: number } {
  const window = { since: since === undefined ? undefined : Date.parse(since), until: until === undefined ? undefined : Date.parse(until) };
  if (window.since !== undefined && window.until !== undefined && window.since >= window.until) {
    throw new AdminError('invalid_request', 'querystring/since must be before querystring/until');
  }
  return window;
}

function statusClassOf(name: '1xx' | '2xx' | '3xx' | '4xx' | '5xx'): 1 | 2 | 3 | 4 | 5 {
  return Number(name[0]) as 1 | 2 | 3 | 4 | 5;
}

function entryView(entry: TrafficRecord): Static<typeof TrafficEntryResource> {
  return {
    id: entry.id,
    at: iso(entry.at),
    key_id: entry.keyId,
    account_id: entry.accountId,
    user_id: entry.userId,
    ip: entry.ip,
    method: entry.method,
    path: entry.path,
    route: entry.route,
    status: entry.status,
    duration_ms: entry.durationUs / 1000,
  };
}

function countsView(counts: { requests: number; errors: number; serverErrors: number }) {
  return {
    requests: counts.requests,
    errors: counts.errors,
    server_errors: counts.serverErrors,
    error_rate: counts.requests === 0 ? 0 : counts.errors / counts.requests,
  };
}

function endpointView(endpoint: EndpointTraffic): Static<typeof EndpointSummary> {
  return {
    method: endpoint.method,
    route: endpoint.route,
    ...countsView(endpoint),
    p50_ms: endpoint.p50Us / 1000,
    p90_ms: endpoint.p90Us / 1000,
    p99_ms: endpoint.p99Us / 1000,
  };
}
