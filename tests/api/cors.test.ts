// CORS through a real server: listed origins get their origin echoed and the preflight answered, any other origin
// (or none) gets no CORS header while its requests are still answered, and a gateway without CORS_ENABLED sends none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startGateway } from './harness.js';

const APP = 'https://app.example.com';
const FOREIGN = 'https://evil.example.net';

/** The response's CORS headers (every `access-control-*` one), by lower-case name. */
function corsHeaders(response: Response): Record<string, string> {
  return Object.fromEntries([...response.headers].filter(([name]) => name.startsWith('access-control-')));
}

function varyOf(response: Response): string[] {
  return (response.headers.get('vary') ?? '').split(',').map((item) => item.trim().toLowerCase());
}

async function postFunds(h: Harness, origin?: string): Promise<Response> {
  return fetch(`${h.url}/api/v1/funds`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(origin ? { origin } : {}) },
    body: JSON.stringify({ apikey: h.key }),
  });
}

async function preflight(h: Harness, path: string, origin: string): Promise<Response> {
  return fetch(`${h.url}${path}`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });
}

describe('CORS enabled for https://app.example.com', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startGateway({ env: { CORS_ENABLED: 'true', CORS_ALLOWED_ORIGINS: APP } });
  });
  afterAll(() => h.close());

  it('echoes the allowed origin on POST /api/v1/funds and exposes the request id and rate-limit headers', async () => {
    const response = await postFunds(h, APP);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'success' });
    expect(corsHeaders(response)).toEqual({
      'access-control-allow-origin': APP,
      'access-control-expose-headers': 'X-Request-Id, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset',
    });
    expect(varyOf(response)).toContain('origin');
  });

  it('answers a preflight from the allowed origin 204 with the allowed methods, headers and max age', async () => {
    const response = await preflight(h, '/api/v1/placeorder', APP);
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect(corsHeaders(response)).toEqual({
      'access-control-allow-origin': APP,
      'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE',
      'access-control-allow-headers': 'Content-Type, Authorization, X-API-KEY, Idempotency-Key, X-Request-Id',
      'access-control-expose-headers': 'X-Request-Id, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset',
      'access-control-max-age': '86400',
    });
    expect(varyOf(response)).toContain('origin');
  });

  it('covers every prefix: /api/auth, /api/admin, /health and the 404s', async () => {
    for (const path of ['/api/auth/login', '/api/admin/accounts', '/health']) {
      const response = await preflight(h, path, APP);
      expect(response.status, path).toBe(204);
      expect(response.headers.get('access-control-allow-origin'), path).toBe(APP);
    }
    const health = await fetch(`${h.url}/health`, { headers: { origin: APP } });
    expect(health.status).toBe(200);
    expect(health.headers.get('access-control-allow-origin')).toBe(APP);
    const missing = await fetch(`${h.url}/api/v1/nowhere`, { method: 'POST', headers: { origin: APP } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('access-control-allow-origin')).toBe(APP);
  });

  it('lets the page read error answers too', async () => {
    const response = await fetch(`${h.url}/api/v1/funds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: APP },
      body: JSON.stringify({ apikey: 'cd'.repeat(32) }),
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ status: 'error' });
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
  });

  it('answers a foreign origin normally but without any CORS header', async () => {
    const response = await postFunds(h, FOREIGN);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'success' });
    expect(corsHeaders(response)).toEqual({});
    // The answer still depends on the origin, so caches must keep the two apart.
    expect(varyOf(response)).toContain('origin');
  });

  it('answers a foreign preflight 404 in the error envelope, with no allow headers', async () => {
    const response = await preflight(h, '/api/v1/placeorder', FOREIGN);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ status: 'error', message: 'Not found', path: '/api/v1/placeorder' });
    expect(corsHeaders(response)).toEqual({});
  });

  it('sends no CORS header to a request without an Origin (scripts, servers)', async () => {
    const response = await postFunds(h);
    expect(response.status).toBe(200);
    expect(corsHeaders(response)).toEqual({});
  });

  it('matches origins exactly: another scheme, port or subdomain is foreign', async () => {
    for (const origin of ['http://app.example.com', 'https://app.example.com:8443', 'https://www.app.example.com', 'null']) {
      const response = await postFunds(h, origin);
      expect(corsHeaders(response), origin).toEqual({});
    }
  });
});

describe('CORS with credentials, a shorter max age, fewer methods and two origins', () => {
  let h: Harness;
  const other = 'http://localhost:3000';
  beforeAll(async () => {
    h = await startGateway({
      env: {
        CORS_ENABLED: 'true',
        CORS_ALLOWED_ORIGINS: `${APP}, ${other}`,
        CORS_ALLOWED_METHODS: 'get,post',
        CORS_ALLOW_CREDENTIALS: 'true',
        CORS_MAX_AGE: '600',
        API_RATE_LIMIT: '1 per minute',
      },
    });
  });
  afterAll(() => h.close());

  it('echoes whichever listed origin asks, with credentials allowed', async () => {
    const response = await preflight(h, '/api/v1/funds', other);
    expect(response.status).toBe(204);
    expect(corsHeaders(response)).toMatchObject({
      'access-control-allow-origin': other,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET, POST',
      'access-control-max-age': '600',
    });
  });

  it('a 429 carries Retry-After, which the page may read', async () => {
    expect((await postFunds(h, APP)).status).toBe(200);
    const limited = await postFunds(h, APP);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(limited.headers.get('access-control-allow-origin')).toBe(APP);
    expect(limited.headers.get('access-control-allow-credentials')).toBe('true');
    expect(limited.headers.get('access-control-expose-headers')).toContain('Retry-After');
  });
});

describe('CORS disabled (the default)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startGateway({ env: { CORS_ALLOWED_ORIGINS: APP } });
  });
  afterAll(() => h.close());

  it('sends no CORS header, even to a listed origin', async () => {
    const response = await postFunds(h, APP);
    expect(response.status).toBe(200);
    expect(corsHeaders(response)).toEqual({});
    expect(varyOf(response)).not.toContain('origin');
  });

  it('answers a preflight as any unknown OPTIONS request: 404 in the envelope', async () => {
    const response = await preflight(h, '/api/v1/placeorder', APP);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ status: 'error', message: 'Not found', path: '/api/v1/placeorder' });
    expect(corsHeaders(response)).toEqual({});
  });
});
