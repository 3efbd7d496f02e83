// Event encoding: the journal's JSON text of every event type, byte for byte what journals already hold (decimals as
// `{"$d": units}` in their place, absent optional fields left out) for objects built in their declared field order,
// and decoded back to the same event whatever the order of their fields.
import { describe, expect, it } from 'vitest';
import { dec } from '../../src/domain/decimal.js';
import { type ExchangeEvent, decodeEvent, encodeEvent } from '../../src/domain/events.js';
import type { Fill, Order } from '../../src/domain/order.js';

const AT = 1_764_000_000_000;

/** How journals were first written: JSON.stringify with a replacer tagging every bigint. */
function replacerEncoding(event: ExchangeEvent): string {
  return JSON.stringify(event, (_key, value: unknown) => (typeof value === 'bigint' ? { $d: value.toString() } : value));
}

function order(overrides: Partial<Order> = {}): Order {
  return {
    accountId: 'acc-1',
    symbol: 'SBIN',
    exchange: 'NSE',
    side: 'BUY',
    quantity: dec('12.5'),
    type: 'STOP_LIMIT',
    limitPrice: dec('960.12345678'),
    stopPrice: dec('959.00000001'),
    product: 'MIS',
    timeInForce: 'DAY',
    disclosedQuantity: dec(0),
    strategyTag: 'grid "α"\\1',
    id: '25112400000001',
    status: 'pending',
    filledQuantity: dec(0),
    averagePrice: dec('-0.00000001'),
    createdAt: AT,
    updatedAt: AT + 1,
    ...overrides,
  };
}

const fill: Fill = {
  tradeId: 't-1',
  orderId: '25112400000001',
  accountId: 'acc-1',
  symbol: 'NIFTY25DEC24000CE',
  exchange: 'NFO',
  product: 'NRML',
  side: 'SELL',
  quantity: dec('75'),
  price: dec('-123456789.87654321'),
  at: AT,
};

const EVENTS: Record<ExchangeEvent['type'], ExchangeEvent> = {
  'account.funded': { type: 'account.funded', accountId: 'acc-1', amount: dec('-1000000000000.00000001'), at: AT },
  'order.accepted': { type: 'order.accepted', accountId: 'acc-1', order: order(), margin: dec('0.12345678'), at: AT },
  'order.rejected': {
    type: 'order.rejected',
    accountId: 'acc-1',
    // As the exchange builds them: optional fields present but undefined, which JSON leaves out.
    order: order({ status: 'rejected', rejectReason: 'Insufficient funds', limitPrice: undefined, stopPrice: undefined, type: 'MARKET' }),
    at: AT,
  },
  'order.triggered': { type: 'order.triggered', accountId: 'acc-1', orderId: '25112400000001', at: AT },
  'order.fill': { type: 'order.fill', accountId: 'acc-1', fill, at: AT },
  'order.modified': {
    type: 'order.modified',
    accountId: 'acc-1',
    orderId: '25112400000001',
    changes: { quantity: dec(3), limitPrice: dec('0.00000001'), stopPrice: undefined },
    margin: dec(0),
    at: AT,
  },
  'order.cancelled': { type: 'order.cancelled', accountId: 'acc-1', orderId: '25112400000001', reason: '', at: AT },
  'session.rolled': { type: 'session.rolled', accountId: 'acc-1', day: '2025-11-24', at: AT },
};

describe('encodeEvent', () => {
  it.each(Object.entries(EVENTS))('encodes %s byte for byte as the replacer encoding did', (_type, event) => {
    expect(encodeEvent(event)).toBe(replacerEncoding(event));
  });

  it('tags each decimal with its units, signs and zero included', () => {
    expect(encodeEvent(EVENTS['account.funded'])).toBe(
      '{"type":"account.funded","accountId":"acc-1","amount":{"$d":"-100000000000000000001"},"at":1764000000000}',
    );
    expect(encodeEvent(EVENTS['order.modified'])).toBe(
      '{"type":"order.modified","accountId":"acc-1","orderId":"25112400000001",' +
        '"changes":{"quantity":{"$d":"300000000"},"limitPrice":{"$d":"1"}},"margin":{"$d":"0"},"at":1764000000000}',
    );
  });

  it.each(Object.entries(EVENTS))('decodes %s back to the same event', (_type, event) => {
    expect(decodeEvent(encodeEvent(event))).toEqual(event);
  });

  it('writes orders and fills field by field: every field, in the declared order, whatever order they were built in', () => {
    const { id, status: _status, filledQuantity, averagePrice, createdAt, updatedAt, ...request } = order();
    // Every field, in the declared order (the request's, then the order's own).
    const full: Order = { ...request, clientOrderId: 'c-1', id, status: 'rejected', filledQuantity, averagePrice, createdAt, updatedAt, rejectReason: 'no' };
    const shuffled = Object.fromEntries(Object.entries(full).reverse()) as unknown as Order;
    const rejected: ExchangeEvent = { type: 'order.rejected', accountId: 'acc-1', order: shuffled, at: AT };
    expect(encodeEvent(rejected)).toBe(replacerEncoding({ ...rejected, order: full }));
    expect(decodeEvent(encodeEvent(rejected))).toEqual(rejected);
    const reversedFill = Object.fromEntries(Object.entries(fill).reverse()) as unknown as Fill;
    const filled: ExchangeEvent = { type: 'order.fill', accountId: 'acc-1', fill: reversedFill, at: AT };
    expect(encodeEvent(filled)).toBe(replacerEncoding(EVENTS['order.fill']));
  });

  it('writes values as JSON does: non-finite numbers as null, properties without a JSON value left out', () => {
    const odd = { ...order(), createdAt: Number.NaN, strategyTag: (() => 'x') as unknown as string };
    const event: ExchangeEvent = { type: 'order.accepted', accountId: 'acc-1', order: odd, margin: dec(1), at: Infinity };
    expect(encodeEvent(event)).toBe(replacerEncoding(event));
  });
});
