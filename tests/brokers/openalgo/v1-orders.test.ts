// Orders both ways between the neutral model and OpenAlgo's v1: request bodies up, book and trade rows back as reports.
import { describe, expect, it } from 'vitest';
import { modifyOrderBody, orderReport, orderReports, placeOrderBody } from '../../../src/brokers/openalgo/v1-orders.js';
import type { OrderRow, TradeRow } from '../../../src/brokers/openalgo/v1-schemas.js';
import { UpstreamFailure } from '../../../src/brokers/openalgo/wire-values.js';
import { dec } from '../../../src/domain/decimal.js';
import { InvalidOrder } from '../../../src/domain/errors.js';
import type { Order, OrderRequest } from '../../../src/domain/order.js';

const NOW = Date.UTC(2026, 0, 7, 5, 0); // 10:30 IST
const PLACED_AT = Date.UTC(2026, 0, 7, 4, 30, 15); // 10:00:15 IST
const context = { accountId: 'acc', now: NOW };

const request = (fields: Partial<OrderRequest> = {}): OrderRequest => ({
  accountId: 'acc',
  symbol: 'SBIN',
  exchange: 'NSE',
  side: 'BUY',
  quantity: dec(10),
  type: 'LIMIT',
  limitPrice: dec('960.05'),
  product: 'MIS',
  timeInForce: 'DAY',
  ...fields,
});

const row = (fields: Partial<OrderRow> = {}): OrderRow => ({
  orderid: '26010700000001',
  symbol: 'SBIN',
  exchange: 'NSE',
  action: 'BUY',
  product: 'MIS',
  pricetype: 'LIMIT',
  quantity: 10,
  price: 960.05,
  trigger_price: 0,
  order_status: 'open',
  timestamp: '2026-01-07 10:00:15',
  average_price: 0,
  ...fields,
});

const trade = (fields: Partial<TradeRow> = {}): TradeRow => ({
  orderid: '26010700000001',
  symbol: 'SBIN',
  exchange: 'NSE',
  action: 'BUY',
  product: 'MIS',
  quantity: 4,
  average_price: 960.05,
  timestamp: '2026-01-07 10:05:00',
  ...fields,
});

describe('placeOrderBody', () => {
  it('says the order in v1 words, the strategy tag defaulting to Ordergate', () => {
    expect(placeOrderBody(request())).toEqual({
      strategy: 'Ordergate',
      exchange: 'NSE',
      symbol: 'SBIN',
      action: 'BUY',
      quantity: dec(10),
      pricetype: 'LIMIT',
      product: 'MIS',
      price: dec('960.05'),
      trigger_price: dec(0),
      disclosed_quantity: dec(0),
    });
  });

  it('sends SL-M with its trigger only and SL with both prices', () => {
    expect(placeOrderBody(request({ type: 'STOP', limitPrice: undefined, stopPrice: dec(950), strategyTag: 'swing' }))).toMatchObject({
      strategy: 'swing',
      pricetype: 'SL-M',
      price: dec(0),
      trigger_price: dec(950),
    });
    expect(placeOrderBody(request({ type: 'STOP_LIMIT', limitPrice: dec(951), stopPrice: dec(950) }))).toMatchObject({
      pricetype: 'SL',
      price: dec(951),
      trigger_price: dec(950),
    });
  });

  it('refuses a time in force other than DAY, which OpenAlgo cannot carry', () => {
    expect(() => placeOrderBody(request({ timeInForce: 'IOC' }))).toThrow(
      new InvalidOrder('An OpenAlgo upstream takes DAY orders only, not IOC'),
    );
  });
});

describe('modifyOrderBody', () => {
  const order: Order = {
    ...request({ disclosedQuantity: dec(2), strategyTag: 'swing' }),
    id: '26010700000001',
    status: 'open',
    filledQuantity: dec(0),
    averagePrice: dec(0),
    createdAt: PLACED_AT,
    updatedAt: PLACED_AT,
  };

  it('sends the whole order with the changes laid over it', () => {
    expect(modifyOrderBody(order, { limitPrice: dec('955.5'), quantity: dec(12) })).toEqual({
      strategy: 'swing',
      exchange: 'NSE',
      symbol: 'SBIN',
      orderid: '26010700000001',
      action: 'BUY',
      product: 'MIS',
      pricetype: 'LIMIT',
      price: dec('955.5'),
      quantity: dec(12),
      disclosed_quantity: dec(2),
      trigger_price: dec(0),
    });
  });

  it('drops the limit price when the order becomes SL-M', () => {
    expect(modifyOrderBody(order, { type: 'STOP', stopPrice: dec(940) })).toMatchObject({ pricetype: 'SL-M', price: dec(0), trigger_price: dec(940) });
  });
});

describe('orderReport', () => {
  it("reads Ordergate's rows: its filled quantity, its trade ids, the exact average of the fills", () => {
    const report = orderReport(
      row({ filled_quantity: 10, average_price: 960.08, order_status: 'complete', strategy: 'swing' }),
      [trade({ tradeid: 'T1', quantity: 4, average_price: 960.05 }), trade({ tradeid: 'T2', quantity: 6, average_price: 960.1 })],
      context,
    );
    expect(report.allFills).toBe(true);
    expect(report.order).toEqual({
      id: '26010700000001',
      accountId: 'acc',
      symbol: 'SBIN',
      exchange: 'NSE',
      side: 'BUY',
      quantity: dec(10),
      type: 'LIMIT',
      limitPrice: dec('960.05'),
      product: 'MIS',
      timeInForce: 'DAY',
      status: 'filled',
      filledQuantity: dec(10),
      averagePrice: dec('960.08'),
      strategyTag: 'swing',
      createdAt: PLACED_AT,
      updatedAt: Date.UTC(2026, 0, 7, 4, 35),
    });
    expect(report.fills.map((fill) => [fill.tradeId, fill.quantity, fill.price])).toEqual([
      ['T1', dec(4), dec('960.05')],
      ['T2', dec(6), dec('960.1')],
    ]);
    expect(report.fills[0]).toMatchObject({ orderId: '26010700000001', accountId: 'acc', side: 'BUY', product: 'MIS', at: Date.UTC(2026, 0, 7, 4, 35) });
  });

  it("names OpenAlgo's trade rows `<orderid>-<n>` in trade-book order, and takes a complete order as all filled", () => {
    const trades = [trade({ quantity: 4 }), trade({ orderid: 'OTHER', quantity: 1 }), trade({ quantity: 6, average_price: 960.1 })];
    const report = orderReport(row({ order_status: 'complete', average_price: 960.08 }), trades, context);
    expect(report.fills.map((fill) => fill.tradeId)).toEqual(['26010700000001-1', '26010700000001-2']);
    expect(report.order).toMatchObject({ status: 'filled', filledQuantity: dec(10), averagePrice: dec('960.08') });
  });

  it("takes the row's average when the trades do not make up the filled quantity", () => {
    const report = orderReport(row({ order_status: 'complete', average_price: 960.07 }), [], context);
    expect(report.order).toMatchObject({ status: 'filled', filledQuantity: dec(10), averagePrice: dec('960.07') });
    expect(report.fills).toEqual([]);
  });

  it('shows an open order with some fills as partially filled, never less filled than its trades', () => {
    const report = orderReport(row({ filled_quantity: 0 }), [trade({ quantity: 4 })], context);
    expect(report.order).toMatchObject({ status: 'partially_filled', filledQuantity: dec(4), averagePrice: dec('960.05') });
  });

  it("maps OpenAlgo's status words, and keeps the reason of a rejection", () => {
    const status = (order_status: string, fields: Partial<OrderRow> = {}) => orderReport(row({ order_status, ...fields }), [], context).order;
    expect(status('trigger pending', { pricetype: 'SL-M', trigger_price: 950 })).toMatchObject({ status: 'trigger_pending', type: 'STOP', stopPrice: dec(950) });
    expect(status('cancelled').status).toBe('cancelled');
    expect(status('rejected', { rejection_reason: 'Insufficient funds' })).toMatchObject({ status: 'rejected', rejectReason: 'Insufficient funds' });
    expect(status('open', { rejection_reason: '' }).rejectReason).toBeUndefined();
    expect(status('validation pending').status).toBe('pending');
  });

  it('gives back what the adapter remembers of orders it placed, and the time now to rows without one', () => {
    const placed = { clientOrderId: 'OG-1', disclosedQuantity: dec(2), strategyTag: 'swing' };
    const order = orderReport(row({ timestamp: undefined }), [], { ...context, placed }).order;
    expect(order).toMatchObject({ clientOrderId: 'OG-1', disclosedQuantity: dec(2), strategyTag: 'swing', createdAt: NOW, updatedAt: NOW });
  });

  it('refuses a row in words OpenAlgo does not use', () => {
    expect(() => orderReport(row({ exchange: 'NASDAQ' }), [], context)).toThrow(UpstreamFailure);
    expect(() => orderReport(row({ pricetype: 'STOP' }), [], context)).toThrow(UpstreamFailure);
  });
});

describe('orderReports', () => {
  it('reports every order of the book with its own fills', () => {
    const reports = orderReports(
      [row(), row({ orderid: 26010700000002, order_status: 'complete', filled_quantity: 4 })],
      [trade({ orderid: '26010700000002', tradeid: 'T9', quantity: 4 })],
      context,
      (orderId) => (orderId === '26010700000001' ? { clientOrderId: 'OG-1' } : undefined),
    );
    expect(reports.map((report) => [report.order.id, report.order.clientOrderId, report.fills.map((fill) => fill.tradeId)])).toEqual([
      ['26010700000001', 'OG-1', []],
      ['26010700000002', undefined, ['T9']],
    ]);
  });
});
