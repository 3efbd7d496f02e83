// The request guard's fixed order, seen through a made-up "ticket" dialect that supplies only its own parts:
// credentials → principal → scope → rate limit → idempotency, each refusal rendered in the dialect's envelope.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { afterEach, describe, expect, it } from 'vitest';
import type { RateLimitConfig } from '../../src/config.js';
import { ManualClock } from '../../src/domain/clock.js';
import { IdempotencyGuard } from '../../src/gateway/idempotency.js';
import { RateLimits } from '../../src/gateway/rate-limits.js';
import { type GuardRouteConfig, type Refusal, registerRequestGuard } from '../../src/gateway/request-guard.js';
import { SqlIdempotencyRepository } from '../../src/store/idempotency-repository.js';
import type { ApiKeyScope } from '../../src/store/store.js';
import { useEngines } from '../store/engines.js';

/** Who holds a ticket: the ticket dialect's principal. */
interface Holder {
  name: string;
  account: string;
  scopes: ApiKeyScope[];
}

const HOLDERS: Record<string, Holder> = {
  'ticket-reader': { name: 'reader', account: 'acc-reader', scopes: ['read'] },
  'ticket-trader': { name: 'trader', account: 'acc-trader', scopes: ['read', 'trade'] },
};

/** The ticket dialect's statuses; its envelope is `{"refused": reason, "message": …}`. */
const STATUS_OF: Record<Exclude<Refusal['reason'], 'idempotency'>, number> = {
  'no-credentials': 401,
  'bad-credentials': 401,
  'missing-scope': 403,
  'rate-limited': 429,
  'limit-store-down': 503,
};

const BOOK: GuardRouteConfig = { scope: 'trade', group: 'order' };
const NOTE: GuardRouteConfig = { scope: 'read' };
const MINUTE = 60_000;

function limits(orders: number, api: number): RateLimitConfig {
  const perMinute = (count: number) => [{ count, windowMs: MINUTE }];
  return { order: perMinute(orders), smartOrder: perMinute(1), api: perMinute(api), greeks: perMinute(1), margin: perMinute(1), webhook: perMinute(1), login: perMinute(1) };
}

/** The ticket dialect on a Fastify instance: POST /book (trade, order budget, idempotent) and POST /note (read). */
async function ticketDialect(rateLimits: RateLimits, idempotency: IdempotencyGuard): Promise<{ app: FastifyInstance; reached: string[] }> {
  const holders = new WeakMap<FastifyRequest, Holder>();
  const reached: string[] = [];
  const app = Fastify();
  await app.register(async (dialect) => {
    registerRequestGuard(dialect, {
      credentialsOf: (request) => request.headers['x-ticket'],
      verify: async (ticket) => (typeof ticket === 'string' ? HOLDERS[ticket] : undefined) ?? 'No such ticket',
      attach: (request, holder) => holders.set(request, holder),
      limitKeyOf: (holder) => holder.name,
      rateLimits,
      idempotency: {
        guard: idempotency,
        accountOf: (request) => (request.url === '/book' ? holders.get(request)?.account : undefined),
      },
      refuse: (reply: FastifyReply, refusal: Refusal) =>
        reply
          .code(refusal.reason === 'idempotency' ? refusal.statusCode : STATUS_OF[refusal.reason])
          .send({ refused: refusal.reason, message: 'message' in refusal ? refusal.message : 'Show a ticket' }),
    });
    for (const [url, config] of [['/book', BOOK], ['/note', NOTE]] as const) {
      dialect.post(url, { config }, async (request) => {
        const holder = holders.get(request);
        reached.push(`${url} by ${holder?.name}`);
        return { done: url, by: holder?.name, body: request.body };
      });
    }
  });
  await app.ready();
  return { app, reached };
}

const engines = useEngines();
const closing: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closing.splice(0)) await close();
});

describe.each(engines)('the request guard (idempotency answers on $name)', (engine) => {
  async function start(orders = 5, api = 5) {
    const answers = new SqlIdempotencyRepository(await engine.open());
    const dialect = await ticketDialect(new RateLimits(limits(orders, api)), new IdempotencyGuard(answers, new ManualClock(0)));
    closing.push(() => dialect.app.close());
    return { ...dialect, answers };
  }

  function send(app: FastifyInstance, url: string, headers: Record<string, string>, body: Record<string, unknown> = {}) {
    return app.inject({ method: 'POST', url, headers, payload: body });
  }

  it('lets a holder with the scope through to the handler, with its principal and the RateLimit headers', async () => {
    const { app, reached } = await start(5);
    const answer = await send(app, '/book', { 'x-ticket': 'ticket-trader' }, { seat: 1 });
    expect([answer.statusCode, answer.json()]).toEqual([200, { done: '/book', by: 'trader', body: { seat: 1 } }]);
    expect([answer.headers['ratelimit-limit'], answer.headers['ratelimit-remaining']]).toEqual(['5', '4']);
    expect(reached).toEqual(['/book by trader']);
  });

  it('refuses a request without credentials first, in the dialect envelope, before any budget is counted', async () => {
    const { app, reached } = await start();
    const answer = await send(app, '/book', {});
    expect([answer.statusCode, answer.json()]).toEqual([401, { refused: 'no-credentials', message: 'Show a ticket' }]);
    expect(answer.headers['ratelimit-limit']).toBeUndefined();
    expect(reached).toEqual([]);
  });

  it("refuses bad credentials in the dialect's words before the route's scope is looked at", async () => {
    const { app } = await start();
    const answer = await send(app, '/book', { 'x-ticket': 'forged' });
    expect([answer.statusCode, answer.json()]).toEqual([401, { refused: 'bad-credentials', message: 'No such ticket' }]);
  });

  it('refuses a holder without the scope before rate limiting: the refusals cost no budget', async () => {
    const { app, reached } = await start(5, 2);
    const reader = { 'x-ticket': 'ticket-reader' };
    for (let i = 0; i < 3; i++) {
      const refused = await send(app, '/book', reader);
      expect([refused.statusCode, refused.json()]).toEqual([
        403,
        { refused: 'missing-scope', message: "This API key lacks the 'trade' scope" },
      ]);
      expect(refused.headers['ratelimit-limit']).toBeUndefined();
    }
    const note = await send(app, '/note', reader);
    expect([note.statusCode, note.headers['ratelimit-limit'], note.headers['ratelimit-remaining']]).toEqual([200, '2', '1']);
    expect(reached).toEqual(['/note by reader']);
  });

  it('refuses a request over its budget 429 before idempotency: no replay, no 422, no 400, nothing stored', async () => {
    const { app, reached, answers } = await start(1);
    const trader = { 'x-ticket': 'ticket-trader' };
    expect((await send(app, '/book', { ...trader, 'idempotency-key': 'k1' }, { seat: 1 })).statusCode).toBe(200);

    // Within the budget these would be a replay, a 422 (another body under k1) and a 400 (an over-long key).
    for (const [key, seat] of [['k1', 1], ['k1', 2], ['x'.repeat(256), 3]] as const) {
      const refused = await send(app, '/book', { ...trader, 'idempotency-key': key }, { seat });
      expect([refused.statusCode, refused.json()]).toEqual([
        429,
        { refused: 'rate-limited', message: 'Rate limit exceeded. Please slow down your requests.' },
      ]);
      expect([refused.headers['retry-after'], refused.headers['ratelimit-remaining'], refused.headers['idempotent-replayed']]).toEqual([
        String(refused.headers['ratelimit-reset']),
        '0',
        undefined,
      ]);
    }
    expect(reached).toEqual(['/book by trader']);
    expect((await answers.find('acc-trader', 'k1'))?.statusCode).toBe(200);
  });

  it('counts a replay against the budget like any request, then answers it from the first answer', async () => {
    const { app, reached } = await start(2);
    const request = { 'x-ticket': 'ticket-trader', 'idempotency-key': 'k1' };
    const first = await send(app, '/book', request, { seat: 1 });
    const replay = await send(app, '/book', request, { seat: 1 });
    expect([replay.statusCode, replay.headers['idempotent-replayed'], replay.body]).toEqual([200, 'true', first.body]);
    expect([replay.headers['ratelimit-remaining'], (await send(app, '/book', request, { seat: 1 })).statusCode]).toEqual(['0', 429]);
    expect(reached).toEqual(['/book by trader']);
  });

  it('renders idempotency refusals through the dialect, on the routes the dialect names an account for', async () => {
    const { app, reached } = await start();
    const trader = { 'x-ticket': 'ticket-trader', 'idempotency-key': 'k1' };
    await send(app, '/book', trader, { seat: 1 });
    const reused = await send(app, '/book', trader, { seat: 2 });
    expect([reused.statusCode, reused.json()]).toEqual([
      422,
      { refused: 'idempotency', message: 'Idempotency-Key was already used for a different request' },
    ]);
    // /note names no account: the same key there is no replay.
    await send(app, '/note', trader, { line: 1 });
    await send(app, '/note', trader, { line: 1 });
    expect(reached).toEqual(['/book by trader', '/note by trader', '/note by trader']);
  });

  it('refuses when the rate-limit store cannot be reached, with Retry-After: 1, rather than let the request through', async () => {
    // A Redis client whose connection is closed: every command fails, as when Redis goes away for good.
    const redis = new Redis({ lazyConnect: true });
    redis.disconnect();
    const rateLimits = new RateLimits(limits(5, 5), (opts) => new RateLimiterRedis({ ...opts, storeClient: redis }));
    const answers = new SqlIdempotencyRepository(await engine.open());
    const { app, reached } = await ticketDialect(rateLimits, new IdempotencyGuard(answers, new ManualClock(0)));
    closing.push(() => app.close());

    const answer = await app.inject({ method: 'POST', url: '/book', headers: { 'x-ticket': 'ticket-trader' }, payload: {} });
    expect([answer.statusCode, answer.json(), answer.headers['retry-after']]).toEqual([
      503,
      { refused: 'limit-store-down', message: 'Rate limit store unavailable; retry shortly' },
      '1',
    ]);
    expect(reached).toEqual([]);
  });
});
