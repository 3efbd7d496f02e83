// OrderRecord: the core's record of every broker's orders changes only by order events, each checked against the
// state machine (DESIGN §3.1); it finds orders by Ordergate id, the broker's id and the client's id, and forgets
// finished orders two days after they finished.
import { describe, expect, it } from 'vitest';
import { IllegalTransition, OrderRecord } from '../../src/core/order-record.js';
import { dec } from '../../src/domain/decimal.js';
import type { OrderEvent } from '../../src/domain/events.js';
import type { Order } from '../../src/domain/order.js';
import { T0, fill, order } from './builders.js';

const accepted = (placed: Order, at = placed.createdAt): OrderEvent => ({ type: 'order.accepted', accountId: placed.accountId, order: placed, at });
const filled = (of: Order, tradeId: string, quantity: number, price: string, at: number): OrderEvent => ({
  type: 'order.fill',
  accountId: of.accountId,
  fill: fill(of, tradeId, quantity, price, at),
  at,
});
const cancelled = (of: Order, reason: string, at: number): OrderEvent => ({ type: 'order.cancelled', accountId: of.accountId, orderId: of.id, reason, at });
const triggered = (of: Order, at: number): OrderEvent => ({ type: 'order.triggered', accountId: of.accountId, orderId: of.id, at });

function recordOf(...events: OrderEvent[]): OrderRecord {
  const record = new OrderRecord();
  for (const event of events) record.apply(event);
  return record;
}

function thrownBy(act: () => void): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  return expect.unreachable('it should have thrown');
}

const HOUR = 3600 * 1000;

describe('OrderRecord', () => {
  it("finds an accepted order by its id within its account, by its broker's id on its connection and by its client order id", () => {
    const placed = order();
    const record = recordOf(accepted(placed));
    expect(record.order('acc', '26112400000001')).toEqual(placed);
    expect(record.order('other', '26112400000001')).toBeUndefined();
    expect(record.has('26112400000001')).toBe(true);
    expect(record.byBrokerOrderId('paper', 'B-1')).toEqual(placed);
    expect(record.byBrokerOrderId('upstream', 'B-1')).toBeUndefined();
    expect(record.orderByClientId('acc', 'my-1')).toEqual(placed);
    expect(record.orderByClientId('other', 'my-1')).toBeUndefined();
    expect([...record.working()].map((o) => o.id)).toEqual(['26112400000001']);
  });

  it('keeps its own copy of an accepted order: changing the event afterwards changes nothing', () => {
    const placed = order();
    const record = recordOf(accepted(placed));
    placed.status = 'cancelled';
    expect(record.order('acc', '26112400000001')?.status).toBe('open');
  });

  it('a client order id names the latest order placed with it', () => {
    const record = recordOf(accepted(order()), cancelled(order(), '', T0 + 1), accepted(order({ id: '26112400000002', brokerOrderId: 'B-2' }), T0 + 2));
    expect(record.orderByClientId('acc', 'my-1')?.id).toBe('26112400000002');
  });

  it('two fills make the order partially filled, then filled, at the volume-weighted average price', () => {
    const placed = order();
    const record = recordOf(accepted(placed), filled(placed, 'T-1', 10, '100.05', T0 + 1_000));
    expect(record.order('acc', placed.id)).toMatchObject({
      status: 'partially_filled',
      filledQuantity: dec(10),
      averagePrice: dec('100.05'),
      updatedAt: T0 + 1_000,
    });
    record.apply(filled(placed, 'T-2', 30, '100.10', T0 + 2_000));
    // (10 × 100.05 + 30 × 100.10) / 40 = 4003.5 / 40
    expect(record.order('acc', placed.id)).toMatchObject({
      status: 'filled',
      filledQuantity: dec(40),
      averagePrice: dec('100.0875'),
      updatedAt: T0 + 2_000,
    });
    expect(record.fillsOf('acc', placed.id).map((f) => [f.tradeId, f.quantity, f.price])).toEqual([
      ['T-1', dec(10), dec('100.05')],
      ['T-2', dec(30), dec('100.10')],
    ]);
    expect([...record.fills('acc')]).toEqual(record.fillsOf('acc', placed.id));
    expect([...record.working()]).toEqual([]);
  });

  it('rounds an average that does not end in 8 digits half-even, as the paper ledger does', () => {
    const placed = order({ quantity: dec(3) });
    const record = recordOf(accepted(placed), filled(placed, 'T-1', 1, '100', T0), filled(placed, 'T-2', 2, '100.05', T0));
    // 300.10 / 3 = 100.0333333…
    expect(record.order('acc', placed.id)?.averagePrice).toBe(dec('100.03333333'));
  });

  it('a modification changes the terms; a LIMIT modified into a STOP waits for its trigger, and the trigger opens it', () => {
    const placed = order();
    const record = recordOf(accepted(placed), {
      type: 'order.modified',
      accountId: 'acc',
      orderId: placed.id,
      changes: { quantity: dec(50), limitPrice: dec('99.50') },
      at: T0 + 1_000,
    });
    expect(record.order('acc', placed.id)).toMatchObject({ status: 'open', quantity: dec(50), limitPrice: dec('99.50'), updatedAt: T0 + 1_000 });

    record.apply({ type: 'order.modified', accountId: 'acc', orderId: placed.id, changes: { type: 'STOP', stopPrice: dec(101) }, at: T0 + 2_000 });
    const stop = record.order('acc', placed.id);
    expect(stop).toMatchObject({ status: 'trigger_pending', type: 'STOP', stopPrice: dec(101), updatedAt: T0 + 2_000 });
    // A STOP has no limit price: the LIMIT's is gone.
    expect(stop).not.toHaveProperty('limitPrice');

    record.apply(triggered(placed, T0 + 3_000));
    expect(record.order('acc', placed.id)).toMatchObject({ status: 'open', updatedAt: T0 + 3_000 });
  });

  it("a cancellation ends a working order with its reason; an empty reason leaves none", () => {
    const first = order();
    const second = order({ id: '26112400000002', brokerOrderId: 'B-2', clientOrderId: 'my-2' });
    const record = recordOf(accepted(first), accepted(second), cancelled(first, 'Cancelled by the client', T0 + 5), cancelled(second, '', T0 + 6));
    expect(record.order('acc', first.id)).toMatchObject({ status: 'cancelled', rejectReason: 'Cancelled by the client', updatedAt: T0 + 5 });
    expect(record.order('acc', second.id)).toMatchObject({ status: 'cancelled', rejectReason: undefined, updatedAt: T0 + 6 });
  });

  it("records a rejected order as the broker rejected it, with its reason", () => {
    const refused = order({ status: 'rejected', rejectReason: 'Insufficient funds' });
    const record = recordOf({ type: 'order.rejected', accountId: 'acc', order: refused, at: T0 });
    expect(record.order('acc', refused.id)).toEqual(refused);
    expect([...record.working()]).toEqual([]);
  });

  describe('enforces the state machine: an illegal event throws IllegalTransition and changes nothing', () => {
    const placed = order();
    it.each<[string, OrderEvent[], OrderEvent, string]>([
      [
        'a fill on a cancelled order',
        [accepted(placed), cancelled(placed, 'Cancelled by the client', T0 + 1)],
        filled(placed, 'T-1', 10, '100.05', T0 + 2),
        'Order 26112400000001 cannot go from cancelled to partially_filled (order.fill)',
      ],
      [
        'a second acceptance of an id',
        [accepted(placed)],
        accepted(order({ brokerOrderId: 'B-9', clientOrderId: 'my-9' }), T0 + 1),
        'Order 26112400000001 cannot go from open to open (order.accepted)',
      ],
      [
        'an overfill',
        [accepted(placed), filled(placed, 'T-1', 30, '100.05', T0 + 1)],
        filled(placed, 'T-2', 20, '100.05', T0 + 2),
        'Order 26112400000001 cannot go from partially_filled to filled (order.fill)',
      ],
      [
        'a trigger of an open order',
        [accepted(placed)],
        triggered(placed, T0 + 1),
        'Order 26112400000001 cannot go from open to open (order.triggered)',
      ],
      [
        'a modification of a filled order',
        [accepted(placed), filled(placed, 'T-1', 40, '100.05', T0 + 1)],
        { type: 'order.modified', accountId: 'acc', orderId: placed.id, changes: { quantity: dec(50) }, at: T0 + 2 },
        'Order 26112400000001 cannot go from filled to unchanged (order.modified)',
      ],
      [
        'a partially filled LIMIT modified into a STOP',
        [accepted(placed), filled(placed, 'T-1', 10, '100.05', T0 + 1)],
        { type: 'order.modified', accountId: 'acc', orderId: placed.id, changes: { type: 'STOP', stopPrice: dec(101) }, at: T0 + 2 },
        'Order 26112400000001 cannot go from partially_filled to trigger_pending (order.modified)',
      ],
      [
        'a cancellation of an order the record does not have',
        [],
        cancelled(placed, '', T0 + 1),
        'Order 26112400000001 cannot go from unknown to unchanged (order.cancelled)',
      ],
      [
        'an acceptance of an order already pending',
        [],
        accepted(order({ status: 'pending' })),
        'Order 26112400000001 cannot go from pending to pending (order.accepted)',
      ],
    ])('%s', (_name, before, illegal, message) => {
      const record = recordOf(...before);
      const was = structuredClone(record.order('acc', placed.id));
      const fillsBefore = structuredClone(record.fillsOf('acc', placed.id));
      const error = thrownBy(() => record.apply(illegal));
      expect(error).toBeInstanceOf(IllegalTransition);
      expect(error).toMatchObject({ message, orderId: placed.id });
      expect(record.order('acc', placed.id)).toEqual(was);
      expect(record.fillsOf('acc', placed.id)).toEqual(fillsBefore);
    });
  });

  it('at the first event of a new session day forgets orders that finished over two days before, and keeps working ones', () => {
    // Session days begin at 03:00 IST; T0 is 09:30 IST on day 1.
    const early = order({ id: '26112400000001', brokerOrderId: 'B-1', clientOrderId: 'my-1' });
    const late = order({ id: '26112400000002', brokerOrderId: 'B-2', clientOrderId: 'my-2' });
    const working = order({ id: '26112400000003', brokerOrderId: 'B-3', clientOrderId: 'my-3' });
    const record = recordOf(
      accepted(early),
      accepted(late),
      accepted(working),
      filled(early, 'T-1', 40, '100.05', T0),
      cancelled(late, '', T0 + 30 * 60 * 1000),
    );

    // Day 3, 09:31 IST: `early` finished 48 h and 1 minute before; `late` (finished at 10:00 on day 1) not yet 48 h.
    const day3 = order({ id: '26112600000004', brokerOrderId: 'B-4', clientOrderId: 'my-4', createdAt: T0 + 48 * HOUR + 60_000 });
    record.apply(accepted(day3));
    expect(record.order('acc', early.id)).toBeUndefined();
    expect(record.has(early.id)).toBe(false);
    expect(record.byBrokerOrderId('paper', 'B-1')).toBeUndefined();
    expect(record.orderByClientId('acc', 'my-1')).toBeUndefined();
    expect(record.fillsOf('acc', early.id)).toEqual([]);
    expect([...record.orders('acc')].map((o) => o.id)).toEqual([late.id, working.id, day3.id]);

    // Later the same session day nothing more is forgotten, though `late` is now more than 48 h finished.
    record.apply(cancelled(day3, '', T0 + 49 * HOUR));
    expect([...record.orders('acc')].map((o) => o.id)).toEqual([late.id, working.id, day3.id]);

    // The next session day forgets `late`; the order that still works stays, however old.
    record.apply(accepted(order({ id: '26112700000005', brokerOrderId: 'B-5', clientOrderId: 'my-5', createdAt: T0 + 72 * HOUR })));
    expect([...record.orders('acc')].map((o) => o.id)).toEqual([working.id, day3.id, '26112700000005']);
    expect(record.byBrokerOrderId('paper', 'B-3')?.status).toBe('open');
  });
});
