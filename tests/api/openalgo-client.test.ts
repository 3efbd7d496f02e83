// The official OpenAlgo Node client (npm `openalgo` 1.0.0, CommonJS, axios) against a real gateway: what a user of
// that SDK sees, unchanged. Frozen market: an NSE equity set to price P asks P+0.05×100, P+0.10×200, … and bids
// P−0.05×100, P−0.10×200, … (see market-simulator.ts); the harness clock stands at 2026-11-25 10:00 IST.
import { createRequire } from 'node:module';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Harness, startGateway } from './harness.js';

/** The part of the client's surface these tests use (the package ships no types). */
interface OpenAlgoClient {
  placeOrder(order: Record<string, unknown>): Promise<Record<string, unknown>>;
  modifyOrder(order: Record<string, unknown>): Promise<Record<string, unknown>>;
  cancelOrder(order: { orderId: string; strategy?: string }): Promise<Record<string, unknown>>;
}
type OpenAlgoConstructor = new (apiKey: string, host: string) => OpenAlgoClient;

const OpenAlgo = createRequire(import.meta.url)('openalgo') as OpenAlgoConstructor;

let h: Harness;
let client: OpenAlgoClient;

beforeAll(async () => {
  h = await startGateway();
  client = new OpenAlgo(h.key, h.url);
});
afterAll(() => h.close());
beforeEach(() => {
  h.setPrice('SBIN', 'NSE', '800');
  h.setPrice('INFY', 'NSE', '1500');
});

/** `data` of a POST /api/v1/orderstatus for the order, asserting the success envelope. */
async function orderStatus(orderid: string): Promise<Record<string, unknown>> {
  const reply = await h.post('/api/v1/orderstatus', { apikey: h.key, strategy: 'client', orderid });
  expect(reply.status).toBe(200);
  expect(reply.body.status).toBe('success');
  return reply.body.data as Record<string, unknown>;
}

/** The HTTP status and body of the axios error a client call rejects with; fails if the call succeeds. */
async function httpError(call: Promise<unknown>): Promise<{ status: number; data: unknown }> {
  const error = await call.then(
    (value) => {
      throw new Error(`expected the call to fail, it answered ${JSON.stringify(value)}`);
    },
    (reason: unknown) => reason,
  );
  expect(error).toMatchObject({ isAxiosError: true });
  const { response } = error as { response?: { status: number; data: unknown } };
  if (!response) throw new Error('the axios error carries no response');
  return { status: response.status, data: response.data };
}

describe('the official openalgo client', () => {
  it('places a MARKET order: success envelope with a 14-digit order id, filled at the best ask', async () => {
    const reply = await client.placeOrder({
      strategy: 'client',
      symbol: 'SBIN',
      action: 'BUY',
      exchange: 'NSE',
      priceType: 'MARKET',
      product: 'MIS',
      quantity: 10,
    });

    expect(reply).toEqual({ status: 'success', orderid: expect.stringMatching(/^\d{14}$/) });
    const orderid = reply.orderid as string;
    expect(orderid.slice(0, 6)).toBe('261125');
    expect(await orderStatus(orderid)).toMatchObject({
      symbol: 'SBIN',
      pricetype: 'MARKET',
      order_status: 'complete',
      quantity: 10,
      filled_quantity: 10,
      average_price: 800.05,
    });
  });

  it('places a resting LIMIT, modifies its price and quantity, then cancels it', async () => {
    const placed = await client.placeOrder({
      strategy: 'client',
      symbol: 'INFY',
      action: 'BUY',
      exchange: 'NSE',
      priceType: 'LIMIT',
      product: 'CNC',
      quantity: 5,
      price: '1400',
    });
    expect(placed).toEqual({ status: 'success', orderid: expect.stringMatching(/^\d{14}$/) });
    const orderid = placed.orderid as string;
    expect(await orderStatus(orderid)).toEqual({
      action: 'BUY',
      exchange: 'NSE',
      orderid,
      symbol: 'INFY',
      product: 'CNC',
      pricetype: 'LIMIT',
      price: 1400,
      trigger_price: 0,
      quantity: 5,
      order_status: 'open',
      timestamp: '2026-11-25 10:00:00',
      average_price: 0,
      filled_quantity: 0,
    });

    // modifyOrder sends quantity and price as strings and no trigger_price or disclosed_quantity.
    const modified = await client.modifyOrder({
      orderId: orderid,
      strategy: 'client',
      symbol: 'INFY',
      action: 'BUY',
      exchange: 'NSE',
      priceType: 'LIMIT',
      product: 'CNC',
      quantity: 8,
      price: '1395.5',
    });
    expect(modified).toEqual({ status: 'success', orderid });
    expect(await orderStatus(orderid)).toMatchObject({
      pricetype: 'LIMIT',
      price: 1395.5,
      quantity: 8,
      order_status: 'open',
      filled_quantity: 0,
    });

    const cancelled = await client.cancelOrder({ orderId: orderid, strategy: 'client' });
    expect(cancelled).toEqual({ status: 'success', orderid });
    expect(await orderStatus(orderid)).toMatchObject({
      price: 1395.5,
      quantity: 8,
      order_status: 'cancelled',
      filled_quantity: 0,
      average_price: 0,
    });
  });

  describe('server errors', () => {
    let consoleError: ReturnType<typeof vi.spyOn>;
    beforeEach(() => {
      // The client console.error's every failed request before rethrowing it.
      consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    });
    afterEach(() => consoleError.mockRestore());

    it('an unknown order id surfaces as an axios error: 404 with the OpenAlgo error envelope', async () => {
      const failure = await httpError(client.cancelOrder({ orderId: '26112599999999', strategy: 'client' }));

      expect(failure).toEqual({ status: 404, data: { status: 'error', message: 'Order 26112599999999 not found' } });
      expect(consoleError).toHaveBeenCalledTimes(1);
      expect(consoleError.mock.calls[0]?.[0]).toBe(`Error making POST request to ${h.url}/api/v1/cancelorder:`);
    });

    it('modifying or cancelling a cancelled order is 400 naming the status', async () => {
      const placed = await client.placeOrder({
        strategy: 'client',
        symbol: 'INFY',
        action: 'BUY',
        exchange: 'NSE',
        priceType: 'LIMIT',
        product: 'MIS',
        quantity: 1,
        price: '1400',
      });
      const orderid = placed.orderid as string;
      await client.cancelOrder({ orderId: orderid, strategy: 'client' });

      expect(await httpError(client.cancelOrder({ orderId: orderid, strategy: 'client' }))).toEqual({
        status: 400,
        data: { status: 'error', message: 'Cannot cancel order in cancelled status' },
      });
      const modify = client.modifyOrder({
        orderId: orderid,
        strategy: 'client',
        symbol: 'INFY',
        action: 'BUY',
        exchange: 'NSE',
        priceType: 'LIMIT',
        product: 'MIS',
        quantity: 1,
        price: '1390',
      });
      expect(await httpError(modify)).toEqual({
        status: 400,
        data: { status: 'error', message: 'Cannot modify order in cancelled status' },
      });
      expect(await orderStatus(orderid)).toMatchObject({ order_status: 'cancelled', price: 1400 });
    });

    it('an order breaking an instrument rule is 400 with the reason, and a wrong key is 403', async () => {
      const offTick = client.placeOrder({
        strategy: 'client',
        symbol: 'SBIN',
        action: 'BUY',
        exchange: 'NSE',
        priceType: 'LIMIT',
        product: 'MIS',
        quantity: 1,
        price: '790.03',
      });
      expect(await httpError(offTick)).toEqual({
        status: 400,
        data: { status: 'error', message: 'Price 790.03 is not a multiple of the tick size 0.05' },
      });

      const stranger = new OpenAlgo('f'.repeat(64), h.url);
      const forbidden = stranger.placeOrder({ symbol: 'SBIN', action: 'BUY', exchange: 'NSE', quantity: 1 });
      expect(await httpError(forbidden)).toEqual({
        status: 403,
        data: { status: 'error', message: 'Invalid openalgo apikey' },
      });
    });
  });
});
