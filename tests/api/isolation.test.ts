// Two accounts on one server: every v1 endpoint that names orders, positions, holdings or funds, tried with the other
// account's key, sees and changes nothing of the first account's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../../src/gateway/api-keys.js';
import { loadOrCreatePepper } from '../../src/gateway/pepper.js';
import { type Harness, startGateway } from './harness.js';

let h: Harness;
let other: string;
let restingId: string;
let filledId: string;

const api = (key: string, route: string, body: Record<string, unknown> = {}) => h.post(`/api/v1/${route}`, { apikey: key, ...body });
const order = { strategy: 'iso', exchange: 'NSE', symbol: 'SBIN', product: 'MIS', pricetype: 'MARKET', action: 'BUY', quantity: 10 };

beforeAll(async () => {
  h = await startGateway();
  h.setPrice('SBIN', 'NSE', '800');
  const account = await h.gateway.store.accounts.create('other', h.gateway.account.userId);
  other = (await issueApiKey(loadOrCreatePepper(h.dataDir), h.gateway.store.apiKeys, account.id, ['read', 'trade'])).key;
  filledId = (await api(h.key, 'placeorder', order)).body.orderid as string;
  restingId = (await api(h.key, 'placeorder', { ...order, pricetype: 'LIMIT', price: '700' })).body.orderid as string;
});
afterAll(() => h.close());

const ownBooks = async () => ({
  orders: (await api(h.key, 'orderbook')).body,
  trades: (await api(h.key, 'tradebook')).body,
  positions: (await api(h.key, 'positionbook')).body,
  funds: (await api(h.key, 'funds')).body,
});

describe("one account's key against another account's data", () => {
  it('reads see none of it', async () => {
    expect(((await api(other, 'orderbook')).body.data as { orders: unknown[] }).orders).toEqual([]);
    expect((await api(other, 'tradebook')).body.data).toEqual([]);
    expect((await api(other, 'positionbook')).body.data).toEqual([]);
    expect(((await api(other, 'holdings')).body.data as { holdings: unknown[] }).holdings).toEqual([]);
    expect((await api(other, 'funds')).body.data).toMatchObject({ m2mrealized: '0.00', m2munrealized: '0.00', utiliseddebits: '0.00' });
    expect((await api(other, 'openposition', { symbol: 'SBIN', exchange: 'NSE', product: 'MIS' })).body).toMatchObject({ quantity: 0 });
    for (const orderid of [filledId, restingId]) {
      expect(await api(other, 'orderstatus', { orderid, strategy: 'iso' })).toEqual({
        status: 404,
        body: { status: 'error', message: `Order ${orderid} not found` },
      });
    }
  });

  it('writes change none of it', async () => {
    const before = await ownBooks();
    const modify = { ...order, orderid: restingId, pricetype: 'LIMIT', price: '710', quantity: 10, disclosed_quantity: 0, trigger_price: 0 };
    expect((await api(other, 'modifyorder', modify)).status).toBe(404);
    expect((await api(other, 'cancelorder', { orderid: restingId, strategy: 'iso' })).status).toBe(404);
    expect((await api(other, 'cancelallorder', { strategy: 'iso' })).status).toBe(200);
    expect((await api(other, 'closeposition', { strategy: 'iso' })).status).toBe(200);
    // A smart order sizes against the caller's own (empty) position: it buys 5 for `other`, nothing for the owner.
    expect((await api(other, 'placesmartorder', { ...order, quantity: 5, position_size: 5 })).status).toBe(200);
    expect(await ownBooks()).toEqual(before);
    const status = (await api(h.key, 'orderstatus', { orderid: restingId, strategy: 'iso' })).body.data as { order_status: string };
    expect(status.order_status).toBe('open');
    const positions = (await api(other, 'positionbook')).body.data as { quantity: number }[];
    expect(positions.map((p) => p.quantity)).toEqual([5]);
  });
});
