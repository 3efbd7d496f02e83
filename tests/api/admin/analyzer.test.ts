// Analyzer mode through the native API: switched with PUT, its log listed and paged, exported as NDJSON and CSV (and
// parsed back), never reachable for another user's account, and never holding the v1 key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../src/gateway/passwords.js';
import { type Harness, type JsonAnswer, T0, login, requestJson, startGateway } from '../harness.js';

type Item = Record<string, unknown>;

let h: Harness;
let adminToken: string;
let bobToken: string;
let otherAccountKey: string;

const admin = (method: string, route: string, options: { token?: string; key?: string; body?: unknown } = { token: adminToken }) =>
  requestJson(h.url, method, `/api/admin${route}`, options);
const v1 = (route: string, body: Item = {}) => h.post(`/api/v1/${route}`, { apikey: h.key, ...body });
const order = { strategy: 'sandbox', exchange: 'NSE', symbol: 'SBIN', product: 'MIS', pricetype: 'MARKET', action: 'BUY', quantity: 10 };
/** An order body as the log keeps it: after validation filled in the schema's defaults, without its apikey. */
const logged = (body: Item) => ({ price: 0, trigger_price: 0, disclosed_quantity: 0, ...body });
const items = (answer: JsonAnswer) => {
  expect(answer.status).toBe(200);
  return answer.body.items as Item[];
};

async function download(route: string): Promise<{ status: number; type: string | null; disposition: string | null; text: string }> {
  const response = await fetch(`${h.url}/api/admin${route}`, { headers: { authorization: `Bearer ${adminToken}` } });
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    disposition: response.headers.get('content-disposition'),
    text: await response.text(),
  };
}

/** RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += c;
  }
  expect([field, row]).toEqual(['', []]);
  return rows;
}

/** Every account's analyzer log entries as the store holds them. */
async function storedLogs(): Promise<Item[]> {
  const { accounts, analyzerLogs } = h.gateway.store;
  const entries: Item[] = [];
  for (const account of await accounts.list()) {
    for await (const entry of analyzerLogs.entries(account.id)) entries.push({ ...entry });
  }
  return entries;
}

beforeAll(async () => {
  h = await startGateway();
  h.setPrice('SBIN', 'NSE', '800');
  adminToken = (await login(h.url)).access_token;
  const bob = await h.gateway.store.users.create('bob', await hashPassword('bob password'));
  await h.gateway.store.accounts.create('bobs', bob.id);
  bobToken = (await login(h.url, 'bob', 'bob password')).access_token;
  expect((await admin('POST', '/accounts', { token: adminToken, body: { name: 'other' } })).status).toBe(201);
  const issued = await admin('POST', '/accounts/other/keys', { token: adminToken, body: { scopes: ['read', 'admin'] } });
  otherAccountKey = issued.body.key as string;
});
afterAll(() => h.close());

describe('analyzer mode through /api/admin/accounts/:account/analyzer', () => {
  it('is off by default', async () => {
    expect(await admin('GET', '/accounts/default/analyzer').then((a) => [a.status, a.body])).toEqual([200, { enabled: false, total_logs: 0 }]);
  });

  it('switches on with PUT, as the v1 toggle does', async () => {
    const switched = await admin('PUT', '/accounts/default/analyzer', { token: adminToken, body: { enabled: true } });
    expect([switched.status, switched.body]).toEqual([200, { enabled: true, total_logs: 0 }]);
    expect((await v1('analyzer')).body).toMatchObject({ data: { analyze_mode: true, mode: 'analyze' } });
    // By id as well as by name.
    expect((await admin('GET', `/accounts/${h.gateway.account.id}/analyzer`)).body).toEqual({ enabled: true, total_logs: 1 });
  });

  it('refuses a body that is not a boolean switch', async () => {
    for (const body of [{ enabled: 'yes' }, {}, { enabled: true, extra: 1 }]) {
      const answer = await admin('PUT', '/accounts/default/analyzer', { token: adminToken, body });
      expect([answer.status, answer.body.code]).toEqual([400, 'invalid_request']);
    }
  });

  it("answers 404 for another user's account and for an account outside a key's own", async () => {
    expect((await admin('GET', '/accounts/bobs/analyzer')).status).toBe(404);
    expect((await admin('PUT', '/accounts/bobs/analyzer', { token: adminToken, body: { enabled: true } })).status).toBe(404);
    expect((await admin('GET', '/accounts/default/analyzer/logs', { token: bobToken })).status).toBe(404);
    expect((await admin('GET', '/accounts/default/analyzer/logs/export', { token: bobToken })).status).toBe(404);
    expect((await admin('GET', '/accounts/default/analyzer', { key: otherAccountKey })).status).toBe(404);
    expect((await admin('GET', '/accounts/other/analyzer', { key: otherAccountKey })).body).toEqual({ enabled: false, total_logs: 0 });
  });
});

describe('the analyzer log', () => {
  let placedIds: string[];
  let listed: Item[];

  beforeAll(async () => {
    const first = await v1('placeorder', order);
    const second = await v1('placeorder', { ...order, quantity: 20, strategy: 'with "quotes", commas\nand a newline' });
    expect([first.status, second.status]).toEqual([200, 200]);
    placedIds = [first.body.orderid as string, second.body.orderid as string];
    expect((await v1('placeorder', { ...order, quantity: 0 })).status).toBe(400);
  });

  it('lists each request and answer newest first, as parsed JSON', async () => {
    listed = items(await admin('GET', '/accounts/default/analyzer/logs'));
    const at = new Date(T0).toISOString();
    expect(listed.map(({ id: _id, ...rest }) => rest)).toEqual([
      {
        at,
        path: '/api/v1/placeorder',
        status: 400,
        request: logged({ ...order, quantity: 0 }),
        response: { status: 'error', message: expect.any(String), mode: 'analyze' },
      },
      {
        at,
        path: '/api/v1/placeorder',
        status: 200,
        request: logged({ ...order, quantity: 20, strategy: 'with "quotes", commas\nand a newline' }),
        response: { status: 'success', orderid: placedIds[1], mode: 'analyze' },
      },
      { at, path: '/api/v1/placeorder', status: 200, request: logged(order), response: { status: 'success', orderid: placedIds[0], mode: 'analyze' } },
      {
        at,
        path: '/api/v1/analyzer',
        status: 200,
        request: {},
        response: { status: 'success', data: { analyze_mode: true, mode: 'analyze', total_logs: 0 }, mode: 'analyze' },
      },
    ]);
    expect((await admin('GET', '/accounts/default/analyzer')).body).toEqual({ enabled: true, total_logs: 4 });
  });

  it('pages with the before cursor and filters by since', async () => {
    const ids = listed.map((item) => item.id);
    const page = await admin('GET', '/accounts/default/analyzer/logs?limit=3');
    expect(items(page).map((item) => item.id)).toEqual(ids.slice(0, 3));
    expect(page.body.next_before).toBe(ids[2]);
    const last = await admin('GET', `/accounts/default/analyzer/logs?limit=3&before=${String(page.body.next_before)}`);
    expect(items(last).map((item) => item.id)).toEqual(ids.slice(3));
    expect(last.body.next_before).toBe(null);
    const later = new Date(T0 + 1).toISOString();
    expect(items(await admin('GET', `/accounts/default/analyzer/logs?since=${later}`))).toEqual([]);
  });

  it('takes limit and before only as plain integers within their range', async () => {
    const big = `1${'0'.repeat(400)}`;
    const refusals = [
      ['limit=Infinity', 'querystring/limit must be integer'],
      ['limit=-Infinity', 'querystring/limit must be integer'],
      ['limit=1.5', 'querystring/limit must be integer'],
      ['limit=0b11', 'querystring/limit must be integer'],
      [`limit=${big}`, 'querystring/limit must be <= 1000'],
      ['before=-Infinity', 'querystring/before must be integer'],
      [`before=${big}`, 'querystring/before must be <= 9007199254740991'],
    ];
    for (const [query, message] of refusals) {
      const answer = await admin('GET', `/accounts/default/analyzer/logs?${query}`);
      expect([query, answer.status, answer.body]).toEqual([query, 400, { status: 'error', code: 'invalid_request', message }]);
    }
  });

  it('exports NDJSON by default, oldest first, as the listing has them', async () => {
    const exported = await download('/accounts/default/analyzer/logs/export');
    expect(exported.status).toBe(200);
    expect(exported.type).toBe('application/x-ndjson; charset=utf-8');
    expect(exported.disposition).toBe('attachment; filename="analyzer-log-default.ndjson"');
    expect(exported.text.endsWith('\n')).toBe(true);
    const lines = exported.text.trimEnd().split('\n').map((line) => JSON.parse(line) as Item);
    expect(lines).toEqual([...listed].reverse());
  });

  it('exports CSV with a header row and quoted fields that parse back', async () => {
    const exported = await download('/accounts/default/analyzer/logs/export?format=csv');
    expect(exported.status).toBe(200);
    expect(exported.type).toBe('text/csv; charset=utf-8');
    expect(exported.disposition).toBe('attachment; filename="analyzer-log-default.csv"');
    const [header, ...rows] = parseCsv(exported.text);
    expect(header).toEqual(['id', 'at', 'path', 'status', 'request', 'response']);
    const parsed = rows.map(([id, at, path, status, request, response]) => ({
      id: Number(id),
      at,
      path,
      status: Number(status),
      request: JSON.parse(request ?? '') as unknown,
      response: JSON.parse(response ?? '') as unknown,
    }));
    expect(parsed).toEqual([...listed].reverse());
  });

  it('never stores, lists or exports the v1 key', async () => {
    const stored = JSON.stringify(await storedLogs());
    const ndjson = (await download('/accounts/default/analyzer/logs/export')).text;
    const csv = (await download('/accounts/default/analyzer/logs/export?format=csv')).text;
    const listing = JSON.stringify((await admin('GET', '/accounts/default/analyzer/logs')).body);
    for (const text of [stored, ndjson, csv, listing]) {
      expect(text).toContain('placeorder');
      expect(text).not.toContain(h.key);
      expect(text).not.toContain('apikey');
    }
  });

  it('refuses an unknown export format', async () => {
    const answer = await admin('GET', '/accounts/default/analyzer/logs/export?format=xml');
    expect([answer.status, answer.body.code]).toEqual([400, 'invalid_request']);
  });

  it('switches off with PUT: orders go live again and the log stops growing', async () => {
    const switched = await admin('PUT', '/accounts/default/analyzer', { token: adminToken, body: { enabled: false } });
    expect(switched.body).toEqual({ enabled: false, total_logs: 4 });
    const placed = await v1('placeorder', order);
    expect(placed.body).toEqual({ status: 'success', orderid: expect.any(String) });
    expect(h.gateway.orders.orders(h.gateway.account.id).map((o) => o.id)).toEqual([placed.body.orderid]);
    expect((await admin('GET', '/accounts/default/analyzer')).body).toEqual({ enabled: false, total_logs: 4 });
  });
});
