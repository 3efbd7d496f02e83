// orderstatus, orderbook, tradebook, positionbook, funds, ping over HTTP; each test has a fresh server and account.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startGateway } from '../harness.js';

let h: Harness;

beforeEach(async () => {
  h = await startGateway();
  h.setPrice('SBIN', 'NSE', '100');
});
afterEach(() => h.close());

const order = (body: Record<string, unknown>) =>
  h.post('/api/v1/placeorder', { apikey: h.key, strategy: 's1', exchange: 'NSE', symbol: 'SBIN', product: 'MIS', ...body });
const read = async (path: string) => (await h.post(`/api/v1/${path}`, { apikey: h.key })).body;

describe('funds and P&L', () => {
  it('three buys at 100.05 and a sell at 100.10 realize exactly ₹1.50', async () => {
    for (let i = 0; i < 3; i++) await order({ action: 'BUY', quantity: 10 });
    h.setPrice('SBIN', 'NSE', '100.15');
    await order({ action: 'SELL', quantity: 30 });
    const rupees = { availablecash: '10000001.50', collateral: '0.00', m2mrealized: '1.50', m2munrealized: '0.00', utiliseddebits: '0.00' };
    expect(await read('funds')).toEqual({
      status: 'success',
      data: { ...rupees, currency: 'INR', balances: [{ currency: 'INR', ...rupees }, { currency: 'USD', availablecash: '100000.00', collateral: '0.00', m2mrealized: '0.00', m2munrealized: '0.00', utiliseddebits: '0.00' }] },
    });
    expect((await read('positionbook')).data).toEqual([
      { symbol: 'SBIN', exchange: 'NSE', product: 'MIS', currency: 'INR', quantity: 0, average_price: 0, ltp: 100.15, pnl: 1.5 },
    ]);
  });

  it('an open MIS position blocks 20 % and is marked to the last price', async () => {
    await order({ action: 'BUY', quantity: 10 });
    h.setPrice('SBIN', 'NSE', '101');
    // cost 10 × 100.05 = 1000.50; margin 200.10; unrealized 10 × (101 − 100.05) = 9.50
    const rupees = { availablecash: '9999799.90', collateral: '0.00', m2mrealized: '0.00', m2munrealized: '9.50', utiliseddebits: '200.10' };
    expect((await read('funds')).data).toEqual({ ...rupees, currency: 'INR', balances: [{ currency: 'INR', ...rupees }, { currency: 'USD', availablecash: '100000.00', collateral: '0.00', m2mrealized: '0.00', m2munrealized: '0.00', utiliseddebits: '0.00' }] });
    expect((await read('positionbook')).data).toEqual([
      { symbol: 'SBIN', exchange: 'NSE', product: 'MIS', currency: 'INR', quantity: 10, average_price: 100.05, ltp: 101, pnl: 9.5 },
    ]);
  });
});

describe('orderbook and tradebook', () => {
  it('list every order newest first with statistics, and one trade row per fill', async () => {
    const filled = await order({ action: 'BUY', quantity: 150 });
    const resting = await order({ action: 'SELL', quantity: 5, pricetype: 'LIMIT', price: '105' });
    const pending = await order({ action: 'SELL', quantity: 5, pricetype: 'SL-M', trigger_price: '95' });
    const cancelled = await order({ action: 'BUY', quantity: 1, pricetype: 'LIMIT', price: '90' });
    await h.post('/api/v1/cancelorder', { apikey: h.key, orderid: cancelled.body.orderid });

    const book = (await read('orderbook')).data as { orders: Record<string, unknown>[]; statistics: unknown };
    expect(book.orders.map((o) => [o.orderid, o.order_status])).toEqual([
      [cancelled.body.orderid, 'cancelled'],
      [pending.body.orderid, 'trigger pending'],
      [resting.body.orderid, 'open'],
      [filled.body.orderid, 'complete'],
    ]);
    expect(book.orders[2]).toEqual({
      action: 'SELL',
      symbol: 'SBIN',
      exchange: 'NSE',
      orderid: resting.body.orderid,
      product: 'MIS',
      quantity: 5,
      price: 105,
      pricetype: 'LIMIT',
      order_status: 'open',
      trigger_price: 0,
      average_price: 0,
      filled_quantity: 0,
      pending_quantity: 5,
      rejection_reason: '',
      timestamp: '2026-11-25 10:00:00',
      strategy: 's1',
    });
    expect(book.statistics).toEqual({
      total_buy_orders: 2,
      total_sell_orders: 2,
      total_completed_orders: 1,
      total_open_orders: 1,
      total_rejected_orders: 0,
      total_trigger_pending_orders: 1,
    });

    const trades = (await read('tradebook')).data as Record<string, unknown>[];
    expect(trades.map((t) => [t.orderid, t.quantity, t.average_price, t.trade_value])).toEqual([
      [filled.body.orderid, 100, 100.05, 10005],
      [filled.body.orderid, 50, 100.1, 5005],
    ]);
    expect(trades[0]).toMatchObject({ action: 'BUY', symbol: 'SBIN', exchange: 'NSE', product: 'MIS', timestamp: '2026-11-25 10:00:00' });
  });

  it('an empty account has empty books', async () => {
    expect(await read('orderbook')).toEqual({
      status: 'success',
      data: {
        orders: [],
        statistics: {
          total_buy_orders: 0,
          total_sell_orders: 0,
          total_completed_orders: 0,
          total_open_orders: 0,
          total_rejected_orders: 0,
          total_trigger_pending_orders: 0,
        },
      },
    });
    expect(await read('tradebook')).toEqual({ status: 'success', data: [] });
    expect(await read('positionbook')).toEqual({ status: 'success', data: [] });
  });
});

describe('orderstatus', () => {
  it('shows the order with its average price', async () => {
    const placed = await order({ action: 'BUY', quantity: 150 });
    const reply = await h.post('/api/v1/orderstatus', { apikey: h.key, strategy: 's1', orderid: placed.body.orderid });
    expect(reply.body).toEqual({
      status: 'success',
      data: {
        action: 'BUY',
        exchange: 'NSE',
        orderid: placed.body.orderid,
        symbol: 'SBIN',
        product: 'MIS',
        pricetype: 'MARKET',
        price: 0,
        trigger_price: 0,
        quantity: 150,
        order_status: 'complete',
        timestamp: '2026-11-25 10:00:00',
        // (100 × 100.05 + 50 × 100.10) / 150 = 100.0666…
        average_price: 100.07,
        filled_quantity: 150,
      },
    });
  });

  it('answers 404 for an unknown id and 400 for a missing one', async () => {
    expect(await h.post('/api/v1/orderstatus', { apikey: h.key, strategy: 's1', orderid: '42' })).toEqual({
      status: 404,
      body: { status: 'error', message: 'Order 42 not found' },
    });
    expect(await h.post('/api/v1/orderstatus', { apikey: h.key, strategy: 's1' })).toEqual({
      status: 400,
      body: { status: 'error', message: "{'orderid': ['Missing data for required field.']}" },
    });
  });
});

describe('ping, keys and unknown paths', () => {
  it('ping answers pong with the broker', async () => {
    expect(await read('ping')).toEqual({ status: 'success', data: { message: 'pong', broker: 'paper' } });
  });

  it('account endpoints report validation errors as a JSON object and wrong keys as 403', async () => {
    expect(await h.post('/api/v1/funds', {})).toEqual({
      status: 400,
      body: { status: 'error', message: { apikey: ['Missing data for required field.'] } },
    });
    for (const path of ['funds', 'orderbook', 'tradebook', 'positionbook', 'ping']) {
      expect(await h.post(`/api/v1/${path}`, { apikey: '0'.repeat(64) })).toEqual({
        status: 403,
        body: { status: 'error', message: 'Invalid openalgo apikey' },
      });
    }
  });

  it('unknown paths under /api are 404 with the path', async () => {
    expect(await h.post('/api/v1/nosuchthing', { apikey: h.key })).toEqual({
      status: 404,
      body: { status: 'error', message: 'Not found', path: '/api/v1/nosuchthing' },
    });
  });

  it('a route asked with the wrong method is 405 with Allow and the method to use', async () => {
    const get = await fetch(`${h.url}/api/v1/placeorder?apikey=${h.key}`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(await get.json()).toEqual({ status: 'error', message: 'Method GET is not allowed here; use POST', path: '/api/v1/placeorder' });
    const deleted = await fetch(`${h.url}/api/v1/funds/`, { method: 'DELETE' });
    expect(deleted.status).toBe(405);
    expect(await deleted.json()).toEqual({ status: 'error', message: 'Method DELETE is not allowed here; use POST', path: '/api/v1/funds/' });
    const posted = await fetch(`${h.url}/health`, { method: 'POST' });
    expect(posted.status).toBe(405);
    expect(posted.headers.get('allow')).toBe('GET');
  });
});

describe('docs', () => {
  it('serves the OpenAPI document with every v1 route and the Swagger UI', async () => {
    const doc = (await (await fetch(`${h.url}/api/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    for (const path of ['placeorder', 'modifyorder', 'cancelorder', 'orderstatus', 'orderbook', 'tradebook', 'positionbook', 'funds', 'ping']) {
      expect(doc.paths).toHaveProperty([`/api/v1/${path}`]);
    }
    const ui = await fetch(`${h.url}/docs/`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
  });
});
