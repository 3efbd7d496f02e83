import { describe, expect, it } from 'vitest';
import { dec, toString } from '../../src/domain/decimal.js';
import type { ExchangeEvent } from '../../src/domain/events.js';
import type { Order } from '../../src/domain/order.js';
import { Ledger } from '../../src/exchange/ledger.js';

const order: Order = {
  id: 'o1',
  accountId: 'a',
  symbol: 'SBIN',
  exchange: 'NSE',
  side: 'BUY',
  quantity: dec(100),
  type: 'LIMIT',
  limitPrice: dec('99'),
  product: 'CNC',
  timeInForce: 'DAY',
  status: 'open',
  filledQuantity: dec(0),
  averagePrice: dec(0),
  createdAt: 1,
  updatedAt: 1,
};

const fill = (quantity: number, price: string, tradeId: string): ExchangeEvent => ({
  type: 'order.fill',
  accountId: 'a',
  at: 2,
  fill: { tradeId, orderId: 'o1', accountId: 'a', symbol: 'SBIN', exchange: 'NSE', product: 'CNC', side: 'BUY', quantity: dec(quantity), price: dec(price), at: 2 },
});

function ledgerWith(...events: ExchangeEvent[]): Ledger {
  const ledger = new Ledger(() => '2026-11-25');
  ledger.apply({ type: 'account.funded', accountId: 'a', amount: dec(100000), at: 0 });
  for (const event of events) ledger.apply(event);
  return ledger;
}

describe('ledger', () => {
  it('holds the margin an order blocks and releases it in proportion to fills', () => {
    const ledger = ledgerWith({ type: 'order.accepted', accountId: 'a', order, margin: dec(9900), at: 1 }, fill(30, '99', 't1'));
    expect(toString(ledger.blockedOrderMargin('a', 'INR'))).toBe('6930');
    const o = ledger.order('a', 'o1')!;
    expect([o.status, toString(o.filledQuantity), toString(o.averagePrice)]).toEqual(['partially_filled', '30', '99']);
    expect(ledger.working.has('o1')).toBe(true);
  });

  it('a full fill releases everything, ends working, and books the position', () => {
    const ledger = ledgerWith({ type: 'order.accepted', accountId: 'a', order, margin: dec(9900), at: 1 }, fill(40, '99', 't1'), fill(60, '98.5', 't2'));
    const o = ledger.order('a', 'o1')!;
    // (40 × 99 + 60 × 98.5) / 100 = 98.7
    expect([o.status, toString(o.averagePrice)]).toEqual(['filled', '98.7']);
    expect(toString(ledger.blockedOrderMargin('a', 'INR'))).toBe('0');
    expect(ledger.working.size).toBe(0);
    const position = ledger.position('a', 'SBIN', 'NSE', 'CNC');
    expect([toString(position.quantity), toString(position.openCost)]).toEqual(['100', '9870']);
    expect(ledger.account('a')!.trades.map((t) => t.tradeId)).toEqual(['t1', 't2']);
  });

  it('a cancel keeps the fills, frees the rest of the margin and records the reason', () => {
    const ledger = ledgerWith(
      { type: 'order.accepted', accountId: 'a', order, margin: dec(9900), at: 1 },
      fill(30, '99', 't1'),
      { type: 'order.cancelled', accountId: 'a', orderId: 'o1', reason: 'IOC order remainder cancelled', at: 3 },
    );
    const o = ledger.order('a', 'o1')!;
    expect([o.status, toString(o.filledQuantity), o.rejectReason]).toEqual(['cancelled', '30', 'IOC order remainder cancelled']);
    expect(toString(ledger.blockedOrderMargin('a', 'INR'))).toBe('0');
  });

  it('a trigger moves a stop order from trigger_pending to open', () => {
    const stop: Order = { ...order, type: 'STOP', limitPrice: undefined, stopPrice: dec('101'), status: 'trigger_pending' };
    const ledger = ledgerWith(
      { type: 'order.accepted', accountId: 'a', order: stop, margin: dec(10100), at: 1 },
      { type: 'order.triggered', accountId: 'a', orderId: 'o1', at: 2 },
    );
    expect(ledger.order('a', 'o1')!.status).toBe('open');
  });

  it('refuses events about orders it never saw', () => {
    expect(() => ledgerWith({ type: 'order.triggered', accountId: 'a', orderId: 'nope', at: 2 })).toThrow(
      'journal refers to unknown order nope',
    );
  });

  it('keeps the unfilled quantity of working orders per position and side through fills, modifications and cancels', () => {
    const unfilled = (l: Ledger) => toString(l.workingQuantity('a', 'SBIN', 'NSE', 'CNC', 'BUY'));
    const ledger = ledgerWith(
      { type: 'order.accepted', accountId: 'a', order, margin: dec(9900), at: 1 },
      { type: 'order.accepted', accountId: 'a', order: { ...order, id: 'o2', quantity: dec(5) }, margin: dec(495), at: 1 },
    );
    expect(unfilled(ledger)).toBe('105');
    ledger.apply(fill(30, '99', 't1'));
    expect(unfilled(ledger)).toBe('75');
    ledger.apply({ type: 'order.modified', accountId: 'a', orderId: 'o1', changes: { quantity: dec(50) }, margin: dec(1980), at: 3 });
    expect(unfilled(ledger)).toBe('25');
    ledger.apply(fill(20, '99', 't2'));
    expect(unfilled(ledger)).toBe('5');
    ledger.apply({ type: 'order.cancelled', accountId: 'a', orderId: 'o2', reason: '', at: 4 });
    expect(unfilled(ledger)).toBe('0');
    expect(toString(ledger.workingQuantity('a', 'SBIN', 'NSE', 'CNC', 'SELL'))).toBe('0');
    expect(toString(ledger.blockedOrderMargin('a', 'INR'))).toBe('0');
  });

  it('keeps deposits per currency: a deposit that names none is in rupees, as every journal before dollars', () => {
    const ledger = ledgerWith({ type: 'account.funded', accountId: 'a', amount: dec(2500), at: 1, currency: 'USD' });
    expect(toString(ledger.balance('a', 'INR').deposits)).toBe('100000');
    expect(toString(ledger.balance('a', 'USD').deposits)).toBe('2500');
    expect([...ledger.account('a')!.balances.keys()]).toEqual(['INR', 'USD']);
  });

  it('keeps the fills of each order, in the order they came', () => {
    const ledger = ledgerWith({ type: 'order.accepted', accountId: 'a', order, margin: dec(9900), at: 1 }, fill(40, '99', 't1'), fill(60, '98.5', 't2'));
    expect(ledger.fillsOf('a', 'o1').map((f) => f.tradeId)).toEqual(['t1', 't2']);
    expect(ledger.fillsOf('a', 'o2')).toEqual([]);
  });
});
