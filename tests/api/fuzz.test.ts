// Thousands of malformed requests across every v1 endpoint, from a seeded generator: wrong types, huge and non-finite
// numbers, NaN strings, nested junk, unicode, missing and unknown fields, broken JSON, oversized bodies. Every answer
// must be a 4xx (never a 5xx) in the dialect's envelope, and no refused request may change the books (an order the
// exchange refuses for funds is recorded as `rejected`, by design: that is the only event a 4xx may write).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { JournaledEvent } from '../../src/domain/events.js';
import { JUNK, random } from './fuzz-input.js';
import { type Harness, login, startGateway } from './harness.js';

const ORDER = { strategy: 'fuzz', exchange: 'NSE', symbol: 'SBIN', action: 'BUY', quantity: '1', pricetype: 'MARKET', product: 'MIS', price: '0', trigger_price: '0', disclosed_quantity: '0' };
const BASES: Record<string, Record<string, unknown>> = {
  placeorder: ORDER,
  placesmartorder: { ...ORDER, position_size: '1' },
  splitorder: { ...ORDER, quantity: '10', splitsize: '5' },
  basketorder: { strategy: 'fuzz', orders: [{ exchange: 'NSE', symbol: 'SBIN', action: 'BUY', quantity: '1', pricetype: 'MARKET', product: 'MIS' }] },
  modifyorder: { ...ORDER, orderid: '1', pricetype: 'LIMIT', price: '800' },
  cancelorder: { orderid: '1' },
  cancelallorder: { strategy: 'fuzz' },
  closeposition: { strategy: 'fuzz' },
  orderstatus: { orderid: '1', strategy: 'fuzz' },
  openposition: { strategy: 'fuzz', symbol: 'SBIN', exchange: 'NSE', product: 'MIS' },
  orderbook: {},
  tradebook: {},
  positionbook: {},
  holdings: {},
  funds: {},
  ping: {},
  quotes: { symbol: 'SBIN', exchange: 'NSE' },
  multiquotes: { symbols: [{ symbol: 'SBIN', exchange: 'NSE' }] },
  depth: { symbol: 'SBIN', exchange: 'NSE' },
  history: { symbol: 'SBIN', exchange: 'NSE', interval: 'D', start_date: '2026-11-20', end_date: '2026-11-24' },
  intervals: {},
  symbol: { symbol: 'SBIN', exchange: 'NSE' },
  search: { query: 'SBIN' },
  expiry: { symbol: 'NIFTY', exchange: 'NFO', instrumenttype: 'options' },
  optionsymbol: { underlying: 'NIFTY', exchange: 'NSE_INDEX', expiry_date: '01DEC26', offset: 'ATM', option_type: 'CE' },
  optionchain: { underlying: 'NIFTY', exchange: 'NSE_INDEX', expiry_date: '01DEC26', strike_count: 2 },
  syntheticfuture: { underlying: 'NIFTY', exchange: 'NSE_INDEX', expiry_date: '01DEC26' },
  optiongreeks: { symbol: 'NIFTY01DEC2626000CE', exchange: 'NFO', interest_rate: '6.5' },
  multioptiongreeks: { symbols: [{ symbol: 'NIFTY01DEC2626000CE', exchange: 'NFO' }] },
  optionsorder: { strategy: 'fuzz', underlying: 'NIFTY', exchange: 'NSE_INDEX', expiry_date: '01DEC26', offset: 'ATM', option_type: 'CE', action: 'BUY', quantity: '65', pricetype: 'MARKET', product: 'MIS' },
  optionsmultiorder: { strategy: 'fuzz', underlying: 'NIFTY', exchange: 'NSE_INDEX', expiry_date: '01DEC26', legs: [{ offset: 'ATM', option_type: 'CE', action: 'BUY', quantity: '65' }] },
  placegttorder: { strategy: 'fuzz', trigger_type: 'SINGLE', exchange: 'NSE', symbol: 'SBIN', action: 'BUY', product: 'CNC', quantity: '1', price: '700', triggerprice_sl: '700' },
  modifygttorder: { strategy: 'fuzz', trigger_id: 'GTT-1', trigger_type: 'SINGLE', exchange: 'NSE', symbol: 'SBIN', action: 'BUY', product: 'CNC', quantity: '1', price: '700', triggerprice_sl: '700' },
  cancelgttorder: { strategy: 'fuzz', trigger_id: 'GTT-1' },
  gttorderbook: {},
  margin: { positions: [{ symbol: 'SBIN', exchange: 'NSE', action: 'BUY', quantity: '1', product: 'MIS', pricetype: 'MARKET' }] },
  'market/holidays': { year: 2026 },
  'market/timings': { date: '2026-11-25' },
  'pnl/symbols': {},
  chart: { tv_theme: 'dark' },
};

/** Numeric fields of the order endpoints, and values OpenAlgo's validator never reads as a number. */
const NUMERIC_FIELDS = ['quantity', 'price', 'trigger_price', 'disclosed_quantity', 'position_size', 'splitsize'];
const NEVER_NUMBERS = new Set<unknown>(['0x10', '0o17', '0b11', '0X1F', '-0x10', true, false, 'inf', '-inf', 'infinity', 'NaN', 'nan', 'Infinity', '-Infinity', '1e309']);

/** Whether a JSON body holds a value in a numeric field that must make the request a 400. */
function holdsNonNumber(body: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return false;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return false;
  const fields = parsed as Record<string, unknown>;
  return NUMERIC_FIELDS.some((field) => Object.hasOwn(fields, field) && NEVER_NUMBERS.has(fields[field]));
}

/** Routes whose numeric fields are order sizes and prices. */
const ORDER_ROUTES = { placeorder: 1, placesmartorder: 1, splitorder: 1, modifyorder: 1 };

interface Case {
  route: string;
  body: string;
  contentType: string;
}

// One malformed request: junk in 1–3 fields (or a field removed, or an unknown one added, or the apikey wrong), or a
// broken or non-object body.
function malformed(next: () => number, key: string): Case {
  const routes = Object.keys(BASES);
  const route = routes[Math.floor(next() * routes.length)] as string;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const body: Record<string, unknown> = { apikey: key, ...structuredClone(BASES[route]) };
  const kind = next();
  if (kind < 0.04) return { route, body: pick(['', '{', '{"apikey":', 'null', '[]', '"text"', '{"a":1}}', '\u0000']), contentType: 'application/json' };
  if (kind < 0.06) return { route, body: JSON.stringify(body), contentType: pick(['text/plain', 'application/xml', 'multipart/form-data']) };
  if (kind < 0.08) return { route, body: JSON.stringify([body]), contentType: 'application/json' };
  if (kind < 0.1) body.apikey = pick(JUNK);
  const fields = Object.keys(body).filter((field) => field !== 'apikey');
  const changes = 1 + Math.floor(next() * 3);
  for (let n = 0; n < changes; n += 1) {
    const what = next();
    if (fields.length > 0 && what < 0.15) delete body[pick(fields)];
    else if (what < 0.25) body[pick(['extra', 'quantity ', 'Symbol', '__proto__', 'constructor'])] = pick(JUNK);
    else if (fields.length > 0) body[pick(fields)] = pick(JUNK);
  }
  // A change may leave the body valid (junk in a free-text field): make sure one required field is broken.
  if (fields.length > 0 && next() < 0.5) body[pick(fields)] = pick([null, [], {}, '😀', 'NaN', -1, '1e309']);
  return { route, body: JSON.stringify(body), contentType: 'application/json' };
}

let h: Harness;
const written: JournaledEvent[] = [];

beforeAll(async () => {
  h = await startGateway();
  await h.post('/api/v1/funds', { apikey: h.key }); // funds the account (its one event) before counting
  h.gateway.exchange.onEvents((events) => written.push(...events));
});
afterAll(() => h.close());

async function send({ route, body, contentType }: Case) {
  const response = await fetch(`${h.url}/api/v1/${route}`, { method: 'POST', headers: { 'content-type': contentType }, body });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text };
}

function expectEnvelope(reply: { status: number; json: unknown; text: string }, label: string): void {
  expect(reply.status, label).toBeLessThan(500);
  const body = reply.json as { status?: unknown; message?: unknown } | undefined;
  expect(body, `${label}: not JSON: ${reply.text.slice(0, 200)}`).toBeTypeOf('object');
  expect(['success', 'error'], label).toContain(body?.status);
  if (body?.status === 'error') {
    expect(reply.status, label).toBeGreaterThanOrEqual(400);
    expect(['string', 'object'], label).toContain(typeof body.message);
    expect(body.message, label).not.toBeNull();
  }
}

describe('fuzzing every v1 endpoint', { timeout: 120_000 }, () => {
  it('3,000 malformed requests: no 5xx, every answer an envelope, nothing written by a refused one', async () => {
    const next = random(20261124);
    const statuses = new Map<number, number>();
    for (let n = 0; n < 3000; n += 1) {
      const request = malformed(next, h.key);
      const before = written.length;
      const reply = await send(request);
      const label = `case ${n}: POST /api/v1/${request.route} ${request.body.slice(0, 300)} → ${reply.status} ${reply.text.slice(0, 300)}`;
      expectEnvelope(reply, label);
      if (request.route in ORDER_ROUTES && holdsNonNumber(request.body)) expect(reply.status, label).toBe(400);
      statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
      if (reply.status >= 400) {
        expect(written.slice(before).filter((event) => event.type !== 'order.rejected'), label).toEqual([]);
      }
    }
    // Most requests are refused; the rest (junk in a free-text field only) may succeed.
    expect(statuses.get(400) ?? 0).toBeGreaterThan(1500);
  });

  it('oversized, deeply nested and huge-array bodies are refused with an envelope', async () => {
    const huge = { apikey: h.key, ...ORDER, strategy: 'x'.repeat(3 * 1024 * 1024) };
    const depth = 10_000;
    const nested = `{"apikey":"${h.key}","symbol":"SBIN","strategy":${'{"a":['.repeat(depth)}"x"${']}'.repeat(depth)}}`;
    const legs = { apikey: h.key, strategy: 'fuzz', orders: Array.from({ length: 20_000 }, () => BASES.basketorder?.orders) };
    const before = written.length;
    const bodies = [['placeorder', JSON.stringify(huge)], ['placeorder', nested], ['basketorder', JSON.stringify(legs)]] as const;
    for (const [route, body] of bodies) {
      const reply = await send({ route, body, contentType: 'application/json' });
      expectEnvelope(reply, `${route} ${reply.status} ${reply.text.slice(0, 200)}`);
      expect(reply.status).toBeGreaterThanOrEqual(400);
    }
    expect(written.length).toBe(before);
  });
});

/** Query values no parameter should take whole: infinities, radix literals, huge and fractional numbers, junk. */
const QUERY_JUNK = [
  'Infinity', '-Infinity', `1${'0'.repeat(400)}`, '1e400', 'NaN', '0x10', '0o17', '0b11', '1e3', '1.5', '-1', '0', '',
  ' 5', '+5', 'true', '%00', '%E0%A4', '١٢٣', '9'.repeat(400), '2026-13-01', 'D', '1m', 'csv', 'NSE_INDEX', '[]', '{}',
];

describe('fuzzing query strings', { timeout: 120_000 }, () => {
  it('GET routes of both APIs with junk, repeated and percent-encoded parameters: no 5xx, an envelope on every error', async () => {
    const { access_token: token } = await login(h.url);
    const account = h.gateway.account.id;
    const routes: Array<{ path: string; native: boolean; names: string[] }> = [
      { path: '/api/admin/traffic', native: true, names: ['limit', 'before', 'status', 'since', 'until', 'path', 'method'] },
      { path: '/api/admin/traffic/summary', native: true, names: ['since', 'until', 'status'] },
      { path: `/api/admin/accounts/${account}/analyzer/logs`, native: true, names: ['limit', 'before', 'since', 'until'] },
      { path: `/api/admin/accounts/${account}/analyzer/logs/export`, native: true, names: ['since', 'until', 'format'] },
      { path: '/api/admin/latency', native: true, names: ['window', 'route', 'since'] },
      { path: '/api/v1/instruments', native: false, names: ['apikey', 'exchange', 'format'] },
      { path: '/api/v1/ticker/NSE:SBIN', native: false, names: ['apikey', 'interval', 'from', 'to', 'format'] },
    ];
    const next = random(20261207);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
    // A name as a client may write it: plain, with one letter percent-encoded, or upper-cased.
    const spelled = (name: string) => {
      const form = next();
      if (form < 0.6) return name;
      if (form < 0.85) return `%${name.charCodeAt(0).toString(16)}${name.slice(1)}`;
      return name.toUpperCase();
    };
    for (let n = 0; n < 700; n += 1) {
      const route = pick(routes);
      const pairs = [...(route.native ? [] : [`apikey=${h.key}`])];
      for (let k = 1 + Math.floor(next() * 3); k > 0; k -= 1) {
        const name = pick(route.names);
        const value = name === 'apikey' && next() < 0.5 ? h.key : pick(QUERY_JUNK);
        pairs.push(`${spelled(name)}=${encodeURI(value)}`);
      }
      const url = `${h.url}${route.path}?${pairs.join('&')}`;
      const response = await fetch(url, { headers: route.native ? { authorization: `Bearer ${token}` } : {} });
      const text = await response.text();
      const label = `case ${n}: GET ${url.slice(h.url.length, 400)} → ${response.status} ${text.slice(0, 300)}`;
      expect(response.status, label).toBeLessThan(500);
      if (response.status < 400) continue;
      const body = JSON.parse(text) as { status?: unknown; message?: unknown; code?: unknown };
      expect(body.status, label).toBe('error');
      // v1 data endpoints give validation failures as an object of fields, as OpenAlgo's do.
      expect(route.native ? ['string'] : ['string', 'object'], label).toContain(typeof body.message);
      expect(body.message, label).not.toBeNull();
      if (route.native) expect(typeof body.code, label).toBe('string');
    }
  });
});

const WS_ACTIONS = ['authenticate', 'subscribe', 'unsubscribe', 'unsubscribe_all', 'subscribe_orders', 'ping', 'get_supported_brokers', 'nonsense'];
const WS_FIELDS = ['action', 'type', 'symbols', 'symbol', 'exchange', 'mode', 'depth', 'api_key', 'apikey', 'request_id'];

/** Symbol lists at the edges of their shape. */
const SYMBOL_LISTS: unknown[] = [[], [{}], [null], {}, 'SBIN', [[]], [{ symbol: 'SBIN' }], [{ exchange: 'NSE' }], Array(1001).fill({ symbol: 'SBIN', exchange: 'NSE' })];

/** A WebSocket message: a valid-looking object with junk in 1–3 fields, or a frame that is no object at all. */
function wsMessage(next: () => number, n: number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const kind = next();
  if (kind < 0.08) return pick(['', '{', 'null', '[]', '[{"action":"ping"}]', '"ping"', '42', 'true', '\u0000', '{"action":', 'x'.repeat(70_000)]);
  const message: Record<string, unknown> = {
    action: pick(WS_ACTIONS),
    symbols: [{ symbol: 'SBIN', exchange: 'NSE' }, { symbol: 'INFY', exchange: 'NSE', mode: 2 }],
    symbol: 'SBIN',
    exchange: 'NSE',
    mode: pick([1, 2, 3, 'LTP', 'quote']),
    request_id: `f${n}`,
  };
  for (let k = 1 + Math.floor(next() * 3); k > 0; k -= 1) {
    const field = pick(WS_FIELDS);
    const where = next();
    if (where < 0.2) delete message[field];
    else if (where < 0.4 && Array.isArray(message.symbols)) (message.symbols as unknown[])[Math.floor(next() * 2)] = pick(JUNK);
    else if (where < 0.5) message.symbols = [{ symbol: pick(JUNK), exchange: pick(JUNK), mode: pick(JUNK) }];
    else if (where < 0.65) message.symbols = pick(SYMBOL_LISTS);
    else message[field] = pick(JUNK);
  }
  return JSON.stringify(message);
}

describe('fuzzing WebSocket messages', { timeout: 120_000 }, () => {
  it('1,500 malformed messages: no internal error, every answer an object, errors with a code and message', async () => {
    const socket = new WebSocket(`${h.url.replace('http', 'ws')}/ws`);
    const frames: Array<Record<string, unknown>> = [];
    const waiting = new Map<string, () => void>();
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Record<string, unknown>;
      frames.push(frame);
      if (typeof frame.request_id === 'string') waiting.get(frame.request_id)?.();
    });
    let closed: number | undefined;
    socket.on('close', (code) => (closed = code));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const answerTo = (id: string) => new Promise<void>((resolve) => waiting.set(id, resolve));

    const next = random(20261208);
    const authenticated = answerTo('auth');
    socket.send(JSON.stringify({ action: 'authenticate', api_key: h.key, request_id: 'auth' }));
    await authenticated;
    for (let n = 0; n < 1500; n += 1) {
      const message = wsMessage(next, n);
      const from = frames.length;
      // A ping after each message: when its answer arrives, every answer to the message has too.
      const pinged = answerTo(`p${n}`);
      socket.send(message);
      socket.send(JSON.stringify({ action: 'ping', request_id: `p${n}` }));
      await pinged;
      const label = `case ${n}: ${message.slice(0, 300)} → ${JSON.stringify(frames.slice(from)).slice(0, 600)}`;
      expect(closed, label).toBeUndefined();
      for (const frame of frames.slice(from)) {
        expect(frame, label).toBeTypeOf('object');
        expect(frame.code, label).not.toBe('SERVER_ERROR');
        if (frame.status !== 'error') continue;
        expect(typeof frame.message, label).toBe('string');
        // A refused message carries a code; a subscription whose every symbol failed is OpenAlgo's typed summary.
        if (frame.type === undefined) expect(typeof frame.code, label).toBe('string');
      }
    }
    socket.close();
  });
});
