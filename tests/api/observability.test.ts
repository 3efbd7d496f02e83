// Operations over HTTP: request ids, security headers, /metrics, /ready, the body limit, and keys kept out of logs.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startGateway } from './harness.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let h: Harness;
beforeAll(async () => {
  h = await startGateway();
});
afterAll(() => h.close());

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${h.url}${path}`, { headers });
const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${h.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('X-Request-Id', () => {
  it('echoes a client id on successes, 404s and errors', async () => {
    const funds = await post('/api/v1/funds', JSON.stringify({ apikey: h.key }), { 'x-request-id': 'client-1.a:b_c' });
    const missing = await get('/no/such/path', { 'x-request-id': 'client-2' });
    const invalid = await post('/api/v1/placeorder', '{', { 'x-request-id': 'client-3' });
    expect([funds.status, missing.status, invalid.status]).toEqual([200, 404, 400]);
    expect([funds, missing, invalid].map((r) => r.headers.get('x-request-id'))).toEqual(['client-1.a:b_c', 'client-2', 'client-3']);
  });

  it('generates a UUID when the client sends none or an unsafe one', async () => {
    const ids = await Promise.all(
      [undefined, 'has space', 'x'.repeat(129), 'a"b'].map(async (offered) => {
        const response = await get('/health', offered === undefined ? {} : { 'x-request-id': offered });
        return response.headers.get('x-request-id');
      }),
    );
    expect(ids.every((id) => UUID.test(id ?? ''))).toBe(true);
    expect(new Set(ids).size).toBe(4);
  });
});

describe('security headers', () => {
  it('hardens every response and forbids caching API answers', async () => {
    const api = await post('/api/v1/funds', JSON.stringify({ apikey: h.key }));
    const health = await get('/health');
    const missing = await get('/api/v1/nothing');
    for (const response of [api, health, missing]) {
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    }
    expect([api, health, missing].map((r) => r.headers.get('cache-control'))).toEqual(['no-store', null, 'no-store']);
  });
});

describe('limits', () => {
  it('answers a body over 1 MiB with 413 in the OpenAlgo envelope', async () => {
    const oversize = JSON.stringify({ apikey: h.key, strategy: 'x'.repeat(1024 * 1024) });
    for (const path of ['/api/v1/placeorder', '/no/such/path']) {
      const response = await post(path, oversize);
      expect(response.status).toBe(413);
      expect(await response.json()).toEqual({ status: 'error', message: 'Request body is too large' });
    }
  });

  it('takes a basket of 100 legs', async () => {
    h.setPrice('SBIN', 'NSE', '800');
    const leg = { exchange: 'NSE', symbol: 'SBIN', action: 'BUY', quantity: 1, pricetype: 'LIMIT', price: 700, product: 'MIS' };
    const reply = await h.post('/api/v1/basketorder', { apikey: h.key, strategy: 'basket', orders: Array(100).fill(leg) });
    expect(reply.status).toBe(200);
    expect((reply.body.results as { status: string }[]).filter((r) => r.status === 'success')).toHaveLength(100);
  });
});

describe('/ready', () => {
  it('is ready when the store answers and the broker runs', async () => {
    const response = await get('/ready');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', checks: { store: 'ok', broker: 'ok' } });
  });

  it('answers 503 naming the failing check once the store is closed', async () => {
    const other = await startGateway();
    try {
      await other.gateway.store.close();
      const response = await fetch(`${other.url}/ready`);
      expect(response.status).toBe(503);
      // Each engine's driver words a closed connection its own way.
      const closed = other.gateway.store.engine === 'sqlite' ? 'The database connection is not open' : expect.any(String);
      expect(await response.json()).toEqual({ status: 'not_ready', checks: { store: closed, broker: 'ok' } });
    } finally {
      await other.close();
    }
  });
});

describe('/metrics', () => {
  it('counts requests by method, route pattern and status, with unmatched paths under one label', async () => {
    const m = await startGateway();
    try {
      const call = (path: string, body: unknown) =>
        fetch(`${m.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      await call('/api/v1/funds', { apikey: m.key });
      await call('/api/v1/funds', { apikey: m.key });
      await call('/api/v1/funds', { apikey: 'wrong' });
      await fetch(`${m.url}/scan/one`);
      await fetch(`${m.url}/scan/two?x=1`);
      await fetch(`${m.url}/health`);

      const response = await fetch(`${m.url}/metrics`);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const lines = (await response.text()).split('\n');
      const value = (series: string) => lines.find((line) => line.startsWith(`${series} `))?.split(' ')[1];
      expect(value('ordergate_http_requests_total{method="POST",route="/api/v1/funds",status="200"}')).toBe('2');
      expect(value('ordergate_http_requests_total{method="POST",route="/api/v1/funds",status="403"}')).toBe('1');
      expect(value('ordergate_http_requests_total{method="GET",route="unmatched",status="404"}')).toBe('2');
      expect(value('ordergate_http_requests_total{method="GET",route="/health",status="200"}')).toBe('1');
      expect(value('ordergate_http_request_duration_seconds_count{method="POST",route="/api/v1/funds"}')).toBe('3');
      expect(value('ordergate_http_request_duration_seconds_bucket{le="+Inf",method="POST",route="/api/v1/funds"}')).toBe('3');
      expect(lines.some((line) => line.startsWith('ordergate_http_request_duration_seconds_bucket{le="0.0005",'))).toBe(true);
      expect(lines.some((line) => line.startsWith('process_cpu_user_seconds_total '))).toBe(true);
      expect(lines.some((line) => line.includes('/scan/'))).toBe(false);
    } finally {
      await m.close();
    }
  });

  it('is left out of the OpenAPI document, beside /ready which is in it', async () => {
    const paths = ((await (await get('/api/openapi.json')).json()) as { paths: Record<string, unknown> }).paths;
    expect(Object.keys(paths)).toContain('/ready');
    expect(Object.keys(paths)).not.toContain('/metrics');
  });
});

describe('logs', () => {
  it('never contain the API key, whether it came in a body, a query string or a malformed request', async () => {
    const key = randomBytes(32).toString('hex');
    const lines: string[] = [];
    const g = await startGateway({
      env: { ORDERGATE_BOOTSTRAP_API_KEY: key, LOG_LEVEL: 'trace' },
      logStream: { write: (line: string) => void lines.push(line) },
    });
    try {
      const send = (path: string, init: RequestInit = {}) => fetch(`${g.url}${path}`, init);
      const postRaw = (path: string, body: string) =>
        send(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const statuses = [
        (await postRaw('/api/v1/funds', JSON.stringify({ apikey: key }))).status,
        (await send(`/api/v1/instruments?exchange=NSE&apikey=${key}`)).status,
        (await postRaw('/api/v1/placeorder', `{"apikey":"${key}", "symbol": }`)).status,
        (await postRaw('/api/v1/placeorder', JSON.stringify({ apikey: key, symbol: 'SBIN', quantity: 'many' }))).status,
        (await postRaw('/api/v1/funds', JSON.stringify({ apikey: `${key}0` }))).status,
        (await send(`/no/such/path?apikey=${key}`)).status,
      ];
      expect(statuses).toEqual([200, 200, 400, 400, 403, 404]);
      const log = lines.join('');
      expect(log).toContain('apikey=[redacted]');
      expect(log).not.toContain(key.slice(0, 16));
    } finally {
      await g.close();
    }
  });
});
