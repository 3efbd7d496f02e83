// Malformed requests across the native API (/api/auth, /api/admin and /api/backtest), from a seeded generator: junk bodies, junk
// path parameters, junk credentials. Every answer must be a 4xx (never a 5xx) in the native envelope, and a refused
// request must write nothing (no user, account, key or session appears or changes).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JUNK, random } from '../fuzz-input.js';
import { type Harness, TEST_PASSWORD, login, startGateway } from '../harness.js';
import { type StoredRowsReader, openStoredRows } from '../stored-rows.js';

interface Route {
  method: string;
  path: string;
  body?: Record<string, unknown>;
  /** Query parameters a valid request may carry; the generator fills them with junk. */
  query?: string[];
  /** Sent without credentials (the auth routes). */
  open?: boolean;
}

const ROUTES: Route[] = [
  { method: 'POST', path: '/api/auth/login', body: { username: 'admin', password: 'wrong password' }, open: true },
  { method: 'POST', path: '/api/auth/refresh', body: { refresh_token: 'ogr_x' }, open: true },
  { method: 'POST', path: '/api/auth/logout', body: { refresh_token: 'ogr_x' }, open: true },
  { method: 'GET', path: '/api/admin/me' },
  { method: 'PUT', path: '/api/admin/me/password', body: { current_password: 'wrong password', new_password: 'another password' } },
  { method: 'GET', path: '/api/admin/accounts' },
  { method: 'POST', path: '/api/admin/accounts', body: { name: 'fuzz' } },
  { method: 'GET', path: '/api/admin/accounts/{account}' },
  { method: 'GET', path: '/api/admin/accounts/{account}/keys' },
  { method: 'POST', path: '/api/admin/accounts/{account}/keys', body: { scopes: ['read'] } },
  { method: 'DELETE', path: '/api/admin/accounts/{account}/keys/{key}' },
  { method: 'POST', path: '/api/admin/accounts/{account}/keys/{key}/rotate' },
  { method: 'GET', path: '/api/admin/latency' },
  { method: 'GET', path: '/api/admin/traffic', query: ['account', 'since', 'until', 'status', 'status_class', 'path', 'limit', 'before'] },
  { method: 'GET', path: '/api/admin/traffic/summary', query: ['account', 'since', 'until'] },
  { method: 'GET', path: '/api/admin/accounts/{account}/analyzer' },
  { method: 'PUT', path: '/api/admin/accounts/{account}/analyzer', body: { enabled: false } },
  { method: 'GET', path: '/api/admin/accounts/{account}/analyzer/logs', query: ['limit', 'before', 'since'] },
  { method: 'GET', path: '/api/admin/accounts/{account}/analyzer/logs/export', query: ['format'] },
  { method: 'POST', path: '/api/backtest/run', body: { strategy_name: 'sma_cross', data: { source: 'bundled', name: 'GOOG' }, params: { fast: 10, slow: 20 }, start_date: '2012-01-01' } },
  { method: 'POST', path: '/api/backtest/optimize', body: { strategy_name: 'sma_cross', data: { source: 'bundled', name: 'BTCUSD' }, grid: { fast: [3, 5] }, maximize: 'SQN' } },
  { method: 'GET', path: '/api/backtest/history', query: ['strategy', 'limit'] },
  { method: 'GET', path: '/api/backtest/jobs/{key}' },
  { method: 'DELETE', path: '/api/backtest/jobs/{key}' },
  { method: 'GET', path: '/api/backtest/{key}' },
  { method: 'POST', path: '/api/backtest/strategies', body: { source: 'export default 1;' } },
  { method: 'DELETE', path: '/api/backtest/strategies/{key}' },
];

const JUNK_PARAMS = ['%00', '..%2F..%2Fetc', '%F0%9F%98%80', 'a'.repeat(300), '%27%3B%20DROP%20TABLE%20accounts', '-1', 'null', '%E0%A4'];
const JUNK_AUTH = ['Bearer', 'Bearer ', 'Bearer a.b.c', 'Bearer eyJhbGciOiJub25lIn0.e30.', 'Basic Og==', 'Bearer ' + 'x'.repeat(5000), 'Token abc', 'Bearer a b'];

let h: Harness;
let token: string;
let stored: StoredRowsReader;

beforeAll(async () => {
  h = await startGateway();
  token = (await login(h.url)).access_token;
  stored = await openStoredRows(h);
});
afterAll(async () => {
  await stored.close();
  await h.close();
});

/** Everything a refused request must leave alone (sessions and refresh tokens too, which no repository lists). */
async function snapshot(): Promise<string> {
  return JSON.stringify([
    await stored.select('SELECT id, username, password_hash FROM users ORDER BY id'),
    await stored.select('SELECT id, name, user_id FROM accounts ORDER BY id'),
    await stored.select('SELECT id, digest, scopes, revoked_at FROM api_keys ORDER BY id'),
    await stored.select('SELECT id, revoked_at FROM auth_sessions ORDER BY id'),
    await stored.select('SELECT digest, used_at FROM refresh_tokens ORDER BY digest'),
  ]);
}

function malformed(next: () => number): { method: string; url: string; headers: Record<string, string>; body?: string } {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const route = pick(ROUTES);
  const headers: Record<string, string> = {};
  if (!route.open) headers.authorization = next() < 0.15 ? pick(JUNK_AUTH) : `Bearer ${token}`;
  const path = route.path
    .replace('{account}', next() < 0.5 ? pick(JUNK_PARAMS) : 'default')
    .replace('{key}', pick(JUNK_PARAMS));
  if (!route.body) {
    const query = new URLSearchParams();
    for (const name of route.query ?? []) if (next() < 0.4) query.set(name, String(pick(JUNK)).slice(0, 2000));
    const search = query.size > 0 ? `?${query.toString()}` : '';
    return { method: route.method, url: `${path}${search}`, headers };
  }
  headers['content-type'] = next() < 0.05 ? pick(['text/plain', 'application/xml']) : 'application/json';
  const kind = next();
  if (kind < 0.08) return { method: route.method, url: path, headers, body: pick(['', '{', 'null', '[]', '"x"', '{"a":1}}']) };
  const body: Record<string, unknown> = structuredClone(route.body);
  const fields = Object.keys(body);
  for (let n = 0; n < 1 + Math.floor(next() * 3); n += 1) {
    const what = next();
    if (what < 0.2) delete body[pick(fields)];
    else if (what < 0.35) body[pick(['extra', '__proto__', 'constructor', 'Name'])] = pick(JUNK);
    else body[pick(fields)] = pick(JUNK);
  }
  return { method: route.method, url: path, headers, body: JSON.stringify(body) };
}

describe('fuzzing the native API', { timeout: 120_000 }, () => {
  it('1,500 malformed requests: no 5xx, every error in the native envelope, nothing written by a refused one', async () => {
    const next = random(20261125);
    const statuses = new Map<number, number>();
    for (let n = 0; n < 1500; n += 1) {
      const request = malformed(next);
      const before = await snapshot();
      const response = await fetch(`${h.url}${request.url}`, { method: request.method, headers: request.headers, body: request.body });
      const text = await response.text();
      const label = `case ${n}: ${request.method} ${request.url} ${request.body?.slice(0, 200) ?? ''} → ${response.status} ${text.slice(0, 200)}`;
      expect(response.status, label).toBeLessThan(500);
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status >= 400) {
        const body = JSON.parse(text) as { status?: unknown; code?: unknown; message?: unknown };
        expect(body.status, label).toBe('error');
        expect(typeof body.message, label).toBe('string');
        // Unmatched paths (a junk parameter that breaks the route) get the server's own 404 envelope.
        if (response.status !== 404 || body.code !== undefined) expect(typeof body.code, label).toBe('string');
        expect(await snapshot(), label).toBe(before);
      }
    }
    // The backtest API refuses what its schemas refuse with 422.
    expect((statuses.get(400) ?? 0) + (statuses.get(422) ?? 0)).toBeGreaterThan(300);
    expect(statuses.get(401) ?? 0).toBeGreaterThan(50);
    expect(statuses.get(404) ?? 0).toBeGreaterThan(100);
    // The real password still logs in: nothing above changed it.
    expect((await login(h.url, 'admin', TEST_PASSWORD)).access_token).toBeTruthy();
  });

  it('a path that is not valid URL encoding is a 400 in the envelope of the API it aimed at', async () => {
    const v1 = await fetch(`${h.url}/api/v1/%E0%A4`, { method: 'POST' });
    expect(v1.status).toBe(400);
    expect(await v1.json()).toEqual({ status: 'error', message: 'The request path is not valid URL encoding' });
    const admin = await fetch(`${h.url}/api/admin/accounts/%E0%A4`, { headers: { authorization: `Bearer ${token}` } });
    expect(admin.status).toBe(400);
    expect(await admin.json()).toEqual({ status: 'error', code: 'invalid_request', message: 'The request path is not valid URL encoding' });
  });
});
