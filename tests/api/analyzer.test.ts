// Analyzer (sandbox) mode per account: /analyzer and /analyzer/toggle, orders routed to the sandbox exchange with its
// own funds, `"mode":"analyze"` on every answer, the request log, other accounts untouched, and a restart kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../../src/gateway/api-keys.js';
import { loadOrCreatePepper } from '../../src/gateway/pepper.js';
import type { AnalyzerLogRecord } from '../../src/store/store.js';
import { type Harness, startGateway } from './harness.js';

type Body = Record<string, unknown>;

let h: Harness;
let other: string;

const api = (key: string, route: string, body: Body = {}) => h.post(`/api/v1/${route}`, { apikey: key, ...body });
const order = { strategy: 'sandbox', exchange: 'NSE', symbol: 'SBIN', product: 'MIS', pricetype: 'MARKET', action: 'BUY', quantity: 10 };
const orderIds = async (key: string) =>
  ((await api(key, 'orderbook')).body.data as { orders: { orderid: string }[] }).orders.map((o) => o.orderid);
const funds = async (key: string) => (await api(key, 'funds')).body.data as Body;

beforeAll(async () => {
  h = await startGateway();
  h.setPrice('SBIN', 'NSE', '800');
  const account = await h.gateway.store.accounts.create('other', h.gateway.account.userId);
  other = (await issueApiKey(loadOrCreatePepper(h.dataDir), h.gateway.store.apiKeys, account.id, ['read', 'trade'])).key;
});
afterAll(() => h.close());

describe('analyzer mode', () => {
  let sandboxId: string;
  let liveFundsBefore: Body;

  it('is off by default', async () => {
    expect(await api(h.key, 'analyzer')).toEqual({
      status: 200,
      body: { status: 'success', data: { analyze_mode: false, mode: 'live', total_logs: 0 } },
    });
  });

  it('toggles on for the caller and routes its orders to the sandbox, tagged', async () => {
    liveFundsBefore = await funds(h.key);
    expect(await api(h.key, 'analyzer/toggle', { mode: true })).toEqual({
      status: 200,
      body: {
        status: 'success',
        data: { analyze_mode: true, mode: 'analyze', total_logs: 0, message: 'Analyzer mode switched to analyze' },
        mode: 'analyze',
      },
    });
    const placed = await api(h.key, 'placeorder', order);
    expect(placed.status).toBe(200);
    expect(placed.body).toMatchObject({ status: 'success', mode: 'analyze' });
    sandboxId = placed.body.orderid as string;
    expect(await orderIds(h.key)).toEqual([sandboxId]);
    expect(h.gateway.orders.orders(h.gateway.account.id)).toEqual([]);
    const sandboxFunds = await funds(h.key);
    expect(sandboxFunds).not.toEqual(liveFundsBefore);
    expect(sandboxFunds.utiliseddebits).not.toBe('0.00');
  });

  it('tags error answers too', async () => {
    const missing = await api(h.key, 'orderstatus', { orderid: 'nope' });
    expect(missing).toEqual({ status: 404, body: { status: 'error', message: 'Order nope not found', mode: 'analyze' } });
    const invalid = await api(h.key, 'placeorder', { ...order, quantity: undefined });
    expect(invalid.status).toBe(400);
    expect(invalid.body.mode).toBe('analyze');
  });

  it('leaves a second account live', async () => {
    expect((await api(other, 'analyzer')).body).toEqual({
      status: 'success',
      data: { analyze_mode: false, mode: 'live', total_logs: 0 },
    });
    const placed = await api(other, 'placeorder', order);
    expect(placed.body).not.toHaveProperty('mode');
    const otherId = (await h.gateway.store.accounts.listByName('other'))[0]?.id ?? '';
    expect(h.gateway.orders.orders(otherId).map((o) => o.id)).toEqual([placed.body.orderid]);
    expect(h.gateway.sandboxOrders.orders(otherId)).toEqual([]);
    expect(await orderIds(other)).toEqual([placed.body.orderid]);
  });

  it('counts every request made in analyzer mode', async () => {
    // toggle, placeorder, orderbook, funds, orderstatus and the invalid placeorder; this request is logged after.
    const status = await api(h.key, 'analyzer');
    expect(status.body).toEqual({
      status: 'success',
      data: { analyze_mode: true, mode: 'analyze', total_logs: 6 },
      mode: 'analyze',
    });
    const stored: AnalyzerLogRecord[] = [];
    for await (const entry of h.gateway.store.analyzerLogs.entries(h.gateway.account.id)) stored.push(entry);
    expect(stored).toHaveLength(7);
    expect(stored.every((row) => !row.request.includes('apikey'))).toBe(true);
    expect(stored[1]?.path).toBe('/api/v1/placeorder');
  });

  it('toggles off: live again, the sandbox order nowhere in the live book and live funds untouched', async () => {
    expect((await api(h.key, 'analyzer/toggle', { mode: false })).body).toEqual({
      status: 'success',
      data: { analyze_mode: false, mode: 'live', total_logs: 7, message: 'Analyzer mode switched to live' },
    });
    expect(await orderIds(h.key)).toEqual([]);
    expect(await funds(h.key)).toEqual(liveFundsBefore);
    const placed = await api(h.key, 'placeorder', order);
    expect(placed.body).not.toHaveProperty('mode');
    expect(await orderIds(h.key)).toEqual([placed.body.orderid]);
    expect((await api(h.key, 'analyzer')).body.data).toEqual({ analyze_mode: false, mode: 'live', total_logs: 7 });
  });

  it('needs the trade scope to toggle', async () => {
    const account = await h.gateway.store.accounts.create('reader', h.gateway.account.userId);
    const reader = (await issueApiKey(loadOrCreatePepper(h.dataDir), h.gateway.store.apiKeys, account.id, ['read'])).key;
    expect((await api(reader, 'analyzer')).status).toBe(200);
    expect(await api(reader, 'analyzer/toggle', { mode: true })).toEqual({
      status: 403,
      body: { status: 'error', message: "This API key lacks the 'trade' scope" },
    });
  });

  it('keeps the mode, the sandbox book and the log across a restart', async () => {
    await api(h.key, 'analyzer/toggle', { mode: true });
    const sandboxBefore = await orderIds(h.key);
    expect(sandboxBefore).toEqual([sandboxId]);
    const { dataDir } = h;
    await h.stop();
    h = await startGateway({ dataDir });
    h.setPrice('SBIN', 'NSE', '800');
    const status = await api(h.key, 'analyzer');
    expect(status.body.data).toEqual({ analyze_mode: true, mode: 'analyze', total_logs: 9 });
    expect(await orderIds(h.key)).toEqual(sandboxBefore);
    await api(h.key, 'analyzer/toggle', { mode: false });
    expect(await orderIds(h.key)).toHaveLength(1);
    expect(await orderIds(h.key)).not.toContain(sandboxId);
  });
});

describe('analyzer/toggle from the SDK', () => {
  let running: Harness | undefined;
  afterAll(() => running?.close());

  it("reads mode as marshmallow does: analyzertoggle(mode='True') switches on, 'off' back, 'maybe' is refused", async () => {
    const g = (running = await startGateway());
    const toggle = async (mode: unknown) => (await g.post('/api/v1/analyzer/toggle', { apikey: g.key, mode })).body;
    expect(await toggle('True')).toMatchObject({ status: 'success', data: { analyze_mode: true, mode: 'analyze' } });
    expect(await toggle('off')).toMatchObject({ status: 'success', data: { analyze_mode: false, mode: 'live' } });
    expect(await toggle('1')).toMatchObject({ data: { analyze_mode: true } });
    expect(await toggle('NO')).toMatchObject({ data: { analyze_mode: false } });
    expect(await toggle('maybe')).toEqual({ status: 'error', message: "{'mode': ['Not a valid boolean.']}" });
    expect(await toggle(2)).toEqual({ status: 'error', message: "{'mode': ['Not a valid boolean.']}" });
  });
});

describe('sandbox order ids', () => {
  const resting = { ...order, pricetype: 'LIMIT', price: 700, quantity: 1 };
  let running: Harness | undefined;
  afterAll(() => running?.close());

  it('are the live shape behind "SB-", so no sandbox id is ever a live one; orderstatus and cancelorder take them', async () => {
    const g = (running = await startGateway());
    g.setPrice('SBIN', 'NSE', '800');
    const on = (route: string, body: Body = {}) => g.post(`/api/v1/${route}`, { apikey: g.key, ...body });
    const live = await on('placeorder', resting);
    expect(live.body).toEqual({ status: 'success', orderid: '26112500000001' });
    await on('analyzer/toggle', { mode: true });
    const sandbox = await on('placeorder', resting);
    expect(sandbox.body).toEqual({ status: 'success', orderid: 'SB-26112500000001', mode: 'analyze' });

    const status = await on('orderstatus', { orderid: 'SB-26112500000001' });
    expect(status.status).toBe(200);
    expect(status.body.data).toMatchObject({ orderid: 'SB-26112500000001', order_status: 'open' });
    expect((await on('orderstatus', { orderid: '26112500000001' })).status).toBe(404);
    expect((await on('cancelorder', { orderid: 'SB-26112500000001' })).body).toEqual({
      status: 'success',
      orderid: 'SB-26112500000001',
      mode: 'analyze',
    });

    // The sequence goes on after a restart, which replays the sandbox journal.
    await g.stop();
    const again = (running = await startGateway({ dataDir: g.dataDir }));
    again.setPrice('SBIN', 'NSE', '800');
    const next = await again.post('/api/v1/placeorder', { apikey: again.key, ...resting });
    expect(next.body).toEqual({ status: 'success', orderid: 'SB-26112500000002', mode: 'analyze' });
  });
});
