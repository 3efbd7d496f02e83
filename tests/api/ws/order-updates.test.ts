// Order updates on the stream: orders placed, modified, cancelled, triggered and rejected over the REST API reach the
// sockets of their account that sent subscribe_orders, as OpenAlgo order_update frames with exact values.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StreamHarness, TEST_KEY, type TestClient, startStreamGateway } from './stream-harness.js';

let h: StreamHarness;
let accountId: string;
beforeAll(async () => {
  h = await startStreamGateway();
  accountId = h.gateway.account.id;
  h.setPrice('SBIN', 'NSE', '800');
});
afterAll(() => h.close());

const orderUpdate = (m: Record<string, unknown>) => m.type === 'order_update';

function place(body: Record<string, unknown>) {
  return h.post('/api/v1/placeorder', { apikey: TEST_KEY, strategy: 'ws', exchange: 'NSE', symbol: 'SBIN', product: 'MIS', ...body });
}

async function orderSubscriber(): Promise<TestClient> {
  const client = await h.connectAuthenticated();
  expect(await client.request({ action: 'subscribe_orders' })).toEqual({
    type: 'subscribe_orders',
    status: 'success',
    message: 'Subscribed to order updates',
    user_id: accountId,
    broker: 'paper',
  });
  return client;
}

describe('order updates', () => {
  it('a MARKET order placed over REST shows open, then complete with its fill', async () => {
    const client = await orderSubscriber();
    const placed = await place({ action: 'BUY', quantity: 10, pricetype: 'MARKET' });
    expect(placed.body).toMatchObject({ status: 'success' });
    const base = {
      type: 'order_update',
      user_id: accountId,
      mode: 'live',
      broker: 'paper',
      orderid: placed.body.orderid,
      symbol: 'SBIN',
      exchange: 'NSE',
      action: 'BUY',
      quantity: 10,
      price: 0,
      trigger_price: 0,
      pricetype: 'MARKET',
      product: 'MIS',
      rejection_reason: '',
    };
    expect(await client.take(orderUpdate)).toEqual({
      ...base,
      order_status: 'open',
      filled_quantity: 0,
      pending_quantity: 10,
      average_price: 0,
    });
    expect(await client.take(orderUpdate)).toEqual({
      ...base,
      order_status: 'complete',
      filled_quantity: 10,
      pending_quantity: 0,
      average_price: 800.05, // the frozen ladder's best ask
    });
    expect(await client.settle()).toEqual([]);
    await client.close();
  });

  it('a resting LIMIT order: placed, modified, cancelled', async () => {
    const client = await orderSubscriber();
    const placed = await place({ action: 'BUY', quantity: 1, pricetype: 'LIMIT', price: '700' });
    const orderid = placed.body.orderid;
    expect(await client.take(orderUpdate)).toMatchObject({ orderid, order_status: 'open', price: 700, quantity: 1, pending_quantity: 1 });

    const modified = await h.post('/api/v1/modifyorder', {
      apikey: TEST_KEY, orderid, strategy: 'ws', exchange: 'NSE', symbol: 'SBIN', action: 'BUY', product: 'MIS',
      pricetype: 'LIMIT', price: '701', quantity: 2,
    });
    expect(modified.body).toMatchObject({ status: 'success' });
    expect(await client.take(orderUpdate)).toMatchObject({ orderid, order_status: 'open', price: 701, quantity: 2, pending_quantity: 2 });

    await h.post('/api/v1/cancelorder', { apikey: TEST_KEY, orderid });
    expect(await client.take(orderUpdate)).toMatchObject({ orderid, order_status: 'cancelled', pending_quantity: 0, filled_quantity: 0 });
    await client.close();
  });

  it('an SL-M order shows trigger pending, then complete when the matching loop triggers it', async () => {
    const client = await orderSubscriber();
    const placed = await place({ action: 'BUY', quantity: 1, pricetype: 'SL-M', trigger_price: '810' });
    const orderid = placed.body.orderid;
    expect(await client.take(orderUpdate)).toMatchObject({ orderid, order_status: 'trigger pending', trigger_price: 810, pricetype: 'SL-M' });
    h.setPrice('SBIN', 'NSE', '810');
    h.gateway.exchange.tick();
    expect(await client.take(orderUpdate)).toMatchObject({ orderid, order_status: 'complete', filled_quantity: 1, average_price: 810.05 });
    h.setPrice('SBIN', 'NSE', '800');
    await client.close();
  });

  it('an order refused for funds shows rejected with the reason', async () => {
    const client = await orderSubscriber();
    const placed = await place({ action: 'BUY', quantity: 50000, pricetype: 'LIMIT', price: '800', product: 'CNC' });
    expect(placed.status).toBe(400);
    const update = await client.take(orderUpdate);
    expect(update).toMatchObject({ order_status: 'rejected', quantity: 50000, pending_quantity: 0 });
    expect(update.rejection_reason).toMatch(/^Insufficient funds/);
    await client.close();
  });

  it('every subscribed socket of the account gets the update; unsubscribe_orders and other accounts do not', async () => {
    const first = await orderSubscriber();
    const second = await orderSubscriber();
    const stopped = await orderSubscriber();
    expect(await stopped.request({ action: 'unsubscribe_orders' })).toMatchObject({ type: 'unsubscribe_orders', status: 'success' });
    const unsubscribed = await h.connectAuthenticated();

    const user = h.gateway.account.userId;
    const other = await h.gateway.store.accounts.create('other', user);
    const stranger = await h.connect();
    await stranger.request({ action: 'authenticate', api_key: await h.issueKey(['read', 'trade'], other.id) });
    expect(await stranger.request({ action: 'subscribe_orders' })).toMatchObject({ user_id: other.id });

    const placed = await place({ action: 'SELL', quantity: 1, pricetype: 'LIMIT', price: '900' });
    for (const client of [first, second]) {
      expect(await client.take(orderUpdate)).toMatchObject({ orderid: placed.body.orderid, order_status: 'open', action: 'SELL' });
    }
    for (const client of [stopped, unsubscribed, stranger]) expect((await client.settle()).filter(orderUpdate)).toEqual([]);
    await Promise.all([first, second, stopped, unsubscribed, stranger].map((c) => c.close()));
    await h.drained();
    expect(h.stream.stats()).toMatchObject({ orderSubscribers: 0, listeningToBus: false });
  });
});
