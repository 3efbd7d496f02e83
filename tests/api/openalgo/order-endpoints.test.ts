// placeorder, modifyorder, cancelorder over HTTP against a real server. Frozen market: an NSE equity set to price P
// shows asks P+0.05×100, P+0.10×200, … and bids P−0.05×100, P−0.10×200, … (see market-simulator.ts).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startGateway } from '../harness.js';

let h: Harness;
let key: string;

beforeAll(async () => {
  h = await startGateway();
  key = h.key;
});
afterAll(() => h.close());
beforeEach(() => {
  h.setPrice('SBIN', 'NSE', '800');
  h.setPrice('INFY', 'NSE', '1500');
});

const base = { strategy: 'test', exchange: 'NSE', symbol: 'SBIN', product: 'MIS' };
const place = (body: Record<string, unknown>) => h.post('/api/v1/placeorder', { apikey: key, ...base, ...body });
const status = async (orderid: unknown) =>
  (await h.post('/api/v1/orderstatus', { apikey: key, strategy: 'test', orderid })).body.data as Record<string, unknown>;

describe('placeorder', () => {
  it('a MARKET buy is acknowledged with an order id and fills across two levels', async () => {
    const reply = await place({ action: 'BUY', quantity: '150', pricetype: 'MARKET' });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ status: 'success', orderid: expect.stringMatching(/^\d{14}$/) });
    const data = await status(reply.body.orderid);
    // (100 × 800.05 + 50 × 800.10) / 150 = 800.0666… → 800.07
    expect(data).toMatchObject({ order_status: 'complete', quantity: 150, filled_quantity: 150, average_price: 800.07 });
  });

  it('accepts numbers as numeric strings and lower-case actions, and defaults pricetype and product', async () => {
    const reply = await h.post('/api/v1/placeorder', {
      apikey: key,
      strategy: 'test',
      exchange: 'NSE',
      symbol: 'INFY',
      action: 'buy',
      quantity: 2,
    });
    expect(reply.status).toBe(200);
    expect(await status(reply.body.orderid)).toMatchObject({
      action: 'BUY',
      pricetype: 'MARKET',
      product: 'MIS',
      order_status: 'complete',
      average_price: 1500.1,
    });
  });

  it('trailing slashes are optional', async () => {
    const reply = await h.post('/api/v1/placeorder/', { apikey: key, ...base, action: 'BUY', quantity: 1 });
    expect(reply.status).toBe(200);
  });

  it.each([
    [{ action: 'BUY' }, "{'quantity': ['Missing data for required field.']}"],
    [{ action: 'BUY', quantity: 'abc' }, "{'quantity': ['Not a valid number.']}"],
    [{ action: 'BUY', quantity: 0 }, "{'quantity': ['Quantity must be a positive number.']}"],
    [{ action: 'HOLD', quantity: 1 }, "{'action': ['Must be one of: BUY, SELL, buy, sell.']}"],
    [{ action: 'BUY', quantity: 1, pricetype: 'STOP' }, "{'pricetype': ['Must be one of: MARKET, LIMIT, SL, SL-M.']}"],
    [{ action: 'BUY', quantity: 1, price: -1 }, "{'price': ['Price must be a non-negative number.']}"],
    [{ action: 'BUY', quantity: 1, position_size: 5 }, "{'position_size': ['Unknown field.']}"],
    [{ action: 'BUY', quantity: '1.5' }, "{'quantity': ['Fractional quantity (1.5) is not allowed for non-crypto exchanges.']}"],
  ])('rejects %j with 400 %s', async (body, message) => {
    const reply = await place(body);
    expect(reply).toEqual({ status: 400, body: { status: 'error', message } });
  });

  it('rejects quantities off the lot size of a future, naming the lot', async () => {
    const future = h.gateway.master.byExchange('NFO').find((i) => i.instrumentType === 'FUT' && i.underlying === 'NIFTY')!;
    const reply = await place({ exchange: 'NFO', symbol: future.symbol, product: 'NRML', action: 'BUY', quantity: 10 });
    expect(reply).toEqual({ status: 400, body: { status: 'error', message: 'Quantity must be in multiples of lot size 65' } });
  });

  it('rejects a limit price off the tick grid and an unknown symbol', async () => {
    expect((await place({ action: 'BUY', quantity: 1, pricetype: 'LIMIT', price: '790.03' })).body.message).toBe(
      'Price 790.03 is not a multiple of the tick size 0.05',
    );
    // Finer than Ordergate's 8 places: refused, never rounded onto the grid (960.050000001 would pass as 960.05).
    expect(await place({ action: 'BUY', quantity: 1, pricetype: 'LIMIT', price: 960.050000001 })).toEqual({
      status: 400,
      body: { status: 'error', message: "{'price': ['960.050000001 has more than 8 decimal places.']}" },
    });
    expect(await place({ action: 'BUY', quantity: 1, pricetype: 'SL-M', trigger_price: '970.000000005' })).toEqual({
      status: 400,
      body: { status: 'error', message: "{'trigger_price': ['970.000000005 has more than 8 decimal places.']}" },
    });
    expect(await place({ action: 'BUY', quantity: 1, pricetype: 'LIMIT', price: '0.0000000001' })).toEqual({
      status: 400,
      body: { status: 'error', message: "{'price': ['0.0000000001 has more than 8 decimal places.']}" },
    });
    expect((await place({ action: 'BUY', quantity: 1, pricetype: 'LIMIT', price: '960.0500000000' })).status).toBe(200);
    // A price snapped to the tick in floating point carries noise in its last digits: it is the price it means.
    const snapped = await place({ action: 'BUY', quantity: 1, pricetype: 'LIMIT', price: Math.round(900.03 / 0.05) * 0.05 });
    expect(snapped.status).toBe(200);
    expect(await status(snapped.body.orderid)).toMatchObject({ price: 900.05 });
    expect(await place({ symbol: 'NOSUCH', action: 'BUY', quantity: 1 })).toEqual({
      status: 400,
      body: { status: 'error', message: "Symbol 'NOSUCH' not found for exchange 'NSE'. Please verify the symbol name and ensure master contracts are downloaded." },
    });
  });

  it('a wrong key is 403 Invalid openalgo apikey, before anything is placed', async () => {
    const reply = await h.post('/api/v1/placeorder', { ...base, apikey: 'f'.repeat(64), action: 'BUY', quantity: 1 });
    expect(reply).toEqual({ status: 403, body: { status: 'error', message: 'Invalid openalgo apikey' } });
  });

  it('SL-M buy waits as trigger pending and fills when the last price reaches the trigger', async () => {
    const reply = await place({ action: 'BUY', quantity: 5, pricetype: 'SL-M', trigger_price: '810' });
    expect(await status(reply.body.orderid)).toMatchObject({ order_status: 'trigger pending', trigger_price: 810, price: 0 });
    h.setPrice('SBIN', 'NSE', '810');
    h.tick();
    expect(await status(reply.body.orderid)).toMatchObject({ order_status: 'complete', average_price: 810.05 });
  });

  it('an SL buy with its price below the trigger is refused with the reason', async () => {
    const reply = await place({ action: 'BUY', quantity: 5, pricetype: 'SL', trigger_price: '810', price: '805' });
    expect(reply.body.message).toBe('Price 805 must be at or above the trigger price 810 for a BUY SL order');
  });
});

describe('placeorder beyond the available cash', () => {
  let poor: Harness;
  beforeAll(async () => {
    poor = await startGateway({ env: { ORDERGATE_STARTING_CASH: '1000' } });
    poor.setPrice('SBIN', 'NSE', '800');
  });
  afterAll(() => poor.close());

  it('is rejected with the amounts and kept in the order book as rejected', async () => {
    const reply = await poor.post('/api/v1/placeorder', { apikey: poor.key, ...base, product: 'CNC', action: 'BUY', quantity: 10 });
    expect(reply).toEqual({
      status: 400,
      body: { status: 'error', message: 'Insufficient funds. Required: ₹8000.50, Available: ₹1000.00, Shortage: ₹7000.50' },
    });
    const book = await poor.post('/api/v1/orderbook', { apikey: poor.key });
    const data = book.body.data as { orders: Record<string, unknown>[]; statistics: Record<string, number> };
    expect(data.orders).toHaveLength(1);
    expect(data.orders[0]).toMatchObject({ order_status: 'rejected', rejection_reason: expect.stringMatching(/^Insufficient funds/) });
    expect(data.statistics.total_rejected_orders).toBe(1);
  });
});

describe('modifyorder', () => {
  const modify = (body: Record<string, unknown>) =>
    h.post('/api/v1/modifyorder', {
      apikey: key,
      ...base,
      action: 'BUY',
      pricetype: 'LIMIT',
      quantity: 10,
      price: 790,
      disclosed_quantity: 0,
      trigger_price: 0,
      ...body,
    });

  it('moves a resting limit and changes its quantity', async () => {
    const placed = await place({ action: 'BUY', quantity: 10, pricetype: 'LIMIT', price: '790' });
    const reply = await modify({ orderid: placed.body.orderid, price: '795.5', quantity: '20' });
    expect(reply.body).toEqual({ status: 'success', orderid: placed.body.orderid });
    expect(await status(placed.body.orderid)).toMatchObject({ order_status: 'open', price: 795.5, quantity: 20 });
  });

  it('a modification that crosses the market fills at once', async () => {
    const placed = await place({ action: 'BUY', quantity: 10, pricetype: 'LIMIT', price: '790' });
    await modify({ orderid: placed.body.orderid, price: '801' });
    expect(await status(placed.body.orderid)).toMatchObject({ order_status: 'complete', average_price: 800.05 });
  });

  it('refuses a filled order with OpenAlgo words, an unknown id with 404, a different symbol with 400', async () => {
    const filled = await place({ action: 'BUY', quantity: 1 });
    expect(await modify({ orderid: filled.body.orderid })).toEqual({
      status: 400,
      body: { status: 'error', message: 'Cannot modify order in complete status' },
    });
    expect(await modify({ orderid: '99999999999999' })).toEqual({
      status: 404,
      body: { status: 'error', message: 'Order 99999999999999 not found' },
    });
    const resting = await place({ action: 'BUY', quantity: 1, pricetype: 'LIMIT', price: '790' });
    const wrong = await modify({ orderid: resting.body.orderid, symbol: 'INFY' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toBe(`Order ${String(resting.body.orderid)} is for SBIN on NSE, not INFY on NSE`);
  });

  it('requires orderid', async () => {
    const reply = await h.post('/api/v1/modifyorder', { apikey: key, ...base, action: 'BUY', pricetype: 'LIMIT', quantity: 1, price: 1 });
    expect(reply).toEqual({ status: 400, body: { status: 'error', message: "{'orderid': ['Missing data for required field.']}" } });
  });
});

describe('cancelorder', () => {
  const cancel = (orderid: unknown) => h.post('/api/v1/cancelorder', { apikey: key, strategy: 'test', orderid });

  it('cancels a resting order and releases its margin', async () => {
    const before = (await h.post('/api/v1/funds', { apikey: key })).body.data as Record<string, string>;
    const placed = await place({ action: 'BUY', quantity: 10, pricetype: 'LIMIT', price: '700' });
    const during = (await h.post('/api/v1/funds', { apikey: key })).body.data as Record<string, string>;
    // MIS blocks 20 % of 10 × 700 = 1400
    expect(Number(during.utiliseddebits) - Number(before.utiliseddebits)).toBeCloseTo(1400, 6);
    expect(await cancel(placed.body.orderid)).toEqual({ status: 200, body: { status: 'success', orderid: placed.body.orderid } });
    expect(await status(placed.body.orderid)).toMatchObject({ order_status: 'cancelled' });
    const after = (await h.post('/api/v1/funds', { apikey: key })).body.data as Record<string, string>;
    expect(after.utiliseddebits).toBe(before.utiliseddebits);
  });

  it('refuses to cancel twice, and answers 404 for an unknown id', async () => {
    const placed = await place({ action: 'BUY', quantity: 1, pricetype: 'LIMIT', price: '700' });
    await cancel(placed.body.orderid);
    expect(await cancel(placed.body.orderid)).toEqual({
      status: 400,
      body: { status: 'error', message: 'Cannot cancel order in cancelled status' },
    });
    expect((await cancel('12345')).status).toBe(404);
  });
});
