// Order events from the bus to order_update frames: per account, deduplicated, listening only while subscribed.
import { describe, expect, it } from 'vitest';
import { OrderStream } from '../../../src/api/ws/order-stream.js';
import { InProcessEventBus } from '../../../src/core/event-bus.js';
import { ZERO, dec } from '../../../src/domain/decimal.js';
import type { Order } from '../../../src/domain/order.js';

const order = (changes: Partial<Order> = {}): Order => ({
  id: 'o1',
  accountId: 'acc',
  symbol: 'SBIN',
  exchange: 'NSE',
  side: 'BUY',
  quantity: dec(10),
  type: 'LIMIT',
  limitPrice: dec(700),
  product: 'MIS',
  timeInForce: 'DAY',
  status: 'open',
  filledQuantity: ZERO,
  averagePrice: ZERO,
  createdAt: 0,
  updatedAt: 0,
  ...changes,
});

function setup() {
  const bus = new InProcessEventBus((error) => {
    throw error;
  });
  let current = order();
  const stream = new OrderStream({ bus, broker: 'paper', getOrder: () => current, onError: () => undefined });
  const frames: Array<Record<string, unknown>> = [];
  const sink = (frame: Buffer) => frames.push(JSON.parse(frame.toString()) as Record<string, unknown>);
  return { bus, stream, frames, sink, set: (o: Order) => (current = o) };
}

describe('OrderStream', () => {
  it('sends the accepted order as decided, later events as the order stands, each version once', () => {
    const { bus, stream, frames, sink, set } = setup();
    stream.subscribe('acc', sink);
    bus.publish({ type: 'order.accepted', accountId: 'acc', order: order(), margin: ZERO, at: 0, seq: 1 });
    const filled = order({ status: 'filled', filledQuantity: dec(10), averagePrice: dec(700) });
    set(filled);
    const fill = { tradeId: 't', orderId: 'o1', accountId: 'acc', symbol: 'SBIN', exchange: 'NSE' as const, product: 'MIS' as const, side: 'BUY' as const, price: dec(700), at: 0 };
    bus.publish({ type: 'order.fill', accountId: 'acc', fill: { ...fill, quantity: dec(4) }, at: 0, seq: 2 });
    bus.publish({ type: 'order.fill', accountId: 'acc', fill: { ...fill, quantity: dec(6) }, at: 0, seq: 3 });
    expect(frames.map((f) => [f.order_status, f.filled_quantity])).toEqual([
      ['open', 0],
      ['complete', 10],
    ]);
  });

  it('a modification that changes only the price is a new version', () => {
    const { bus, stream, frames, sink, set } = setup();
    stream.subscribe('acc', sink);
    bus.publish({ type: 'order.accepted', accountId: 'acc', order: order(), margin: ZERO, at: 0, seq: 1 });
    set(order({ limitPrice: dec(701) }));
    bus.publish({ type: 'order.modified', accountId: 'acc', orderId: 'o1', changes: {}, margin: ZERO, at: 0, seq: 2 });
    expect(frames.map((f) => f.price)).toEqual([700, 701]);
  });

  it('ignores other accounts and account events, and listens to the bus only while someone is subscribed', () => {
    const { bus, stream, frames, sink } = setup();
    expect(stream.stats()).toEqual({ subscribers: 0, listening: false });
    const stop = stream.subscribe('acc', sink);
    bus.publish({ type: 'order.accepted', accountId: 'other', order: order({ accountId: 'other' }), margin: ZERO, at: 0, seq: 1 });
    bus.publish({ type: 'account.funded', accountId: 'acc', amount: dec(1), at: 0, seq: 2 });
    expect(frames).toEqual([]);
    expect(stream.stats()).toEqual({ subscribers: 1, listening: true });
    stop();
    stop();
    expect(stream.stats()).toEqual({ subscribers: 0, listening: false });
  });
});
