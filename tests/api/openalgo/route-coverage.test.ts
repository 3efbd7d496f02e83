// Every route OpenAlgo registers under /api/v1 (restx_api/__init__.py's namespaces × each file's routes and methods),
// requested once with a valid key and a minimal body: each is served, answering JSON in OpenAlgo's envelope.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, requestJson, startGateway } from '../harness.js';

let h: Harness;
/** A resting order, for the routes that name one (modify, cancel and status come in that order below). */
let orderid = '';
beforeAll(async () => {
  h = await startGateway();
  h.setPrice('SBIN', 'NSE', '800');
  const placed = await h.post('/api/v1/placeorder', { apikey: h.key, ...ORDER, pricetype: 'LIMIT', price: 700 });
  orderid = placed.body.orderid as string;
});
afterAll(() => h.close());

type Method = 'GET' | 'POST';
/** A route, and the fields of a minimal request beside the key (the query of a GET); `ORDER_ID` stands for `orderid`. */
type Route = [Method, string, Record<string, unknown>?];
const ORDER_ID = Symbol('the resting order');

const SBIN = { symbol: 'SBIN', exchange: 'NSE' };
const ORDER = { ...SBIN, strategy: 'cover', action: 'BUY', quantity: 1, pricetype: 'MARKET', product: 'MIS' };
const OPTION = { underlying: 'NIFTY', exchange: 'NSE_INDEX', expiry_date: '29DEC26', offset: 'ATM', option_type: 'CE' };

/** In OpenAlgo's order of registration. */
const OPENALGO_ROUTES: readonly Route[] = [
  ['POST', '/placeorder', ORDER],
  ['POST', '/placesmartorder', { ...ORDER, position_size: 1 }],
  ['POST', '/modifyorder', { ...ORDER, orderid: ORDER_ID, pricetype: 'LIMIT', price: 701, disclosed_quantity: 0, trigger_price: 0 }],
  ['POST', '/cancelorder', { strategy: 'cover', orderid: ORDER_ID }],
  ['POST', '/closeposition', { strategy: 'cover' }],
  ['POST', '/cancelallorder', { strategy: 'cover' }],
  ['POST', '/quotes', SBIN],
  ['POST', '/multiquotes', { symbols: [SBIN] }],
  ['POST', '/history', { ...SBIN, interval: 'D', start_date: '2026-11-24', end_date: '2026-11-25' }],
  ['GET', '/portfolio/benchmarks'],
  ['POST', '/portfolio/backtest'],
  ['POST', '/portfolio/tearsheet'],
  ['POST', '/portfolio/holdings'],
  ['GET', '/sip/frequencies'],
  ['POST', '/sip/backtest'],
  ['POST', '/depth', SBIN],
  ['POST', '/optionchain', { underlying: 'NIFTY', exchange: 'NSE_INDEX', expiry_date: '29DEC26', strike_count: 2 }],
  ['POST', '/intervals'],
  ['POST', '/funds'],
  ['POST', '/orderbook'],
  ['POST', '/tradebook'],
  ['POST', '/positionbook'],
  ['POST', '/holdings'],
  ['POST', '/basketorder', { strategy: 'cover', orders: [ORDER] }],
  ['POST', '/splitorder', { ...ORDER, quantity: 2, splitsize: 1 }],
  ['POST', '/orderstatus', { strategy: 'cover', orderid: ORDER_ID }],
  ['POST', '/openposition', { ...SBIN, strategy: 'cover', product: 'MIS' }],
  ['GET', '/ticker/NSE:SBIN', { interval: 'D', from: '2026-11-24', to: '2026-11-25' }],
  ['POST', '/symbol', SBIN],
  ['POST', '/search', { query: 'SBIN' }],
  ['POST', '/expiry', { symbol: 'NIFTY', exchange: 'NFO', instrumenttype: 'options' }],
  ['POST', '/optionsymbol', OPTION],
  ['POST', '/optionsorder', { ...OPTION, strategy: 'cover', action: 'BUY', quantity: 75, pricetype: 'MARKET', product: 'NRML' }],
  ['POST', '/optionsmultiorder', { underlying: 'NIFTY', exchange: 'NSE_INDEX', expiry_date: '29DEC26', strategy: 'cover', legs: [] }],
  ['POST', '/optiongreeks', { symbol: 'NIFTY29DEC2626000CE', exchange: 'NFO' }],
  ['POST', '/multioptiongreeks', { symbols: [{ symbol: 'NIFTY29DEC2626000CE', exchange: 'NFO' }] }],
  ['POST', '/syntheticfuture', { underlying: 'NIFTY', exchange: 'NSE_INDEX', expiry_date: '29DEC26' }],
  ['POST', '/analyzer'],
  ['POST', '/analyzer/toggle', { mode: false }],
  ['POST', '/ping'],
  ['GET', '/telegram/config'],
  ['POST', '/telegram/config'],
  ['POST', '/telegram/start'],
  ['POST', '/telegram/stop'],
  ['POST', '/telegram/webhook'],
  ['GET', '/telegram/users'],
  ['POST', '/telegram/broadcast', { message: 'hello' }],
  ['POST', '/telegram/notify', { username: 'admin', message: 'hello' }],
  ['GET', '/telegram/stats'],
  ['GET', '/telegram/preferences'],
  ['POST', '/telegram/preferences', { telegram_id: 1 }],
  ['POST', '/whatsapp/notify', { self: true, message: 'hello' }],
  ['POST', '/margin', { positions: [{ ...SBIN, action: 'BUY', quantity: 1, product: 'MIS', pricetype: 'MARKET' }] }],
  ['GET', '/instruments', { exchange: 'NSE_INDEX' }],
  ['GET', '/chart'],
  ['POST', '/chart', { tv_theme: 'dark' }],
  ['POST', '/market/holidays', { year: 2026 }],
  ['POST', '/market/timings', { date: '2026-11-25' }],
  ['POST', '/pnl/symbols'],
  ['POST', '/placegttorder', { ...SBIN, strategy: 'cover', action: 'BUY', quantity: 1, product: 'CNC', trigger_type: 'single', trigger_price: 700, price: 700 }],
  ['POST', '/modifygttorder', { trigger_id: '0', ...SBIN, action: 'BUY', quantity: 1, product: 'CNC', trigger_type: 'single', trigger_price: 700, price: 700 }],
  ['POST', '/cancelgttorder', { trigger_id: '0' }],
  ['POST', '/gttorderbook'],
];

async function request([method, path, given = {}]: Route) {
  const fields = Object.fromEntries(Object.entries(given).map(([key, value]) => [key, value === ORDER_ID ? orderid : value]));
  if (method === 'POST') return requestJson(h.url, 'POST', `/api/v1${path}`, { body: { apikey: h.key, ...fields } });
  const query = new URLSearchParams({ apikey: h.key, ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)])) });
  return requestJson(h.url, 'GET', `/api/v1${path}?${query}`);
}

describe("OpenAlgo's /api/v1 routes", () => {
  it('are listed once each', () => {
    const keys = OPENALGO_ROUTES.map(([method, path]) => `${method} ${path}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(63);
  });

  it.each(OPENALGO_ROUTES.map((route) => [`${route[0]} ${route[1]}`, route] as const))(
    '%s is served and answers JSON in the envelope',
    async (_name, route) => {
      const { status, headers, body } = await request(route);
      expect(status, JSON.stringify(body)).not.toBe(404);
      expect(status, JSON.stringify(body)).not.toBe(500);
      expect(headers.get('content-type')).toMatch(/^application\/json/);
      expect(['success', 'error']).toContain(body.status);
      if (body.status === 'error') expect(body.message).toBeDefined();
    },
  );
});

describe('the OpenAPI document', () => {
  type Operation = { summary?: string; requestBody?: { content: Record<string, { schema?: unknown }> }; parameters?: unknown[]; responses: Record<string, { content?: Record<string, { schema?: unknown }> }> };
  let paths: Record<string, Record<string, Operation>>;
  beforeAll(async () => {
    paths = ((await requestJson(h.url, 'GET', '/api/openapi.json')).body as { paths: typeof paths }).paths;
  });

  it.each(OPENALGO_ROUTES.map((route) => [`${route[0]} ${route[1]}`, route] as const))(
    '%s is documented with its request and answer schemas',
    (_name, [method, path]) => {
      const documented = `/api/v1${path.replace('/ticker/NSE:SBIN', '/ticker/{symbol}')}`;
      const operation = paths[documented]?.[method.toLowerCase()];
      expect(operation, documented).toBeDefined();
      expect(operation?.summary).toBeTruthy();
      if (method === 'POST') expect(operation?.requestBody?.content['application/json']?.schema).toBeDefined();
      else expect(operation?.parameters?.length).toBeGreaterThan(0);
      const answer = operation?.responses['200'] ?? operation?.responses['501'];
      expect(answer?.content?.['application/json']?.schema, `${documented}: its answer`).toBeDefined();
    },
  );
});
