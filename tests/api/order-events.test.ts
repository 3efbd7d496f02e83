// Every order state change the core records reaches the event bus, in order, with the account's sequence numbers (the
// paper exchange's own account events, such as funding, are its private state and stay off the bus).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournaledEvent } from '../../src/domain/events.js';
import { type Harness, startGateway } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startGateway();
  h.setPrice('SBIN', 'NSE', '800');
});
afterAll(() => h.close());

describe('order events on the bus', () => {
  it('a fill, a rest, a modification, a cancel and a trigger are published in commit order', async () => {
    const seen: JournaledEvent[] = [];
    const unsubscribe = h.gateway.bus.subscribe((event) => seen.push(event));
    const post = (path: string, body: Record<string, unknown>) =>
      h.post(`/api/v1/${path}`, { apikey: h.key, strategy: 'e', exchange: 'NSE', symbol: 'SBIN', product: 'MIS', ...body });
    await post('placeorder', { action: 'BUY', quantity: 1 });
    const resting = await post('placeorder', { action: 'BUY', quantity: 1, pricetype: 'LIMIT', price: '700' });
    await post('modifyorder', { orderid: resting.body.orderid, action: 'BUY', quantity: 2, pricetype: 'LIMIT', price: '701' });
    await h.post('/api/v1/cancelorder', { apikey: h.key, orderid: resting.body.orderid });
    const stop = await post('placeorder', { action: 'BUY', quantity: 1, pricetype: 'SL-M', trigger_price: '810' });
    h.setPrice('SBIN', 'NSE', '810');
    h.tick();
    // The matching pass's events reach the core once the exchange's commit is durable, and the bus once the core's is.
    await h.gateway.exchange.whenDurable();
    await h.gateway.store.orderJournal.whenDurable();
    unsubscribe();

    expect(seen.map((e) => e.type)).toEqual([
      'order.accepted',
      'order.fill',
      'order.accepted',
      'order.modified',
      'order.cancelled',
      'order.accepted',
      'order.triggered',
      'order.fill',
    ]);
    const seqs = seen.map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    expect(seen.every((e) => e.accountId === h.gateway.account.id)).toBe(true);
    expect(seen.at(-1)).toMatchObject({ type: 'order.fill', fill: { orderId: stop.body.orderid } });
  });
});
