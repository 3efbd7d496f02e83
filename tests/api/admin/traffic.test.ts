// The traffic log through HTTP: what each answered request leaves behind (and what it never does), who may see which
// rows, the per-endpoint summary with exact counts and nearest-rank percentiles, and retention.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../src/gateway/passwords.js';
import type { TrafficEntry } from '../../../src/store/store.js';
import { TRAFFIC_DATABASE_FILE } from '../../../src/store/traffic-database.js';
import { trafficEntry } from '../../store/traffic-entry.js';
import { type Harness, type JsonAnswer, T0, login, requestJson, startGateway } from '../harness.js';
import { storedRows } from '../stored-rows.js';

type Item = Record<string, unknown>;

const DAY_MS = 24 * 3600 * 1000;
const HOUR_MS = 3600 * 1000;

let h: Harness;
let adminToken: string;
let bobToken: string;
let defaultId: string;
let bootstrapKeyId: string;
let second: { id: string; key: string; keyId: string };
let defaultAdminKey: string;

const get = (route: string, credentials: { token?: string; key?: string }) => requestJson(h.url, 'GET', `/api/admin${route}`, credentials);
const post = (route: string, token: string, body: unknown) => requestJson(h.url, 'POST', `/api/admin${route}`, { token, body });
const v1 = (key: string, route: string, body: Item = {}) => h.post(`/api/v1/${route}`, { apikey: key, ...body });
const items = (answer: JsonAnswer) => {
  expect(answer.status).toBe(200);
  return answer.body.items as Item[];
};
/** An item without what varies between runs (its id and measured duration). */
const stable = ({ id: _id, duration_ms: _duration, ...rest }: Item) => rest;
/** Every row of the traffic log, as stored: those of no account and no user too, which no listing shows. */
const storedTraffic = () => storedRows(h, 'SELECT * FROM traffic_log', TRAFFIC_DATABASE_FILE);
/** Writes what the gateway has recorded so far (the writer thread commits it). */
const flush = () => h.gateway.traffic.settle();
const order = { strategy: 'traffic', exchange: 'NSE', symbol: 'SBIN', product: 'MIS', pricetype: 'MARKET', action: 'BUY', quantity: 1 };
const at = new Date(T0).toISOString();

async function issueKey(account: string, scopes: string[]): Promise<{ key: string; id: string }> {
  const issued = await post(`/accounts/${account}/keys`, adminToken, { scopes });
  expect(issued.status).toBe(201);
  return { key: issued.body.key as string, id: issued.body.id as string };
}

beforeAll(async () => {
  h = await startGateway();
  h.setPrice('SBIN', 'NSE', '800');
  defaultId = h.gateway.account.id;
  bootstrapKeyId = (await h.gateway.store.apiKeys.listByAccount(defaultId))[0]?.id ?? '';
  adminToken = (await login(h.url)).access_token;
  const created = await post('/accounts', adminToken, { name: 'second' });
  expect(created.status).toBe(201);
  const secondKey = await issueKey('second', ['read', 'trade', 'admin']);
  second = { id: created.body.id as string, key: secondKey.key, keyId: secondKey.id };
  defaultAdminKey = (await issueKey('default', ['read', 'admin'])).key;
  const bob = await h.gateway.store.users.create('bob', await hashPassword('bob password'));
  await h.gateway.store.accounts.create('bobs', bob.id);
  bobToken = (await login(h.url, 'bob', 'bob password')).access_token;
});
afterAll(() => h.close());

describe('GET /api/admin/traffic', () => {
  it('records each request with its key, account, IP, method, path, route and status, newest first', async () => {
    expect((await v1(h.key, 'funds')).status).toBe(200);
    // Refused by schema validation, before authentication: still attributed to the key's account.
    expect((await v1(h.key, 'placeorder', { ...order, quantity: 'many' })).status).toBe(400);
    expect((await fetch(`${h.url}/api/v1/nope?apikey=${h.key}&note=secret`)).status).toBe(404);
    for (const route of ['/health', '/ready', '/metrics', '/docs', '/docs/json']) await (await fetch(`${h.url}${route}`)).arrayBuffer();
    expect((await v1(second.key, 'funds')).status).toBe(200);
    await flush();

    const listed = items(await get('/traffic', { key: defaultAdminKey }));
    const who = { key_id: bootstrapKeyId, account_id: defaultId, user_id: null, ip: '127.0.0.1', at };
    expect(listed.map(stable)).toEqual([
      { ...who, method: 'GET', path: '/api/v1/nope', route: null, status: 404 },
      { ...who, method: 'POST', path: '/api/v1/placeorder', route: '/api/v1/placeorder', status: 400 },
      { ...who, method: 'POST', path: '/api/v1/funds', route: '/api/v1/funds', status: 200 },
    ]);
    for (const item of listed) expect(item.duration_ms).toEqual(expect.any(Number));
  });

  it('never keeps a query string, a key or a body, nor the operational endpoints', async () => {
    await flush();
    const rows = await storedTraffic();
    const stored = JSON.stringify(rows);
    for (const secret of [h.key, second.key, defaultAdminKey, '?', 'secret', 'many']) expect(stored).not.toContain(secret);
    const paths = new Set(rows.map((row) => row.path));
    for (const path of ['/health', '/ready', '/metrics', '/docs', '/docs/json']) expect(paths.has(path)).toBe(false);
  });

  it("shows an admin key only its own account's rows", async () => {
    const listed = items(await get('/traffic', { key: second.key }));
    expect(listed.map(stable)).toEqual([
      { key_id: second.keyId, account_id: second.id, user_id: null, ip: '127.0.0.1', at, method: 'POST', path: '/api/v1/funds', route: '/api/v1/funds', status: 200 },
    ]);
    expect((await get('/traffic?account=default', { key: second.key })).status).toBe(404);
  });

  it("shows a logged-in user every account's rows and their own admin calls", async () => {
    await flush();
    const listed = items(await get('/traffic', { token: adminToken }));
    expect(new Set(listed.map((item) => item.account_id))).toEqual(new Set([defaultId, second.id, null]));
    const created = items(await get('/traffic?path=/api/admin/accounts', { token: adminToken }));
    expect(created.map(stable)).toEqual([
      { key_id: null, account_id: null, user_id: h.gateway.account.userId, ip: '127.0.0.1', at, method: 'POST', path: '/api/admin/accounts', route: '/api/admin/accounts', status: 201 },
    ]);
    const filtered = items(await get('/traffic?account=second&status_class=2xx', { token: adminToken }));
    expect(filtered.map((item) => [item.path, item.account_id])).toEqual([
      ['/api/admin/traffic', second.id],
      ['/api/v1/funds', second.id],
    ]);
  });

  it("shows another user none of the admin's rows", async () => {
    expect(items(await get('/traffic', { token: bobToken }))).toEqual([]);
    await flush();
    const bobId = (await h.gateway.store.users.findByUsername('bob'))?.id;
    expect(items(await get('/traffic', { token: bobToken })).map(stable)).toEqual([
      { key_id: null, account_id: null, user_id: bobId, ip: '127.0.0.1', at, method: 'GET', path: '/api/admin/traffic', route: '/api/admin/traffic', status: 200 },
    ]);
    expect((await get('/traffic?account=default', { token: bobToken })).status).toBe(404);
    await flush();
    expect((await get('/traffic/summary', { token: bobToken })).body).toMatchObject({ requests: 3, errors: 1 });
  });

  it('pages newest first with the before cursor, and filters by exact status', async () => {
    await flush();
    const ids = (answer: JsonAnswer) => items(answer).map((item) => item.id as number);
    const all = ids(await get('/traffic?limit=1000', { token: adminToken }));
    expect(all.length).toBeGreaterThan(4);
    expect([...all].sort((x, y) => y - x)).toEqual(all);
    const page = await get(`/traffic?limit=2&before=${all[1]}`, { token: adminToken });
    expect(ids(page)).toEqual([all[2], all[3]]);
    expect(page.body.next_before).toBe(all[3]);
    const rest = await get(`/traffic?limit=1000&before=${all[1]}`, { token: adminToken });
    expect(ids(rest)).toEqual(all.slice(2));
    expect(rest.body.next_before).toBe(null);

    const notFound = items(await get('/traffic?status=404', { token: adminToken }));
    expect(notFound.map((item) => [item.path, item.account_id])).toEqual([
      ['/api/admin/traffic', second.id],
      ['/api/v1/nope', defaultId],
    ]);
  });

  it('refuses bad filters', async () => {
    const refused = [
      '/traffic?limit=1001',
      '/traffic?status_class=6xx',
      '/traffic?since=yesterday',
      `/traffic?since=${at}&until=${at}`,
      '/traffic?apikey=x',
    ];
    for (const route of refused) {
      const answer = await get(route, { token: adminToken });
      expect([route, answer.status, answer.body.code]).toEqual([route, 400, 'invalid_request']);
    }
    expect((await requestJson(h.url, 'GET', '/api/admin/traffic')).status).toBe(401);
  });

  it('takes integer parameters only as plain integers within their range', async () => {
    const big = `1${'0'.repeat(400)}`;
    const refusals = [
      ['limit=Infinity', 'querystring/limit must be integer'],
      ['limit=-Infinity', 'querystring/limit must be integer'],
      ['limit=1.5', 'querystring/limit must be integer'],
      ['limit=0x10', 'querystring/limit must be integer'],
      ['limit=1e2', 'querystring/limit must be integer'],
      ['limit=%205', 'querystring/limit must be integer'],
      ['limit=', 'querystring/limit must be integer'],
      [`limit=${big}`, 'querystring/limit must be <= 1000'],
      [`limit=-${big}`, 'querystring/limit must be >= 1'],
      ['status=Infinity', 'querystring/status must be integer'],
      ['status=NaN', 'querystring/status must be integer'],
      ['before=-Infinity', 'querystring/before must be integer'],
      ['before=Infinity', 'querystring/before must be integer'],
      [`before=${big}`, 'querystring/before must be <= 9007199254740991'],
    ];
    for (const [query, message] of refusals) {
      const answer = await get(`/traffic?${query}`, { token: adminToken });
      expect([query, answer.status, answer.body]).toEqual([query, 400, { status: 'error', code: 'invalid_request', message }]);
    }
    const accepted = await get('/traffic?limit=%2B2&status=0200', { token: adminToken });
    expect(items(accepted).length).toBe(2);
    expect(items(accepted).map((item) => item.status)).toEqual([200, 200]);
  });
});

describe('GET /api/admin/traffic/summary', () => {
  it("counts an account's requests and errors per endpoint, exactly", async () => {
    expect((await post('/accounts', adminToken, { name: 'third' })).status).toBe(201);
    const key = (await issueKey('third', ['read', 'trade'])).key;
    for (let i = 0; i < 3; i += 1) expect((await v1(key, 'funds')).status).toBe(200);
    expect((await v1(key, 'orderstatus', { orderid: 'nope', strategy: 'traffic' })).status).toBe(404);
    expect((await v1(key, 'placeorder', { ...order, quantity: 'many' })).status).toBe(400);
    await flush();

    const summary = await get('/traffic/summary?account=third', { token: adminToken });
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({
      since: new Date(T0 - DAY_MS).toISOString(),
      until: null,
      requests: 5,
      errors: 2,
      server_errors: 0,
      error_rate: 0.4,
    });
    const counts = (summary.body.endpoints as Item[]).map(({ method, route, requests, errors, server_errors, error_rate }) => ({
      method,
      route,
      requests,
      errors,
      server_errors,
      error_rate,
    }));
    expect(counts).toEqual([
      { method: 'POST', route: '/api/v1/funds', requests: 3, errors: 0, server_errors: 0, error_rate: 0 },
      { method: 'POST', route: '/api/v1/orderstatus', requests: 1, errors: 1, server_errors: 0, error_rate: 1 },
      { method: 'POST', route: '/api/v1/placeorder', requests: 1, errors: 1, server_errors: 0, error_rate: 1 },
    ]);
  });

  it('gives nearest-rank percentiles and server errors over the window', async () => {
    const account = await h.gateway.store.accounts.create('percentiles', h.gateway.account.userId);
    const row = (overrides: Partial<TrafficEntry>): TrafficEntry => ({
      at: T0 - HOUR_MS,
      keyId: null,
      accountId: account.id,
      userId: null,
      ip: '10.0.0.1',
      method: 'POST',
      path: '/api/v1/placeorder',
      route: '/api/v1/placeorder',
      status: 200,
      durationUs: 0,
      ...overrides,
    });
    const durationsMs = [5, 1, 9, 3, 7, 2, 8, 4, 10, 6];
    const statuses = [200, 500, 200, 404, 503, 200, 400, 200, 200, 500];
    await h.gateway.store.traffic.appendMany([
      ...durationsMs.map((ms, i) => row({ durationUs: ms * 1000, status: statuses[i] ?? 200 })),
      ...[300, 100, 250].map((us) => row({ method: 'GET', path: '/api/v1/ping', route: '/api/v1/ping', durationUs: us })),
      // Outside the default window (the last 24 hours).
      row({ at: T0 - 25 * HOUR_MS, durationUs: 99_000_000, status: 500 }),
    ]);

    const summary = await get('/traffic/summary?account=percentiles', { token: adminToken });
    expect(summary.body).toEqual({
      since: new Date(T0 - DAY_MS).toISOString(),
      until: null,
      requests: 13,
      errors: 5,
      server_errors: 3,
      error_rate: 5 / 13,
      endpoints: [
        { method: 'POST', route: '/api/v1/placeorder', requests: 10, errors: 5, server_errors: 3, error_rate: 0.5, p50_ms: 5, p90_ms: 9, p99_ms: 10 },
        { method: 'GET', route: '/api/v1/ping', requests: 3, errors: 0, server_errors: 0, error_rate: 0, p50_ms: 0.25, p90_ms: 0.3, p99_ms: 0.3 },
      ],
    });

    const since = new Date(T0 - 26 * HOUR_MS).toISOString();
    const until = new Date(T0 - 24 * HOUR_MS).toISOString();
    const earlier = await get(`/traffic/summary?account=percentiles&since=${since}&until=${until}`, { token: adminToken });
    expect(earlier.body).toMatchObject({ since, until, requests: 1, errors: 1, server_errors: 1, error_rate: 1 });
    expect(earlier.body.endpoints).toEqual([
      { method: 'POST', route: '/api/v1/placeorder', requests: 1, errors: 1, server_errors: 1, error_rate: 1, p50_ms: 99_000, p90_ms: 99_000, p99_ms: 99_000 },
    ]);
  });
});

describe('retention', () => {
  it('purges entries older than ORDERGATE_TRAFFIC_RETENTION_DAYS at start and on each purge', async () => {
    const first = await startGateway({ env: { ORDERGATE_TRAFFIC_RETENTION_DAYS: '7' } });
    const accountId = first.gateway.account.id;
    const row = (atMs: number): TrafficEntry => trafficEntry({ at: atMs, keyId: null, accountId, durationUs: 1 });
    await first.gateway.store.traffic.appendMany([row(T0 - 8 * DAY_MS), row(T0 - 6 * DAY_MS)]);
    await first.stop();

    const g = await startGateway({ dataDir: first.dataDir, env: { ORDERGATE_TRAFFIC_RETENTION_DAYS: '7' } });
    try {
      const listAts = async () => {
        const token = (await login(g.url)).access_token;
        const answer = await requestJson(g.url, 'GET', '/api/admin/traffic?account=default&path=/api/v1/funds', { token });
        return items(answer).map((item) => item.at);
      };
      expect(await listAts()).toEqual([new Date(T0 - 6 * DAY_MS).toISOString()]);

      expect((await g.post('/api/v1/funds', { apikey: g.key })).status).toBe(200);
      await g.gateway.traffic.settle();
      g.clock.advance(DAY_MS + 1);
      expect(await g.gateway.traffic.purge()).toBe(1);
      expect(await listAts()).toEqual([new Date(T0).toISOString()]);
    } finally {
      await g.close();
    }
  });
});
