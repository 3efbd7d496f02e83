// Thousands of malformed requests across every v1 endpoint, from a seeded generator: wrong types, huge and non-finite
// numbers, NaN strings, nested junk, unicode, missing and unknown fields, broken JSON, oversized bodies. Every answer
// must be a 4xx (never a 5xx) in the dialect's envelope, and no refused request may change the books (an order the
// exchange refuses for funds is recorded as `rejected`, by design: that is the only event a 4xx may write).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournaledEvent } from '../../src/domain/events.js';
import { JUNK, random } from './fuzz-input.js';
import { type Harness, startGateway } from './harness.js';

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
};

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
