import { describe, expect, it } from 'vitest';
import { SQUARE_OFF_TAG, closingOrders } from '../../src/domain/closing-orders.js';
import { dec, toString } from '../../src/domain/decimal.js';

const NIFTY_TERMS = { lotSize: dec(75), freezeQuantity: dec(1800) };

describe('closing orders', () => {
  it('close a short with MARKET buys sliced to the freeze quantity in whole lots, tagged Squareoff', () => {
    const orders = closingOrders('acc', { symbol: 'NIFTY29DEC26FUT', exchange: 'NFO', product: 'NRML', quantity: dec(-3750) }, NIFTY_TERMS);
    expect(orders.map((o) => ({ ...o, quantity: toString(o.quantity) }))).toEqual(
      ['1800', '1800', '150'].map((quantity) => ({
        accountId: 'acc',
        symbol: 'NIFTY29DEC26FUT',
        exchange: 'NFO',
        side: 'BUY',
        quantity,
        type: 'MARKET',
        product: 'NRML',
        timeInForce: 'DAY',
        strategyTag: 'Squareoff',
      })),
    );
    expect(SQUARE_OFF_TAG).toBe('Squareoff');
  });

  it('close a long with one sell when it is within the freeze quantity, and a flat position with none', () => {
    const terms = { lotSize: dec(1), freezeQuantity: dec(100000) };
    const long = closingOrders('acc', { symbol: 'SBIN', exchange: 'NSE', product: 'MIS', quantity: dec(10) }, terms);
    expect(long.map((o) => [o.side, toString(o.quantity), o.product])).toEqual([['SELL', '10', 'MIS']]);
    expect(closingOrders('acc', { symbol: 'SBIN', exchange: 'NSE', product: 'MIS', quantity: dec(0) }, terms)).toEqual([]);
  });
});
