// What a broker's report of an order means for the core's record: the events of an order new to the record
// (newOrderEvents) and of one it has (updateEvents), each legal for the record to apply.
import { describe, expect, it } from 'vitest';
import { OrderRecord } from '../../src/core/order-record.js';
import { newOrderEvents, updateEvents } from '../../src/core/report-events.js';
import { ZERO, dec } from '../../src/domain/decimal.js';
import type { OrderEvent } from '../../src/domain/events.js';
import type { Fill, Order } from '../../src/domain/order.js';
import { T0, fill, order, report } from './builders.js';

/** When the core takes the report in. */
const AT = T0 + 9_000;
const OUR_ID = '26112400000007';
const IDENTITY = { id: OUR_ID, accountId: 'acc', clientOrderId: 'my-7', broker: 'paper' };

/** The order as the broker has it: its id B-7, the core's id as its client order id. */
function brokerOrder(overrides: Partial<Order> = {}): Order {
  return order({ id: 'B-7', clientOrderId: OUR_ID, broker: undefined, brokerOrderId: undefined, updatedAt: T0 + 5, ...overrides });
}

/** A fill the broker made of B-7. */
const brokerFill = (tradeId: string, quantity: number, price: string, at = T0 + 5): Fill => fill(brokerOrder(), tradeId, quantity, price, at);

/** The same fill as the record keeps it: of Ordergate's order. */
const recordedFill = (tradeId: string, quantity: number, price: string, at = T0 + 5): Fill =>
  fill(order({ id: OUR_ID }), tradeId, quantity, price, at);

/** The working order as the record had it before the report: accepted, then the given fills. */
function recorded(overrides: Partial<Order>, fills: Fill[] = []): { current: Order; record: OrderRecord } {
  const record = new OrderRecord();
  const placed = order({ id: OUR_ID, clientOrderId: 'my-7', brokerOrderId: 'B-7', ...overrides });
  record.apply({ type: 'order.accepted', accountId: 'acc', order: placed, at: T0 });
  for (const f of fills) record.apply({ type: 'order.fill', accountId: 'acc', fill: f, at: f.at });
  return { current: record.order('acc', OUR_ID)!, record };
}

/** Applies the events to a record holding the order as it was; returns the order as it ends. */
function applied(record: OrderRecord, events: readonly OrderEvent[]): Order | undefined {
  for (const event of events) record.apply(event);
  return record.order('acc', OUR_ID);
}

/** What newOrderEvents records of the broker's order before the report's fills: Ordergate's order, as accepted. */
function acceptedAs(overrides: Partial<Order>): OrderEvent {
  return { type: 'order.accepted', accountId: 'acc', order: ourOrder(overrides), at: AT };
}

/** The broker's MARKET BUY 30 SBIN as Ordergate records it, before any fill. */
function ourOrder(overrides: Partial<Order>): Order {
  return {
    accountId: 'acc',
    symbol: 'SBIN',
    exchange: 'NSE',
    side: 'BUY',
    quantity: dec(30),
    type: 'MARKET',
    product: 'MIS',
    timeInForce: 'DAY',
    clientOrderId: 'my-7',
    id: OUR_ID,
    status: 'open',
    filledQuantity: ZERO,
    averagePrice: ZERO,
    createdAt: T0,
    updatedAt: T0,
    broker: 'paper',
    brokerOrderId: 'B-7',
    ...overrides,
  };
}

describe('newOrderEvents', () => {
  it('a MARKET order that filled in two fills: accepted (open), then each fill, on Ordergate’s order', () => {
    const filledMarket = brokerOrder({
      type: 'MARKET',
      limitPrice: undefined,
      quantity: dec(30),
      status: 'filled',
      filledQuantity: dec(30),
      averagePrice: dec('100.08333333'),
    });
    const events = newOrderEvents(report(filledMarket, [brokerFill('X-1', 10, '100.05'), brokerFill('X-2', 20, '100.10')]), IDENTITY, AT);
    expect(events).toEqual([
      acceptedAs({}),
      { type: 'order.fill', accountId: 'acc', fill: recordedFill('X-1', 10, '100.05'), at: AT },
      { type: 'order.fill', accountId: 'acc', fill: recordedFill('X-2', 20, '100.10'), at: AT },
    ]);
    const record = new OrderRecord();
    // (10 × 100.05 + 20 × 100.10) / 30 = 3002.5 / 30
    expect(applied(record, events)).toMatchObject({ status: 'filled', filledQuantity: dec(30), averagePrice: dec('100.08333333') });
  });

  it('a rejected order: one rejection with the broker’s reason, and nothing else', () => {
    const refused = brokerOrder({ status: 'rejected', rejectReason: 'Insufficient funds: required 4004, available 100' });
    expect(newOrderEvents(report(refused, []), IDENTITY, AT)).toEqual([
      {
        type: 'order.rejected',
        accountId: 'acc',
        order: {
          ...ourOrder({ type: 'LIMIT', quantity: dec(40), limitPrice: dec('100.10') }),
          status: 'rejected',
          rejectReason: 'Insufficient funds: required 4004, available 100',
          updatedAt: T0 + 5,
        },
        at: AT,
      },
    ]);
  });

  it('a stop that triggered and filled: accepted (trigger pending), triggered, then its fill', () => {
    const stop = brokerOrder({
      type: 'STOP',
      limitPrice: undefined,
      stopPrice: dec(101),
      quantity: dec(30),
      status: 'filled',
      filledQuantity: dec(30),
      averagePrice: dec('101.05'),
    });
    const events = newOrderEvents(report(stop, [brokerFill('X-1', 30, '101.05')]), IDENTITY, AT);
    expect(events).toEqual([
      acceptedAs({ type: 'STOP', stopPrice: dec(101), status: 'trigger_pending' }),
      { type: 'order.triggered', accountId: 'acc', orderId: OUR_ID, at: AT },
      { type: 'order.fill', accountId: 'acc', fill: recordedFill('X-1', 30, '101.05'), at: AT },
    ]);
  });

  it('marks the acceptance and the fills it takes in as reconciled when reconciling', () => {
    const filledMarket = brokerOrder({ type: 'MARKET', limitPrice: undefined, quantity: dec(30), status: 'filled', filledQuantity: dec(30), averagePrice: dec('100.05') });
    const events = newOrderEvents(report(filledMarket, [brokerFill('X-1', 30, '100.05')]), IDENTITY, AT, true);
    expect(events).toEqual([
      { ...acceptedAs({}), reconciled: true },
      { type: 'order.fill', accountId: 'acc', fill: recordedFill('X-1', 30, '100.05'), at: AT, reconciled: true },
    ]);
  });
});

describe('updateEvents', () => {
  it('applies only the fills the record lacks: known trade ids are skipped', () => {
    const { current, record } = recorded({ quantity: dec(30) }, [recordedFill('X-1', 10, '100.05')]);
    const broker = brokerOrder({ quantity: dec(30), status: 'filled', filledQuantity: dec(30), averagePrice: dec('100.08333333') });
    const events = updateEvents(current, record.fillsOf('acc', OUR_ID), report(broker, [brokerFill('X-1', 10, '100.05'), brokerFill('X-2', 20, '100.10', T0 + 7)]), AT);
    expect(events).toEqual([{ type: 'order.fill', accountId: 'acc', fill: recordedFill('X-2', 20, '100.10', T0 + 7), at: AT }]);
    expect(applied(record, events)).toMatchObject({ status: 'filled', filledQuantity: dec(30), averagePrice: dec('100.08333333') });
  });

  it('a modification at the broker: one modified event with the terms that changed', () => {
    const { current, record } = recorded({ quantity: dec(30), limitPrice: dec(99) });
    const broker = brokerOrder({ quantity: dec(50), limitPrice: dec('98.50'), status: 'open' });
    const events = updateEvents(current, [], report(broker, []), AT);
    expect(events).toEqual([
      { type: 'order.modified', accountId: 'acc', orderId: OUR_ID, changes: { quantity: dec(50), limitPrice: dec('98.50') }, at: AT },
    ]);
    expect(applied(record, events)).toMatchObject({ status: 'open', quantity: dec(50), limitPrice: dec('98.50') });
  });

  it('a cancellation at the broker: cancelled with the broker’s reason (marked reconciled when reconciling)', () => {
    const { current, record } = recorded({});
    const broker = brokerOrder({ status: 'cancelled', rejectReason: 'Cancelled at the broker terminal' });
    expect(updateEvents(current, [], report(broker, []), AT, true)).toEqual([
      { type: 'order.cancelled', accountId: 'acc', orderId: OUR_ID, reason: 'Cancelled at the broker terminal', at: AT, reconciled: true },
    ]);
    const events = updateEvents(current, [], report(broker, []), AT);
    expect(events).toEqual([{ type: 'order.cancelled', accountId: 'acc', orderId: OUR_ID, reason: 'Cancelled at the broker terminal', at: AT }]);
    expect(applied(record, events)).toMatchObject({ status: 'cancelled', rejectReason: 'Cancelled at the broker terminal' });
  });

  it('a rejection after acceptance ends the order cancelled, saying the broker rejected it and why', () => {
    const { current, record } = recorded({});
    const broker = brokerOrder({ status: 'rejected', rejectReason: 'RMS: margin shortfall of 120.50' });
    const events = updateEvents(current, [], report(broker, []), AT);
    expect(events).toEqual([
      { type: 'order.cancelled', accountId: 'acc', orderId: OUR_ID, reason: 'Rejected by the broker: RMS: margin shortfall of 120.50', at: AT },
    ]);
    expect(applied(record, events)?.status).toBe('cancelled');
  });

  it('reconciling, a report of every fill that still shows more filled: one reconciled fill at the price that makes the broker’s average', () => {
    const { current, record } = recorded({ quantity: dec(30) }, [recordedFill('X-1', 10, '100.05')]);
    const broker = brokerOrder({ quantity: dec(30), status: 'filled', filledQuantity: dec(30), averagePrice: dec('100.1') });
    // An ordinary update makes up nothing: a broker's trade book may lag its order status.
    expect(updateEvents(current, record.fillsOf('acc', OUR_ID), report(broker, [brokerFill('X-1', 10, '100.05')]), AT)).toEqual([]);
    const events = updateEvents(current, record.fillsOf('acc', OUR_ID), report(broker, [brokerFill('X-1', 10, '100.05')]), AT, true);
    // 30 × 100.1 = 3003 in all; 10 × 100.05 = 1000.5 known; the missing 20 cost 2002.5, 100.125 each.
    expect(events).toEqual([
      { type: 'order.fill', accountId: 'acc', fill: { ...recordedFill('B-7-R2', 20, '100.125', AT) }, at: AT, reconciled: true },
    ]);
    expect(applied(record, events)).toMatchObject({ status: 'filled', filledQuantity: dec(30), averagePrice: dec('100.1') });
  });

  it('an update about some fills only (not every fill) never invents the rest', () => {
    const { current } = recorded({ quantity: dec(30) });
    const broker = brokerOrder({ quantity: dec(30), status: 'filled', filledQuantity: dec(30), averagePrice: dec('100.1') });
    expect(updateEvents(current, [], report(broker, [], false), AT)).toEqual([]);
  });

  it('no events when the report says nothing the record does not know', () => {
    const { current, record } = recorded({ quantity: dec(30) }, [recordedFill('X-1', 10, '100.05')]);
    const broker = brokerOrder({ quantity: dec(30), status: 'partially_filled', filledQuantity: dec(10), averagePrice: dec('100.05') });
    expect(updateEvents(current, record.fillsOf('acc', OUR_ID), report(broker, [brokerFill('X-1', 10, '100.05')]), AT)).toEqual([]);
  });
});
