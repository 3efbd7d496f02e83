// Per-API-key rate limits of the v1 route groups: OpenAlgo's 429 envelope, Retry-After and RateLimit-* headers.
// Windows are minutes or hours, so no test depends on how fast it runs.
import crypto from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { issueApiKey } from '../../src/gateway/api-keys.js';
import { loadOrCreatePepper } from '../../src/gateway/pepper.js';
import { type Harness, startGateway } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ORDER = { strategy: 'rl', exchange: 'NSE', symbol: 'SBIN', action: 'BUY', quantity: 1, product: 'MIS' };
const QUOTE = { symbol: 'SBIN', exchange: 'NSE' };
const RATE_LIMITED = 'Rate limit exceeded. Please slow down your requests.';

async function start(env: Record<string, string>): Promise<Harness> {
  h = await startGateway({ env });
  return h;
}

async function send(route: string, body: Record<string, unknown>, key = h!.key, headers: Record<string, string> = {}) {
  const response = await fetch(`${h!.url}/api/v1/${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ apikey: key, ...body }),
  });
  const header = (name: string) => response.headers.get(name);
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    limit: header('ratelimit-limit'),
    remaining: header('ratelimit-remaining'),
    reset: Number(header('ratelimit-reset')),
    retryAfter: header('retry-after'),
  };
}

/** `n` requests one after another; their statuses. */
async function statuses(n: number, route: string, body: Record<string, unknown>, key?: string): Promise<number[]> {
  const result: number[] = [];
  for (let i = 0; i < n; i++) result.push((await send(route, body, key)).status);
  return result;
}

async function secondKey(harness: Harness): Promise<string> {
  const pepper = loadOrCreatePepper(harness.dataDir);
  return (await issueApiKey(pepper, harness.gateway.store.apiKeys, harness.gateway.account.id, ['read', 'trade'])).key;
}

/** The N allowed requests count down RateLimit-Remaining; request N+1 gets OpenAlgo's 429. */
async function expectExactlyThreeOrdersPerMinute(): Promise<void> {
  const allowed = [await send('placeorder', ORDER), await send('placeorder', ORDER), await send('placeorder', ORDER)];
  expect(allowed.map((r) => [r.status, r.limit, r.remaining, r.retryAfter])).toEqual([
    [200, '3', '2', null],
    [200, '3', '1', null],
    [200, '3', '0', null],
  ]);
  for (const r of allowed) expect(r.reset).toBeGreaterThanOrEqual(1);

  const refused = await send('placeorder', ORDER);
  expect(refused.status).toBe(429);
  expect(refused.body).toEqual({ status: 'error', message: RATE_LIMITED, retry_after: expect.any(Number) });
  const retryAfter = refused.body.retry_after as number;
  expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
  expect(refused.retryAfter).toBe(String(retryAfter));
  expect([refused.limit, refused.remaining, refused.reset]).toEqual(['3', '0', retryAfter]);
}

describe('rate limits of the v1 API', () => {
  it('allows exactly ORDER_RATE_LIMIT orders and answers the next one 429 with retry_after and headers', async () => {
    await start({ ORDER_RATE_LIMIT: '3 per minute' });
    await expectExactlyThreeOrdersPerMinute();
  });

  it('modifyorder and cancelorder count against the order limit; placesmartorder has its own', async () => {
    await start({ ORDER_RATE_LIMIT: '3 per minute', SMART_ORDER_RATE_LIMIT: '1 per minute' });
    const resting = { ...ORDER, pricetype: 'LIMIT', price: 1 };
    const placed = await send('placeorder', resting);
    const orderid = placed.body.orderid;
    const modify = { ...resting, orderid, price: 2, disclosed_quantity: 0, trigger_price: 0 };
    expect((await send('modifyorder', modify)).status).toBe(200);
    expect((await send('cancelorder', { strategy: 'rl', orderid })).status).toBe(200);
    expect(await statuses(1, 'placeorder', ORDER)).toEqual([429]);
    const smart = { ...ORDER, position_size: 1 };
    expect(await statuses(2, 'placesmartorder', smart)).toEqual([200, 429]);
  });

  it('orders do not use up the data limit, nor data the order limit', async () => {
    await start({ ORDER_RATE_LIMIT: '2 per minute', API_RATE_LIMIT: '3 per minute' });
    expect(await statuses(3, 'placeorder', ORDER)).toEqual([200, 200, 429]);
    expect(await statuses(4, 'quotes', QUOTE)).toEqual([200, 200, 200, 429]);
    expect(await statuses(1, 'orderbook', {})).toEqual([429]);
  });

  it('two API keys of one account have budgets of their own', async () => {
    const harness = await start({ ORDER_RATE_LIMIT: '2 per minute' });
    const other = await secondKey(harness);
    expect(await statuses(3, 'placeorder', ORDER)).toEqual([200, 200, 429]);
    expect(await statuses(3, 'placeorder', ORDER, other)).toEqual([200, 200, 429]);
  });

  it('requests with an invalid key are answered 403 and cost no budget', async () => {
    await start({ API_RATE_LIMIT: '2 per minute' });
    const invalid = await send('quotes', QUOTE, 'cd'.repeat(32));
    expect([invalid.status, invalid.limit]).toEqual([403, null]);
    await statuses(4, 'quotes', QUOTE, 'cd'.repeat(32));
    expect(await statuses(3, 'quotes', QUOTE)).toEqual([200, 200, 429]);
  });

  it('a compound limit keeps every limit and reports the strictest', async () => {
    await start({ ORDER_RATE_LIMIT: '5 per minute;2 per hour' });
    const first = await send('placeorder', ORDER);
    expect([first.status, first.limit, first.remaining]).toEqual([200, '2', '1']);
    expect(await statuses(1, 'placeorder', ORDER)).toEqual([200]);
    const refused = await send('placeorder', ORDER);
    expect([refused.status, refused.limit, refused.remaining]).toEqual([429, '2', '0']);
    // The hour's limit, not the minute's, says when to come back.
    expect(Number(refused.retryAfter)).toBeGreaterThan(60);
    expect(refused.body.retry_after).toBe(Number(refused.retryAfter));
  });

  it('a compound limit refuses once its tighter window is used up', async () => {
    await start({ ORDER_RATE_LIMIT: '2 per minute;50 per hour' });
    const first = await send('placeorder', ORDER);
    expect([first.limit, first.remaining]).toEqual(['2', '1']);
    expect(await statuses(2, 'placeorder', ORDER)).toEqual([200, 429]);
  });

  it('every basket leg and split child counts against the order limit', async () => {
    await start({ ORDER_RATE_LIMIT: '4 per minute' });
    const leg = { exchange: 'NSE', symbol: 'SBIN', action: 'BUY', quantity: 1, product: 'MIS', pricetype: 'MARKET' };
    const basket = await send('basketorder', { strategy: 'rl', orders: [leg, leg] });
    expect((basket.body.results as { status: string }[]).map((r) => r.status)).toEqual(['success', 'success']);
    const split = await send('splitorder', { ...ORDER, quantity: 1, splitsize: 1 });
    expect((split.body.results as { status: string }[]).map((r) => r.status)).toEqual(['success']);
    expect(await statuses(2, 'placeorder', ORDER)).toEqual([200, 429]);
  });

  it('legs beyond the order budget wait for the next window, and waiting costs no budget', async () => {
    await start({ ORDER_RATE_LIMIT: '2 per second;5 per minute' });
    const leg = { exchange: 'NSE', symbol: 'SBIN', action: 'BUY', quantity: 1, product: 'MIS', pricetype: 'MARKET' };
    const basket = await send('basketorder', { strategy: 'rl', orders: [leg, leg, leg, leg, leg] });
    expect(basket.status).toBe(200);
    expect((basket.body.results as { status: string }[]).map((r) => r.status)).toEqual(Array(5).fill('success'));
    // Five orders, five units of the minute's budget: the waits took none.
    const refused = await send('placeorder', ORDER);
    expect([refused.status, refused.limit]).toEqual([429, '5']);
  });

  it('a leg whose budget would come back only after 30 s of waiting fails at once with the 429 words', async () => {
    await start({ ORDER_RATE_LIMIT: '2 per minute' });
    const leg = { exchange: 'NSE', symbol: 'SBIN', action: 'BUY', quantity: 1, product: 'MIS', pricetype: 'MARKET' };
    const basket = await send('basketorder', { strategy: 'rl', orders: [leg, leg, leg] });
    expect(basket.status).toBe(200);
    expect((basket.body.results as Array<Record<string, unknown>>).map((r) => [r.status, r.message])).toEqual([
      ['success', undefined],
      ['success', undefined],
      ['error', RATE_LIMITED],
    ]);
  });

  it('a refused request is not stored under its Idempotency-Key', async () => {
    const harness = await start({ ORDER_RATE_LIMIT: '1 per minute' });
    expect((await send('placeorder', ORDER, harness.key, { 'idempotency-key': 'first' })).status).toBe(200);
    expect((await send('placeorder', ORDER, harness.key, { 'idempotency-key': 'second' })).status).toBe(429);
    expect(await harness.gateway.store.idempotency.find(harness.gateway.account.id, 'first')).toBeDefined();
    expect(await harness.gateway.store.idempotency.find(harness.gateway.account.id, 'second')).toBeUndefined();
  });

  it('documents the 429 in the OpenAPI description', async () => {
    const harness = await start({});
    const doc = (await (await fetch(`${harness.url}/api/openapi.json`)).json()) as {
      paths: Record<string, { post?: { responses: Record<string, { description: string }> } }>;
    };
    for (const route of ['placeorder', 'placesmartorder', 'quotes', 'basketorder']) {
      expect(doc.paths[`/api/v1/${route}`]!.post!.responses['429']!.description).toMatch(/limit/);
    }
  });
});

describe('rate limits in Redis', () => {
  it('allows exactly ORDER_RATE_LIMIT orders, counted in the Redis at REDIS_URL', async () => {
    // A prefix of its own per run: runs never see each other's counts. Redis being down fails the test at start.
    const prefix = `ordergate-test-${crypto.randomUUID()}`;
    const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    try {
      await start({ ORDER_RATE_LIMIT: '3 per minute', ORDERGATE_RATE_LIMIT_STORE: 'redis', ORDERGATE_REDIS_PREFIX: prefix });
      await expectExactlyThreeOrdersPerMinute();
      const keys = await redis.keys(`${prefix}:*`);
      expect(keys).toHaveLength(1);
      expect(keys[0]).toMatch(new RegExp(`^${prefix}:ratelimit:order:60000:`));
      expect(await redis.get(keys[0]!)).toBe('4');
      await redis.del(...keys);
    } finally {
      await redis.quit();
    }
  });
});
