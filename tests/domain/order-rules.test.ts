import { describe, expect, it } from 'vitest';
import { dec } from '../../src/domain/decimal.js';
import { InvalidOrder } from '../../src/domain/errors.js';
import type { Instrument } from '../../src/domain/instrument.js';
import {
  type OrderTerms,
  allowsFractionalQuantity,
  checkOrderTerms,
  checkStopAgainstMarket,
  fractionalQuantityMessage,
  stopTriggered,
} from '../../src/domain/order-rules.js';
import { equity, future } from '../exchange/builders.js';

const SBIN = equity('SBIN');
const NIFTYFUT = future('NIFTY29DEC26FUT');
const XRP = equity('XRPUSDFUT', { exchange: 'CRYPTO', instrumentType: 'PERPFUT', lotSize: dec('0.1'), tickSize: dec('0.0001') });
const NIFTY = equity('NIFTY', { exchange: 'NSE_INDEX', instrumentType: 'INDEX' });

const buy = (overrides: Partial<OrderTerms> = {}): OrderTerms => ({ side: 'BUY', quantity: dec(1), type: 'MARKET', product: 'MIS', ...overrides });

/** The InvalidOrder message the terms raise on the instrument, or undefined when they pass. */
function refusal(terms: OrderTerms, instrument: Instrument): string | undefined {
  try {
    checkOrderTerms(terms, instrument);
    return undefined;
  } catch (error) {
    if (!(error instanceof InvalidOrder)) throw error;
    return error.message;
  }
}

describe('order terms', () => {
  it('refuse orders on quote-only index venues', () => {
    expect(refusal(buy(), NIFTY)).toBe('NSE_INDEX is quote-only: indices cannot be traded');
  });

  it('want a positive quantity', () => {
    expect(refusal(buy({ quantity: dec(0) }), SBIN)).toBe('Quantity must be a positive number.');
    expect(refusal(buy({ quantity: dec(-5) }), SBIN)).toBe('Quantity must be a positive number.');
  });

  it('want whole units except on fractional venues', () => {
    expect(refusal(buy({ quantity: dec('1.5') }), SBIN)).toBe('Fractional quantity (1.5) is not allowed for non-crypto exchanges.');
    expect(refusal(buy({ quantity: dec('1.5'), product: 'NRML' }), XRP)).toBeUndefined();
    expect([allowsFractionalQuantity('CRYPTO'), allowsFractionalQuantity('NSE'), allowsFractionalQuantity('MCX')]).toEqual([true, false, false]);
    expect(fractionalQuantityMessage('1.9')).toBe('Fractional quantity (1.9) is not allowed for non-crypto exchanges.');
  });

  it('want whole lots within the freeze quantity', () => {
    expect(refusal(buy({ quantity: dec(30), product: 'NRML' }), NIFTYFUT)).toBe('Quantity must be in multiples of lot size 75');
    expect(refusal(buy({ quantity: dec('0.15'), product: 'NRML' }), XRP)).toBe('Quantity must be in multiples of lot size 0.1');
    expect(refusal(buy({ quantity: dec(1875), product: 'NRML' }), NIFTYFUT)).toBe(
      'Quantity 1875 exceeds the freeze quantity 1800 of NIFTY29DEC26FUT; split the order',
    );
    expect(refusal(buy({ quantity: dec(1e300) }), SBIN)).toBe('Quantity 1.00000e+300 exceeds the freeze quantity 100000 of SBIN; split the order');
  });

  it('keep the disclosed quantity within the order quantity', () => {
    expect(refusal(buy({ quantity: dec(10), disclosedQuantity: dec(11) }), SBIN)).toBe('Disclosed quantity cannot exceed the order quantity');
    expect(refusal(buy({ quantity: dec(10), disclosedQuantity: dec(10) }), SBIN)).toBeUndefined();
  });

  it('keep CNC for equity delivery', () => {
    expect(refusal(buy({ quantity: dec(75), product: 'CNC' }), NIFTYFUT)).toBe('CNC is for equity delivery; use NRML or MIS for NIFTY29DEC26FUT');
  });

  it('want a positive price and trigger on the tick grid where the type uses them', () => {
    expect(refusal(buy({ type: 'LIMIT' }), SBIN)).toBe('Price must be greater than 0 for this order type');
    expect(refusal(buy({ type: 'STOP', stopPrice: dec(0) }), SBIN)).toBe('Trigger price must be greater than 0 for this order type');
    expect(refusal(buy({ type: 'LIMIT', limitPrice: dec('100.03') }), SBIN)).toBe('Price 100.03 is not a multiple of the tick size 0.05');
    expect(refusal(buy({ type: 'STOP', stopPrice: dec('101.01') }), SBIN)).toBe('Trigger price 101.01 is not a multiple of the tick size 0.05');
    expect(refusal(buy({ type: 'LIMIT', limitPrice: dec('2.2001'), product: 'NRML' }), XRP)).toBeUndefined();
    // A MARKET order's stray price is not looked at.
    expect(refusal(buy({ limitPrice: dec('100.03') }), SBIN)).toBeUndefined();
  });

  it('keep an SL limit on the filling side of its trigger', () => {
    const sl = (side: 'BUY' | 'SELL', limit: string, stop: string) =>
      refusal(buy({ side, type: 'STOP_LIMIT', limitPrice: dec(limit), stopPrice: dec(stop) }), SBIN);
    expect(sl('BUY', '100.5', '101')).toBe('Price 100.5 must be at or above the trigger price 101 for a BUY SL order');
    expect(sl('SELL', '99.5', '99')).toBe('Price 99.5 must be at or below the trigger price 99 for a SELL SL order');
    expect([sl('BUY', '101', '101'), sl('SELL', '98.9', '99')]).toEqual([undefined, undefined]);
  });
});

describe('stops against the market', () => {
  it('refuse a trigger the last price has already reached', () => {
    expect(() => checkStopAgainstMarket({ side: 'BUY', type: 'STOP', stopPrice: dec('99') }, dec('100'))).toThrow(
      new InvalidOrder('Trigger price 99 must be above the last price 100 for a BUY stop order'),
    );
    expect(() => checkStopAgainstMarket({ side: 'SELL', type: 'STOP_LIMIT', stopPrice: dec('100') }, dec('100'))).toThrow(
      new InvalidOrder('Trigger price 100 must be below the last price 100 for a SELL stop order'),
    );
  });

  it('pass a trigger still ahead of the market, and orders that are not stops', () => {
    expect(() => checkStopAgainstMarket({ side: 'BUY', type: 'STOP', stopPrice: dec('100.05') }, dec('100'))).not.toThrow();
    expect(() => checkStopAgainstMarket({ side: 'BUY', type: 'LIMIT', stopPrice: dec('99') }, dec('100'))).not.toThrow();
  });

  it('trigger a buy at or above its trigger, a sell at or below', () => {
    expect([stopTriggered('BUY', dec(101), dec(101)), stopTriggered('BUY', dec(101), dec('100.95'))]).toEqual([true, false]);
    expect([stopTriggered('SELL', dec(99), dec(99)), stopTriggered('SELL', dec(99), dec('99.05'))]).toEqual([true, false]);
  });
});
