// placesmartorder, openposition, cancelallorder, closeposition over HTTP; a fresh server and account per test.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Broker } from '../../../src/brokers/broker.js';
import { SQUARE_OFF_TAG } from '../../../src/domain/closing-orders.js';
import { InvalidOrder } from '../../../src/domain/errors.js';
import type { OrderRequest } from '../../../src/domain/order.js';
import { type Harness, startGateway } from '../harness.js';

let h: Harness;
let future: string;

beforeEach(async () => {
  h = await startGateway();
  h.setPrice('SBIN', 'NSE', '800');
  h.setPrice('INFY', 'NSE', '1500');
  future = h.gateway.master.byExchange('NFO').find((i) => i.instrumentType === 'FUT' && i.underlying === 'NIFTY')!.symbol;
  h.setPrice(future, 'NFO', '26000');
});
afterEach(() => h.close());

const smart = (body: Record<string, unknown>) =>
  h.post('/api/v1/placesmartorder', {
    apikey: h.key,
    strategy: 'smart',
    exchange: 'NSE',
    symbol: 'SBIN',
    product: 'MIS',
    action: 'BUY',
    quantity: 0,
    ...body,
  });
const openQuantity = async (symbol = 'SBIN', exchange = 'NSE', product = 'MIS') =>
  (await h.post('/api/v1/openposition', { apikey: h.key, strategy: 's', symbol, exchange, product })).body;
const order = (body: Record<string, unknown>) =>
  h.post('/api/v1/placeorder', { apikey: h.key, strategy: 's', exchange: 'NSE', symbol: 'SBIN', product: 'MIS', ...body });
const orders = async () =>
  ((await h.post('/api/v1/orderbook', { apikey: h.key })).body.data as { orders: Record<string, unknown>[] }).orders;

describe('placesmartorder', () => {
  it('moves the position to each target with one order for the difference', async () => {
    expect((await smart({ position_size: 100, quantity: 100 })).body).toMatchObject({ status: 'success', orderid: expect.any(String) });
    expect(await openQuantity()).toEqual({ status: 'success', quantity: 100 });
    expect((await smart({ action: 'SELL', position_size: -50, quantity: 10 })).status).toBe(200);
    expect(await openQuantity()).toEqual({ status: 'success', quantity: -50 });
    await smart({ position_size: 0 });
    expect(await openQuantity()).toEqual({ status: 'success', quantity: 0 });
    expect((await orders()).map((o) => [o.action, o.quantity])).toEqual([
      ['BUY', 50],
      ['SELL', 150],
      ['BUY', 100],
    ]);
  });

  it('does nothing when the position already matches, or when target, position and quantity are all 0', async () => {
    await smart({ position_size: 20, quantity: 20 });
    expect(await smart({ position_size: '20', quantity: '5' })).toEqual({
      status: 200,
      body: { status: 'success', message: 'Positions Already Matched. No Action needed.' },
    });
    expect((await smart({ symbol: 'INFY', position_size: 0, quantity: 0 })).body.message).toBe(
      'Positions Already Matched. No Action needed.',
    );
    expect(await orders()).toHaveLength(1);
  });

  it('behaves as a plain order when target and position are 0 and quantity is not', async () => {
    await smart({ action: 'SELL', position_size: 0, quantity: 7 });
    expect(await openQuantity()).toEqual({ status: 'success', quantity: -7 });
  });

  it('fifty simultaneous requests for the same target end in exactly that position, with one order', async () => {
    const replies = await Promise.all(Array.from({ length: 50 }, () => smart({ position_size: 100, quantity: 100 })));
    expect(replies.every((r) => r.status === 200)).toBe(true);
    expect(replies.filter((r) => typeof r.body.orderid === 'string')).toHaveLength(1);
    expect(await openQuantity()).toEqual({ status: 'success', quantity: 100 });
    expect(await orders()).toHaveLength(1);
  });

  it('validates like placeorder: position_size is required and the lot size applies to the difference', async () => {
    expect(await h.post('/api/v1/placesmartorder', { apikey: h.key, strategy: 's', exchange: 'NSE', symbol: 'SBIN', action: 'BUY', quantity: 1 })).toEqual({
      status: 400,
      body: { status: 'error', message: "{'position_size': ['Missing data for required field.']}" },
    });
    const reply = await smart({ exchange: 'NFO', symbol: future, product: 'NRML', position_size: 100 });
    expect(reply.body).toEqual({ status: 'error', message: 'Quantity must be in multiples of lot size 65' });
  });
});

describe('openposition', () => {
  it('is 0 for a position never held and for an exchange outside the list', async () => {
    expect(await openQuantity('INFY')).toEqual({ status: 'success', quantity: 0 });
    expect(await openQuantity('SBIN', 'NOWHERE')).toEqual({ status: 'success', quantity: 0 });
  });
});

describe('cancelallorder', () => {
  it('cancels open and trigger-pending orders and leaves the rest alone', async () => {
    const open = await order({ action: 'BUY', quantity: 1, pricetype: 'LIMIT', price: '700' });
    const pending = await order({ action: 'BUY', quantity: 1, pricetype: 'SL-M', trigger_price: '900' });
    await order({ action: 'BUY', quantity: 1 });
    const reply = await h.post('/api/v1/cancelallorder', { apikey: h.key, strategy: 'other' });
    expect(reply.body).toEqual({
      status: 'success',
      canceled_orders: [open.body.orderid, pending.body.orderid],
      failed_cancellations: [],
      message: 'Canceled 2 orders. Failed to cancel 0 orders.',
    });
    expect((await orders()).map((o) => o.order_status)).toEqual(['complete', 'cancelled', 'cancelled']);
    expect((await h.post('/api/v1/cancelallorder', { apikey: h.key, strategy: 'other' })).body.message).toBe(
      'Canceled 0 orders. Failed to cancel 0 orders.',
    );
  });
});

describe('closeposition', () => {
  it('squares off every position, slicing above the freeze quantity into whole lots', async () => {
    await order({ action: 'BUY', quantity: 10 });
    await order({ symbol: 'INFY', product: 'NRML', action: 'SELL', quantity: 4 });
    // NIFTY futures: lot 65, freeze 1800 → at most 1755 per order
    await order({ exchange: 'NFO', symbol: future, product: 'NRML', action: 'BUY', quantity: 1755 });
    await order({ exchange: 'NFO', symbol: future, product: 'NRML', action: 'BUY', quantity: 195 });

    expect((await h.post('/api/v1/closeposition', { apikey: h.key, strategy: 's' })).body).toEqual({
      status: 'success',
      message: 'All Open Positions Squared Off',
    });
    const positions = (await h.post('/api/v1/positionbook', { apikey: h.key })).body.data as Record<string, unknown>[];
    expect(positions.map((p) => [p.symbol, p.quantity])).toEqual([
      ['SBIN', 0],
      ['INFY', 0],
      [future, 0],
    ]);
    const squareOffs = (await orders()).filter((o) => o.strategy === 'Squareoff');
    expect(squareOffs.map((o) => [o.symbol, o.action, o.quantity, o.pricetype, o.order_status])).toEqual([
      [future, 'SELL', 195, 'MARKET', 'complete'],
      [future, 'SELL', 1755, 'MARKET', 'complete'],
      ['INFY', 'BUY', 4, 'MARKET', 'complete'],
      ['SBIN', 'SELL', 10, 'MARKET', 'complete'],
    ]);
  });

  it('says all open positions were squared off when nothing is open, as OpenAlgo does live', async () => {
    expect((await h.post('/api/v1/closeposition', { apikey: h.key, strategy: 's' })).body).toEqual({
      status: 'success',
      message: 'All Open Positions Squared Off',
    });
  });

  it("counts the positions it closed in analyzer mode, in OpenAlgo's sandbox words", async () => {
    await h.post('/api/v1/analyzer/toggle', { apikey: h.key, mode: true });
    const close = async () => (await h.post('/api/v1/closeposition', { apikey: h.key, strategy: 's' })).body;
    expect(await close()).toEqual({ status: 'success', message: 'No open positions to close', mode: 'analyze' });
    await order({ action: 'BUY', quantity: 10 });
    await order({ symbol: 'INFY', product: 'NRML', action: 'SELL', quantity: 4 });
    expect(await close()).toEqual({
      status: 'success',
      message: 'Closed 2 positions',
      closed_positions: 2,
      failed_closures: 0,
      mode: 'analyze',
    });
    const positions = (await h.post('/api/v1/positionbook', { apikey: h.key })).body.data as Record<string, unknown>[];
    expect(positions.map((p) => [p.symbol, p.quantity])).toEqual([
      ['SBIN', 0],
      ['INFY', 0],
    ]);
    // Closed today, flat now: nothing left to close.
    expect(await close()).toEqual({ status: 'success', message: 'No open positions to close', mode: 'analyze' });
  });

  describe('when a closing order is refused', () => {
    let g: Harness;
    beforeEach(async () => {
      g = await startGateway({ wrapBroker: (broker) => refusingSquareOffsOf('INFY', broker) });
      g.setPrice('SBIN', 'NSE', '800');
      g.setPrice('INFY', 'NSE', '1500');
    });
    afterEach(() => g.close());

    const placeIn = (body: Record<string, unknown>) =>
      g.post('/api/v1/placeorder', { apikey: g.key, strategy: 's', exchange: 'NSE', product: 'MIS', ...body });
    const closeIn = async () => (await g.post('/api/v1/closeposition', { apikey: g.key, strategy: 's' })).body;

    it('still closes the others and names the one it could not close, live', async () => {
      await placeIn({ symbol: 'SBIN', action: 'BUY', quantity: 10 });
      await placeIn({ symbol: 'INFY', action: 'BUY', quantity: 3 });
      expect(await closeIn()).toEqual({
        status: 'success',
        message: 'Closed 1 positions (Failed to close 1 positions)',
        closed_positions: 1,
        failed_closures: 1,
        failures: [{ symbol: 'INFY', exchange: 'NSE', product: 'MIS', message: 'INFY is suspended' }],
      });
      const positions = (await g.post('/api/v1/positionbook', { apikey: g.key })).body.data as Record<string, unknown>[];
      expect(positions.map((p) => [p.symbol, p.quantity])).toEqual([
        ['SBIN', 0],
        ['INFY', 3],
      ]);
    });

    it('reports it the same way in analyzer mode', async () => {
      await g.post('/api/v1/analyzer/toggle', { apikey: g.key, mode: true });
      await placeIn({ symbol: 'INFY', action: 'SELL', quantity: 2 });
      expect(await closeIn()).toEqual({
        status: 'success',
        message: 'Closed 0 positions (Failed to close 1 positions)',
        closed_positions: 0,
        failed_closures: 1,
        failures: [{ symbol: 'INFY', exchange: 'NSE', product: 'MIS', message: 'INFY is suspended' }],
        mode: 'analyze',
      });
    });
  });
});

/** The broker, but refusing the square-off orders of one symbol as a broker refuses a suspended scrip. */
function refusingSquareOffsOf(symbol: string, broker: Broker): Broker {
  return new Proxy(broker, {
    get(target, property) {
      if (property === 'placeOrder') {
        return async (request: OrderRequest) => {
          if (request.symbol === symbol && request.strategyTag === SQUARE_OFF_TAG) throw new InvalidOrder(`${symbol} is suspended`);
          return target.placeOrder(request);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
