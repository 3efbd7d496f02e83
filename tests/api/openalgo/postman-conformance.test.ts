// Replays the order, account, market-data and symbol requests of OpenAlgo's own Postman collection (shared/data) against a real server,
// as published (numbers as strings and all), and checks every response's shape field by field against the notes.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startGateway } from '../harness.js';

const COLLECTION = path.resolve(import.meta.dirname, '../../../../shared/data/openalgo.postman_collection.json');

/** The endpoints this server serves, in the order a session would use them. */
const SERVED = [
  'placeorder',
  'placesmartorder',
  'splitorder',
  'basketorder',
  'orderbook',
  'tradebook',
  'positionbook',
  'funds',
  'holdings',
  'openposition',
  'orderstatus',
  'modifyorder',
  'cancelorder',
  'cancelallorder',
  'closeposition',
  'quotes',
  'depth',
  'symbol',
  'search',
  'expiry',
] as const;
type Served = (typeof SERVED)[number];

interface PostmanItem {
  name?: string;
  item?: PostmanItem[];
  request?: { method: string; url: string | { raw: string }; body?: { raw?: string } };
}

function requests(): Map<string, { method: string; body: string }> {
  const collection = JSON.parse(fs.readFileSync(COLLECTION, 'utf8')) as PostmanItem;
  const found = new Map<string, { method: string; body: string }>();
  const walk = (items: PostmanItem[]) => {
    for (const item of items) {
      if (item.item) walk(item.item);
      if (!item.request) continue;
      const url = typeof item.request.url === 'string' ? item.request.url : item.request.url.raw;
      const endpoint = url.split('api/v1/')[1]?.replace(/\/$/, '') ?? '';
      found.set(endpoint, { method: item.request.method, body: item.request.body?.raw ?? '' });
    }
  };
  walk(collection.item ?? []);
  return found;
}

const isString = (v: unknown) => typeof v === 'string';
const isNumber = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
const isInt = (v: unknown) => Number.isInteger(v);
const twoDecimals = (v: unknown) => typeof v === 'string' && /^-?\d+\.\d{2}$/.test(v);

/** Every field the notes name, with its type; extra fields are allowed (documented supersets). */
function expectFields(value: unknown, fields: Record<string, (v: unknown) => boolean>, where: string): void {
  expect(value, where).toBeTypeOf('object');
  for (const [field, check] of Object.entries(fields)) {
    const actual = (value as Record<string, unknown>)[field];
    expect(check(actual), `${where}.${field} = ${JSON.stringify(actual)}`).toBe(true);
  }
}

const orderIdReply = { status: (v: unknown) => v === 'success', orderid: isString };

const SHAPES: Record<Served, (body: Record<string, unknown>) => void> = {
  placeorder: (b) => expectFields(b, orderIdReply, 'placeorder'),
  placesmartorder: (b) => expectFields(b, orderIdReply, 'placesmartorder'),
  modifyorder: (b) => expectFields(b, orderIdReply, 'modifyorder'),
  cancelorder: (b) => expectFields(b, orderIdReply, 'cancelorder'),
  splitorder: (b) => {
    expectFields(b, { status: (v) => v === 'success', total_quantity: isNumber, split_size: isInt, results: Array.isArray }, 'splitorder');
    for (const r of b.results as unknown[]) {
      expectFields(r, { order_num: isInt, quantity: isNumber, status: (v) => v === 'success', orderid: isString }, 'splitorder.results');
    }
  },
  basketorder: (b) => {
    expectFields(b, { status: (v) => v === 'success', results: Array.isArray }, 'basketorder');
    for (const r of b.results as unknown[]) {
      expectFields(r, { symbol: isString, exchange: isString, product: isString, status: (v) => v === 'success', orderid: isString }, 'basketorder.results');
    }
  },
  orderbook: (b) => {
    const data = b.data as { orders: unknown[]; statistics: unknown };
    expect(data.orders.length).toBeGreaterThan(0);
    for (const o of data.orders) {
      expectFields(
        o,
        {
          action: isString,
          symbol: isString,
          exchange: isString,
          orderid: isString,
          product: isString,
          quantity: isNumber,
          price: isNumber,
          pricetype: isString,
          order_status: (v) => ['open', 'complete', 'rejected', 'cancelled', 'trigger pending'].includes(v as string),
          trigger_price: isNumber,
          timestamp: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(v),
        },
        'orderbook.orders',
      );
    }
    expectFields(
      data.statistics,
      {
        total_buy_orders: isInt,
        total_sell_orders: isInt,
        total_completed_orders: isInt,
        total_open_orders: isInt,
        total_rejected_orders: isInt,
      },
      'orderbook.statistics',
    );
  },
  tradebook: (b) => {
    const rows = b.data as unknown[];
    expect(rows.length).toBeGreaterThan(0);
    for (const t of rows) {
      expectFields(
        t,
        {
          action: isString,
          symbol: isString,
          exchange: isString,
          orderid: isString,
          product: isString,
          quantity: isNumber,
          average_price: isNumber,
          timestamp: isString,
          trade_value: isNumber,
        },
        'tradebook',
      );
    }
  },
  positionbook: (b) => {
    const rows = b.data as unknown[];
    expect(rows.length).toBeGreaterThan(0);
    for (const p of rows) {
      expectFields(
        p,
        { symbol: isString, exchange: isString, product: isString, quantity: isNumber, average_price: isNumber, ltp: isNumber, pnl: isNumber },
        'positionbook',
      );
    }
  },
  funds: (b) =>
    expectFields(
      b.data,
      { availablecash: twoDecimals, collateral: twoDecimals, m2mrealized: twoDecimals, m2munrealized: twoDecimals, utiliseddebits: twoDecimals },
      'funds',
    ),
  holdings: (b) => {
    const data = b.data as { holdings: unknown[]; statistics: unknown };
    expect(Array.isArray(data.holdings)).toBe(true);
    expectFields(
      data.statistics,
      { totalholdingvalue: isNumber, totalinvvalue: isNumber, totalprofitandloss: isNumber, totalpnlpercentage: isNumber },
      'holdings.statistics',
    );
  },
  openposition: (b) => expectFields(b, { status: (v) => v === 'success', quantity: isNumber }, 'openposition'),
  orderstatus: (b) =>
    expectFields(
      b.data,
      {
        action: isString,
        exchange: isString,
        orderid: isString,
        symbol: isString,
        product: isString,
        pricetype: isString,
        price: isNumber,
        trigger_price: isNumber,
        quantity: isNumber,
        order_status: isString,
        timestamp: isString,
        average_price: isNumber,
      },
      'orderstatus',
    ),
  cancelallorder: (b) =>
    expectFields(
      b,
      {
        status: (v) => v === 'success',
        canceled_orders: (v) => Array.isArray(v) && v.every(isString),
        failed_cancellations: Array.isArray,
        message: (v) => typeof v === 'string' && /^Canceled \d+ orders\. Failed to cancel \d+ orders\.$/.test(v),
      },
      'cancelallorder',
    ),
  closeposition: (b) => expectFields(b, { status: (v) => v === 'success', message: isString }, 'closeposition'),
  quotes: (b) =>
    expectFields(
      b.data,
      { open: isNumber, high: isNumber, low: isNumber, ltp: isNumber, ask: isNumber, bid: isNumber, prev_close: isNumber, volume: isNumber, oi: isNumber },
      'quotes',
    ),
  depth: (b) => {
    expectFields(
      b.data,
      { ltp: isNumber, ltq: isNumber, prev_close: isNumber, volume: isNumber, oi: isNumber, totalbuyqty: isNumber, totalsellqty: isNumber },
      'depth',
    );
    const data = b.data as { asks: unknown[]; bids: unknown[] };
    expect([data.asks.length, data.bids.length]).toEqual([5, 5]);
    for (const level of [...data.asks, ...data.bids]) expectFields(level, { price: isNumber, quantity: isNumber }, 'depth.level');
  },
  symbol: (b) => expectFields(b.data, SYMBOL_ROW, 'symbol'),
  search: (b) => {
    expect(isString(b.message)).toBe(true);
    const rows = b.data as unknown[];
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expectFields(row, SYMBOL_ROW, 'search');
  },
  expiry: (b) => {
    const dates = b.data as unknown[];
    expect(dates.length).toBeGreaterThan(0);
    expect(dates.every((d) => typeof d === 'string' && /^\d{2}-[A-Z]{3}-\d{2}$/.test(d))).toBe(true);
  },
};

/** Contracts the collection names that have expired since it was written, and what stands in for them. */
const SUBSTITUTES: Partial<Record<Served, (body: Record<string, unknown>, h: Harness) => void>> = {
  depth: (body, harness) => {
    body.symbol = harness.gateway.master.byExchange('NFO').find((i) => i.instrumentType === 'FUT' && i.underlying === 'NIFTY')!.symbol;
  },
  expiry: (body) => {
    body.symbol = 'TATASTEEL';
  },
};

const SYMBOL_ROW = {
  symbol: isString,
  brsymbol: isString,
  name: isString,
  exchange: isString,
  brexchange: isString,
  token: isString,
  expiry: isString,
  strike: isNumber,
  lotsize: isNumber,
  instrumenttype: isString,
  tick_size: isNumber,
};

let h: Harness;
let resting: { orderid: string; symbol: string; exchange: string; product: string; action: string };

beforeAll(async () => {
  h = await startGateway();
  // The collection's modify/cancel/status requests name orders of its author's account: aim them at a real one.
  h.setPrice('SBIN', 'NSE', '800');
  const placed = await h.post('/api/v1/placeorder', {
    apikey: h.key,
    strategy: 'conformance',
    exchange: 'NSE',
    symbol: 'SBIN',
    action: 'BUY',
    quantity: 1,
    pricetype: 'LIMIT',
    price: 700,
    product: 'MIS',
  });
  resting = { orderid: String(placed.body.orderid), symbol: 'SBIN', exchange: 'NSE', product: 'MIS', action: 'BUY' };
});
afterAll(() => h.close());

describe("OpenAlgo's Postman collection", () => {
  const collected = requests();

  it('has a request for every endpoint served here', () => {
    for (const endpoint of SERVED) expect(collected.has(endpoint), endpoint).toBe(true);
  });

  it.each(SERVED.map((e) => [e]))('%s answers with the documented shape', async (endpoint) => {
    const request = collected.get(endpoint)!;
    expect(request.method).toBe('POST');
    const body = JSON.parse(request.body.replaceAll('{{apiKey}}', h.key)) as Record<string, unknown>;
    if ('orderid' in body) {
      body.orderid = resting.orderid;
      if (endpoint === 'modifyorder') Object.assign(body, { ...resting, price: '701' });
    }
    SUBSTITUTES[endpoint]?.(body, h);
    const reply = await h.post(`/api/v1/${endpoint}`, body);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    SHAPES[endpoint](reply.body);
  });
});
