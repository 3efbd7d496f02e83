// splitorder and basketorder over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startGateway } from '../harness.js';

let h: Harness;
let future: string;

beforeAll(async () => {
  h = await startGateway({ env: { ORDER_RATE_LIMIT: '1000 per second' } });
  h.setPrice('SBIN', 'NSE', '800');
  h.setPrice('INFY', 'NSE', '1500');
  future = h.gateway.master.byExchange('NFO').find((i) => i.instrumentType === 'FUT' && i.underlying === 'NIFTY')!.symbol;
  h.setPrice(future, 'NFO', '26000');
});
afterAll(() => h.close());

const split = (body: Record<string, unknown>) =>
  h.post('/api/v1/splitorder', { apikey: h.key, strategy: 'split', exchange: 'NSE', symbol: 'SBIN', action: 'BUY', product: 'MIS', ...body });
const basket = (orders: Record<string, unknown>[]) => h.post('/api/v1/basketorder', { apikey: h.key, strategy: 'basket', orders });
const book = async () => ((await h.post('/api/v1/orderbook', { apikey: h.key })).body.data as { orders: Record<string, unknown>[] }).orders;

describe('splitorder', () => {
  it('105 in 20s places 20, 20, 20, 20, 20 and 5, in that order', async () => {
    const reply = await split({ quantity: 105, splitsize: 20 });
    expect(reply.status).toBe(200);
    const body = reply.body as { status: string; total_quantity: number; split_size: number; results: Record<string, unknown>[] };
    expect([body.status, body.total_quantity, body.split_size]).toEqual(['success', 105, 20]);
    expect(body.results.map((r) => [r.order_num, r.quantity, r.status])).toEqual([
      [1, 20, 'success'],
      [2, 20, 'success'],
      [3, 20, 'success'],
      [4, 20, 'success'],
      [5, 20, 'success'],
      [6, 5, 'success'],
    ]);
    const ids = body.results.map((r) => r.orderid);
    const placed = (await book()).filter((o) => ids.includes(o.orderid));
    expect(placed.map((o) => o.quantity).reverse()).toEqual([20, 20, 20, 20, 20, 5]);
    expect(placed.every((o) => o.strategy === 'split' && o.order_status === 'complete')).toBe(true);
  });

  it('refuses more than 100 children and a split size below 1', async () => {
    expect(await split({ quantity: 2001, splitsize: 20 })).toEqual({
      status: 400,
      body: { status: 'error', message: 'Total number of orders would exceed maximum limit of 100' },
    });
    expect(await split({ quantity: 10, splitsize: 0 })).toEqual({
      status: 400,
      body: { status: 'error', message: "{'splitsize': ['Split size must be a positive integer.']}" },
    });
  });

  it('reports failing children one by one and still answers 200', async () => {
    const reply = await split({ exchange: 'NFO', symbol: future, product: 'NRML', quantity: 195, splitsize: 130 });
    expect(reply.status).toBe(200);
    expect((reply.body.results as Record<string, unknown>[]).map((r) => [r.quantity, r.status, r.message ?? 'placed'])).toEqual([
      [130, 'success', 'placed'],
      [65, 'success', 'placed'],
    ]);
    const bad = await split({ exchange: 'NFO', symbol: future, product: 'NRML', quantity: 150, splitsize: 100 });
    expect((bad.body.results as Record<string, unknown>[]).map((r) => [r.quantity, r.status, r.message])).toEqual([
      [100, 'error', 'Quantity must be in multiples of lot size 65'],
      [50, 'error', 'Quantity must be in multiples of lot size 65'],
    ]);
  });
});

describe('basketorder', () => {
  it('sends BUY legs before SELL legs, answers in request order, and lets other legs proceed past a failure', async () => {
    const reply = await basket([
      { exchange: 'NSE', symbol: 'SBIN', action: 'SELL', quantity: 5, product: 'MIS' },
      { exchange: 'NSE', symbol: 'INFY', action: 'BUY', quantity: 2, product: 'CNC' },
      { exchange: 'NSE', symbol: 'NOSUCH', action: 'BUY', quantity: 1 },
      { exchange: 'NSE', symbol: 'SBIN', action: 'sell', quantity: '1.5' },
    ]);
    expect(reply.status).toBe(200);
    const results = reply.body.results as Record<string, unknown>[];
    expect(results).toEqual([
      { symbol: 'SBIN', exchange: 'NSE', product: 'MIS', status: 'success', orderid: expect.any(String) },
      { symbol: 'INFY', exchange: 'NSE', product: 'CNC', status: 'success', orderid: expect.any(String) },
      { symbol: 'NOSUCH', status: 'error', message: "Symbol 'NOSUCH' not found for exchange 'NSE'. Please verify the symbol name and ensure master contracts are downloaded." },
      { symbol: 'SBIN', status: 'error', message: 'Fractional quantity (1.5) is not allowed for non-crypto exchanges.' },
    ]);
    // the BUY leg was placed first: its id is the smaller
    expect(String(results[1]!.orderid) < String(results[0]!.orderid)).toBe(true);
    const placed = (await book()).filter((o) => o.orderid === results[0]!.orderid || o.orderid === results[1]!.orderid);
    expect(placed.every((o) => o.strategy === 'basket')).toBe(true);
  });

  it('refuses a basket of more than 100 legs with a 400, placing nothing', async () => {
    const before = (await book()).length;
    const leg = { exchange: 'NSE', symbol: 'SBIN', action: 'BUY', quantity: 1, pricetype: 'MARKET', product: 'MIS' };
    const reply = await basket(Array.from({ length: 101 }, () => leg));
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({ status: 'error', message: 'Total number of orders would exceed maximum limit of 100' });
    expect((await book()).length).toBe(before);
    const hundred = await basket(Array.from({ length: 100 }, () => leg));
    expect((hundred.body.results as unknown[]).length).toBe(100);
  });

  it('rejects a malformed leg with the field path, placing nothing', async () => {
    const before = (await book()).length;
    const reply = await basket([{ exchange: 'NSE', symbol: 'SBIN', action: 'BUY' }]);
    expect(reply.status).toBe(400);
    expect(reply.body.message).toBe("{'orders': {0: {'quantity': ['Missing data for required field.']}}}");
    expect((await book()).length).toBe(before);
  });
});
