// An account whose broker is an OpenAlgo-compatible upstream (here a second Ordergate, a child process with its own
// port and data folder), as a user sets it up: the connection added and the account bound through the admin API, then
// orders placed, modified and cancelled through /api/v1. They show in the books and on the WebSocket order stream
// under Ordergate's ids, survive a restart of either side, and a fill the upstream made while this gateway was down is
// taken in at its next start.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type UpstreamOrdergate, startUpstream } from '../brokers/contract/upstream-ordergate.js';
import { type Harness, TEST_KEY, login, postJson, requestJson, startGateway } from './harness.js';
import { TestClient } from './ws/stream-harness.js';

const ORDER_ID = /^\d{14}$/;
const RESTING = { strategy: 'up', exchange: 'NSE', symbol: 'SBIN', product: 'MIS', action: 'BUY', pricetype: 'LIMIT', quantity: 1, price: 100 };

let upstream: UpstreamOrdergate;
let h: Harness;
let accountId: string;

beforeAll(async () => {
  upstream = await startUpstream();
  h = await startGateway();
  accountId = h.gateway.account.id;
  const token = (await login(h.url)).access_token;
  const added = await requestJson(h.url, 'POST', '/api/admin/brokers', {
    token,
    body: { name: 'home', kind: 'openalgo', base_url: upstream.url, api_key: upstream.apiKey },
  });
  expect(added.status).toBe(201);
  const bound = await requestJson(h.url, 'PUT', `/api/admin/accounts/${accountId}/broker`, { token, body: { broker: added.body.id } });
  expect(bound.status).toBe(200);
}, 60_000);

afterAll(async () => {
  await h?.close();
  await upstream?.stop();
});

const v1 = (route: string, body: Record<string, unknown> = {}) => postJson(h.url, `/api/v1/${route}`, { apikey: TEST_KEY, ...body });
const up = (route: string, body: Record<string, unknown> = {}) => postJson(upstream.url, `/api/v1/${route}`, { apikey: upstream.apiKey, ...body });
const statusOf = async (orderid: string) => ((await v1('orderstatus', { orderid })).body.data ?? {}) as Record<string, unknown>;
const upstreamOrders = async () => ((await up('orderbook')).body.data as { orders: Array<Record<string, unknown>> }).orders;
const brokerIdOf = (orderid: string) => h.gateway.orders.getOrder(accountId, orderid).brokerOrderId as string;

async function restartGateway(): Promise<void> {
  await h.stop();
  h = await startGateway({ dataDir: h.dataDir });
}

describe('an account on an OpenAlgo upstream', () => {
  let resting: string;

  it('places through /api/v1: the order has an Ordergate id here and the upstream\'s own id there', async () => {
    const stream = await TestClient.open(`${h.url.replace(/^http/, 'ws')}/ws`);
    stream.send({ action: 'authenticate', api_key: TEST_KEY });
    // The stream's market is the paper exchange's: this account is told so, and is never sent simulated prices.
    expect(await stream.take((m) => m.type === 'auth')).toMatchObject({ supported_features: { ltp: false, quote: false, depth: false } });
    expect(await stream.request({ action: 'subscribe', symbols: [{ symbol: 'SBIN', exchange: 'NSE' }], mode: 1 })).toMatchObject({
      // OpenAlgo's word for a subscription with any failed symbol, even when none succeeded.
      status: 'partial',
      subscriptions: [{ symbol: 'SBIN', status: 'error', message: expect.stringMatching(/^Market data is not streamed for accounts on broker connections/) }],
    });
    expect(await stream.request({ action: 'subscribe_orders' })).toMatchObject({ status: 'success' });

    const placed = await v1('placeorder', RESTING);
    expect(placed).toMatchObject({ status: 200, body: { status: 'success' } });
    resting = placed.body.orderid as string;
    expect(resting).toMatch(ORDER_ID);
    expect(await statusOf(resting)).toMatchObject({ orderid: resting, order_status: 'open', price: 100, quantity: 1 });

    const there = await upstreamOrders();
    expect(there).toHaveLength(1);
    expect(there[0]).toMatchObject({ orderid: brokerIdOf(resting), symbol: 'SBIN', price: 100, order_status: 'open' });
    expect(await stream.take((m) => m.type === 'order_update')).toMatchObject({ orderid: resting, order_status: 'open', broker: 'openalgo' });
    stream.socket.terminate();
    // The connection's circuit is watched under its name, beside the paper ones.
    expect(await (await fetch(`${h.url}/metrics`)).text()).toMatch(/^ordergate_broker_circuit_state\{broker="home"\} 0$/m);
  });

  it('modifies and cancels it there, through the same id', async () => {
    const modified = await v1('modifyorder', { ...RESTING, orderid: resting, quantity: 2, price: 101 });
    expect(modified).toMatchObject({ status: 200, body: { status: 'success', orderid: resting } });
    expect(await statusOf(resting)).toMatchObject({ order_status: 'open', price: 101, quantity: 2 });
    expect((await up('orderstatus', { orderid: brokerIdOf(resting) })).body.data).toMatchObject({ price: 101, quantity: 2 });

    expect((await v1('cancelorder', { orderid: resting })).body).toMatchObject({ status: 'success', orderid: resting });
    expect(await statusOf(resting)).toMatchObject({ order_status: 'cancelled' });
    expect((await up('orderstatus', { orderid: brokerIdOf(resting) })).body.data).toMatchObject({ order_status: 'cancelled' });
  });

  it('a MARKET order fills there, and the fill is in this gateway\'s trade book under its id', async () => {
    const placed = await v1('placeorder', { ...RESTING, pricetype: 'MARKET', price: 0 });
    const orderid = placed.body.orderid as string;
    expect(await statusOf(orderid)).toMatchObject({ order_status: 'complete', filled_quantity: 1 });
    const trades = ((await v1('tradebook')).body.data as Array<Record<string, unknown>>).filter((row) => row.orderid === orderid);
    expect(trades).toHaveLength(1);
    expect(trades[0]).toMatchObject({ orderid, quantity: 1, action: 'BUY' });
    const positions = (await v1('positionbook')).body.data as Array<Record<string, unknown>>;
    expect(positions).toEqual([expect.objectContaining({ symbol: 'SBIN', exchange: 'NSE', quantity: 1 })]);
  });

  it('keeps every order, id and state across a restart of this gateway', async () => {
    const before = (await v1('orderbook')).body.data;
    await restartGateway();
    expect((await v1('orderbook')).body.data).toEqual(before);
  }, 60_000);

  it('takes in at its next start a fill the upstream made while this gateway was down', async () => {
    const placed = await v1('placeorder', RESTING);
    const orderid = placed.body.orderid as string;
    const upstreamId = brokerIdOf(orderid);
    await h.stop();
    // The user trades at the upstream directly meanwhile: the order is made marketable there and fills.
    const moved = await up('modifyorder', { ...RESTING, orderid: upstreamId, price: 2000 });
    expect(moved.body).toMatchObject({ status: 'success' });
    expect((await up('orderstatus', { orderid: upstreamId })).body.data).toMatchObject({ order_status: 'complete' });

    h = await startGateway({ dataDir: h.dataDir });
    expect(await statusOf(orderid)).toMatchObject({ orderid, order_status: 'complete', filled_quantity: 1, price: 2000 });
    const trades = ((await v1('tradebook')).body.data as Array<Record<string, unknown>>).filter((row) => row.orderid === orderid);
    expect(trades).toHaveLength(1);
  }, 60_000);

  it('goes on after a restart of the upstream: the orders are there, and new ones are placed', async () => {
    const before = (await v1('orderbook')).body.data;
    upstream = await upstream.restart(async () => {
      // Down, and this gateway restarted meanwhile: the books are Ordergate's own and answer; orders wait with a 503.
      await restartGateway();
      expect((await v1('orderbook')).body.data).toEqual(before);
      expect(await v1('placeorder', RESTING)).toMatchObject({ status: 503, body: { status: 'error', message: expect.stringMatching(/^Broker home .* does not answer/) } });
    });
    expect((await v1('orderbook')).body.data).toEqual(before);
    await vi.waitFor(async () => expect((await v1('placeorder', RESTING)).status).toBe(200), { timeout: 20_000, interval: 250 });
    const orders = ((await v1('orderbook')).body.data as { orders: Array<{ order_status: string }> }).orders;
    expect(orders[0]).toMatchObject({ order_status: 'open' });
  }, 60_000);
});
