// Idempotency-Key: retries return the first answer and place nothing new, even concurrently and across restarts.
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startGateway } from './harness.js';

let h: Harness;
afterEach(() => h.close());

const order = { strategy: 'i', exchange: 'NSE', symbol: 'SBIN', action: 'BUY', quantity: 1, product: 'MIS' };

async function place(key: string | undefined, body: Record<string, unknown> = order) {
  const response = await fetch(`${h.url}/api/v1/placeorder`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key === undefined ? {} : { 'idempotency-key': key }) },
    body: JSON.stringify({ apikey: h.key, ...body }),
  });
  return {
    status: response.status,
    replayed: response.headers.get('idempotent-replayed'),
    body: (await response.json()) as Record<string, unknown>,
  };
}
const orderCount = async () =>
  ((await h.post('/api/v1/orderbook', { apikey: h.key })).body.data as { orders: unknown[] }).orders.length;

describe('Idempotency-Key', () => {
  it('a retry returns the first answer, marked as replayed, and places nothing', async () => {
    h = await startGateway();
    const first = await place('retry-1');
    const second = await place('retry-1');
    expect(first).toMatchObject({ status: 200, replayed: null });
    expect(second).toEqual({ status: 200, replayed: 'true', body: first.body });
    expect(await orderCount()).toBe(1);
    expect((await place('retry-2')).body.orderid).not.toBe(first.body.orderid);
    await place(undefined);
    await place(undefined);
    expect(await orderCount()).toBe(4);
  });

  it('twenty simultaneous requests with one key place one order and all get its id', async () => {
    h = await startGateway();
    const replies = await Promise.all(Array.from({ length: 20 }, () => place('burst')));
    const ids = new Set(replies.map((r) => r.body.orderid));
    expect(ids.size).toBe(1);
    expect(replies.filter((r) => r.replayed === 'true')).toHaveLength(19);
    expect(await orderCount()).toBe(1);
  });

  it('reads are answered afresh: a quote with a key shows the price of now, and nothing is stored', async () => {
    h = await startGateway();
    const quote = async () => {
      const response = await fetch(`${h.url}/api/v1/quotes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'read-1' },
        body: JSON.stringify({ apikey: h.key, symbol: 'SBIN', exchange: 'NSE' }),
      });
      return { replayed: response.headers.get('idempotent-replayed'), ltp: ((await response.json()) as { data: { ltp: number } }).data.ltp };
    };
    h.setPrice('SBIN', 'NSE', '800');
    expect(await quote()).toEqual({ replayed: null, ltp: 800 });
    h.setPrice('SBIN', 'NSE', '801.5');
    // Past the quote cache's few milliseconds (ORDERGATE_QUOTE_CACHE_MS), as any later poll would be.
    h.clock.advance(1000);
    expect(await quote()).toEqual({ replayed: null, ltp: 801.5 });
  });

  it('a key reused for a different request is 422; an over-long key is 400', async () => {
    h = await startGateway();
    await place('same');
    expect(await place('same', { ...order, quantity: 2 })).toMatchObject({
      status: 422,
      body: { status: 'error', message: 'Idempotency-Key was already used for a different request' },
    });
    expect((await place('x'.repeat(256))).status).toBe(400);
    expect(await orderCount()).toBe(1);
  });

  it('the first answer survives a restart', async () => {
    h = await startGateway();
    const first = await place('durable');
    await h.stop();
    h = await startGateway({ dataDir: h.dataDir });
    expect(await place('durable')).toEqual({ status: 200, replayed: 'true', body: first.body });
    expect(await orderCount()).toBe(1);
  });
});
