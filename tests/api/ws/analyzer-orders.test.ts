// Analyzer (sandbox) orders on the gateway's own /ws stream: a subscriber of an account in analyzer mode gets its
// sandbox orders as order_update frames tagged "mode":"analyze", each looked up in the sandbox exchange (whose order
// ids are the live sequence behind "SB-"), kept apart from the live updates in deduplication and off the live event bus.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournaledEvent } from '../../../src/domain/events.js';
import { issueApiKey } from '../../../src/gateway/api-keys.js';
import { loadOrCreatePepper } from '../../../src/gateway/pepper.js';
import { type Harness, startGateway } from '../harness.js';
import { type Message, TestClient } from './stream-harness.js';

let h: Harness;
let accountId: string;
let otherId: string;
let otherKey: string;
let client: TestClient;
let liveEvents: JournaledEvent[];
let sandboxEvents: JournaledEvent[];

const orderUpdate = (m: Message) => m.type === 'order_update';
const order = { strategy: 'ws-sandbox', exchange: 'NSE', symbol: 'SBIN', product: 'MIS' };
const api = (key: string, route: string, body: Record<string, unknown> = {}) => h.post(`/api/v1/${route}`, { apikey: key, ...body });
const place = (key: string, body: Record<string, unknown>) => api(key, 'placeorder', { ...order, ...body });
const toggle = async (mode: boolean) => expect((await api(h.key, 'analyzer/toggle', { mode })).status).toBe(200);

/** A client of the gateway's own /ws (as app.ts wires it), authenticated with `key` and subscribed to orders. */
async function orderSubscriber(key: string): Promise<TestClient> {
  const subscriber = await TestClient.open(`${h.url.replace(/^http/, 'ws')}/ws`);
  expect(await subscriber.request({ action: 'authenticate', api_key: key })).toMatchObject({ type: 'auth', status: 'success' });
  expect(await subscriber.request({ action: 'subscribe_orders' })).toMatchObject({ type: 'subscribe_orders', status: 'success' });
  return subscriber;
}

beforeAll(async () => {
  h = await startGateway();
  h.setPrice('SBIN', 'NSE', '800');
  accountId = h.gateway.account.id;
  otherId = (await h.gateway.store.accounts.create('other', h.gateway.account.userId)).id;
  otherKey = (await issueApiKey(loadOrCreatePepper(h.dataDir), h.gateway.store.apiKeys, otherId, ['read', 'trade'])).key;
  liveEvents = [];
  sandboxEvents = [];
  h.gateway.bus.subscribe((event) => liveEvents.push(event));
  h.gateway.analyzerBus.subscribe((event) => sandboxEvents.push(event));
  client = await orderSubscriber(h.key);
});
afterAll(async () => {
  await client.close();
  await h.close();
});

describe('analyzer orders on the WebSocket', () => {
  let liveId: string;
  let sandboxLimitId: string;

  it('a live order placed before the toggle shows with mode live', async () => {
    const placed = await place(h.key, { action: 'BUY', quantity: 1, pricetype: 'LIMIT', price: '700' });
    expect(placed.body).toMatchObject({ status: 'success' });
    liveId = placed.body.orderid as string;
    expect(await client.take(orderUpdate)).toMatchObject({ mode: 'live', orderid: liveId, order_status: 'open', price: 700 });
  });

  it('an identical sandbox order shows too, tagged analyze, under an id of its own', async () => {
    await toggle(true);
    const placed = await place(h.key, { action: 'BUY', quantity: 1, pricetype: 'LIMIT', price: '700' });
    expect(placed.body).toMatchObject({ status: 'success', mode: 'analyze' });
    sandboxLimitId = placed.body.orderid as string;
    // Each exchange numbers its orders from one; the sandbox's ids carry its prefix, so they never meet the live ones.
    expect(sandboxLimitId).toBe(`SB-${liveId}`);
    expect(await client.take(orderUpdate)).toEqual({
      type: 'order_update',
      user_id: accountId,
      mode: 'analyze',
      broker: 'paper',
      orderid: sandboxLimitId,
      symbol: 'SBIN',
      exchange: 'NSE',
      action: 'BUY',
      quantity: 1,
      price: 700,
      trigger_price: 0,
      pricetype: 'LIMIT',
      product: 'MIS',
      order_status: 'open',
      filled_quantity: 0,
      pending_quantity: 1,
      average_price: 0,
      rejection_reason: '',
    });
  });

  it('a sandbox MARKET order shows open, then complete, both tagged analyze', async () => {
    const placed = await place(h.key, { action: 'BUY', quantity: 10, pricetype: 'MARKET' });
    const orderid = placed.body.orderid as string;
    expect(await client.take(orderUpdate)).toMatchObject({ mode: 'analyze', orderid, order_status: 'open', quantity: 10 });
    expect(await client.take(orderUpdate)).toMatchObject({
      mode: 'analyze',
      orderid,
      order_status: 'complete',
      filled_quantity: 10,
      pending_quantity: 0,
      average_price: 800.05,
    });
    expect((await client.settle()).filter(orderUpdate)).toEqual([]);
  });

  it('cancelling the sandbox order is looked up in the sandbox: cancelled there, the live twin still open', async () => {
    expect((await api(h.key, 'cancelorder', { orderid: sandboxLimitId })).body).toMatchObject({ status: 'success', mode: 'analyze' });
    expect(await client.take(orderUpdate)).toMatchObject({
      mode: 'analyze',
      orderid: sandboxLimitId,
      order_status: 'cancelled',
      quantity: 1,
      price: 700,
    });
    expect(h.gateway.orders.getOrder(accountId, liveId).status).toBe('open');
    expect((await client.settle()).filter(orderUpdate)).toEqual([]);
  });

  it('sandbox events stay off the live bus', () => {
    expect(liveEvents.filter((event) => event.type.startsWith('order.'))).toHaveLength(1);
    expect(liveEvents[liveEvents.length - 1]).toMatchObject({ type: 'order.accepted', order: { id: liveId } });
    expect(sandboxEvents.map((event) => event.type)).toEqual([
      'order.accepted',
      'order.accepted',
      'order.fill',
      'order.cancelled',
    ]);
  });

  it("another account's live orders are not shown; it sees its own, untagged", async () => {
    const stranger = await orderSubscriber(otherKey);
    const placed = await place(otherKey, { action: 'SELL', quantity: 1, pricetype: 'LIMIT', price: '900' });
    expect(placed.body).toMatchObject({ status: 'success' });
    expect(placed.body.mode).toBeUndefined();
    expect(await stranger.take(orderUpdate)).toMatchObject({ mode: 'live', user_id: otherId, orderid: placed.body.orderid });
    // And the first account's sandbox orders are not shown to the other account.
    await place(h.key, { action: 'SELL', quantity: 1, pricetype: 'LIMIT', price: '900' });
    expect(await client.take(orderUpdate)).toMatchObject({ mode: 'analyze', user_id: accountId, action: 'SELL' });
    expect((await stranger.settle()).filter(orderUpdate)).toEqual([]);
    expect((await client.settle()).filter(orderUpdate)).toEqual([]);
    await stranger.close();
  });

  it('after toggling off, live updates come with mode live, while a resting sandbox order still fills tagged analyze', async () => {
    const resting = await place(h.key, { action: 'BUY', quantity: 1, pricetype: 'LIMIT', price: '790' });
    const restingId = resting.body.orderid as string;
    expect(await client.take(orderUpdate)).toMatchObject({ mode: 'analyze', orderid: restingId, order_status: 'open' });
    await toggle(false);

    const placed = await place(h.key, { action: 'BUY', quantity: 2, pricetype: 'LIMIT', price: '701' });
    expect(placed.body.mode).toBeUndefined();
    const orderid = placed.body.orderid as string;
    expect(await client.take(orderUpdate)).toMatchObject({ mode: 'live', orderid, order_status: 'open', quantity: 2, price: 701 });
    await api(h.key, 'cancelorder', { orderid });
    expect(await client.take(orderUpdate)).toMatchObject({ mode: 'live', orderid, order_status: 'cancelled' });

    h.setPrice('SBIN', 'NSE', '789');
    h.tick();
    expect(await client.take(orderUpdate)).toMatchObject({
      mode: 'analyze',
      orderid: restingId,
      order_status: 'complete',
      average_price: 790,
    });
    h.setPrice('SBIN', 'NSE', '800');
    expect((await client.settle()).filter(orderUpdate)).toEqual([]);
  });
});
