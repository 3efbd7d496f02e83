// The GTT model's pure rules (domain/gtt.ts): which leg a last price fires, expiry, the child order, and the checks a
// GTT must pass to rest on its instrument. SBIN ticks 0.05 with lot 1; the NIFTY future
// (tests/exchange/builders.ts) has lot 75.
import { describe, expect, it } from 'vitest';
import { type Decimal, dec } from '../../src/domain/decimal.js';
import { InvalidOrder } from '../../src/domain/errors.js';
import {
  GTT_LIFETIME_MS,
  type Gtt,
  type GttLeg,
  type GttSpec,
  checkGtt,
  childOrder,
  firingLeg,
  gttExpiry,
  gttId,
  isExpired,
} from '../../src/domain/gtt.js';
import type { Instrument } from '../../src/domain/instrument.js';
import { equity, future } from '../exchange/builders.js';

const SBIN = equity('SBIN');
const NIFTYFUT = future('NIFTY29DEC26FUT');
const T0 = Date.UTC(2026, 10, 25, 4, 30);

const below = (trigger: string, price = trigger): GttLeg => ({ direction: 'below', triggerPrice: dec(trigger), price: dec(price) });
const above = (trigger: string, price = trigger): GttLeg => ({ direction: 'above', triggerPrice: dec(trigger), price: dec(price) });

function spec(overrides: Partial<GttSpec> = {}): GttSpec {
  return {
    accountId: 'acc-1',
    strategy: 'swing',
    triggerType: 'single',
    symbol: 'SBIN',
    exchange: 'NSE',
    side: 'BUY',
    quantity: dec(10),
    product: 'CNC',
    orderType: 'LIMIT',
    legs: [below('790', '790.5')],
    ...overrides,
  };
}

function gtt(overrides: Partial<Gtt> = {}): Gtt {
  return {
    ...spec(),
    id: 'GTT-261125-0000abcd',
    mode: 'live',
    lastPrice: dec(800),
    status: 'active',
    createdAt: T0,
    updatedAt: T0,
    expiresAt: T0 + GTT_LIFETIME_MS,
    ...overrides,
  };
}

const oco = gtt({ triggerType: 'two-leg', side: 'SELL', legs: [below('780', '779.5'), above('820', '820.5')] });

function refusal(candidate: GttSpec, instrument: Instrument, lastPrice: Decimal): string | undefined {
  try {
    checkGtt(candidate, instrument, lastPrice);
    return undefined;
  } catch (error) {
    if (!(error instanceof InvalidOrder)) throw error;
    return error.message;
  }
}

describe('firing', () => {
  it('a falling trigger fires when the last price falls to it or below, not above it', () => {
    const single = gtt();
    expect(firingLeg(single, dec('790.05'))).toBeUndefined();
    expect(firingLeg(single, dec('790'))).toBe(0);
    expect(firingLeg(single, dec('789.95'))).toBe(0);
  });

  it('a rising trigger fires when the last price rises to it or above, not below it', () => {
    const single = gtt({ legs: [above('810')] });
    expect(firingLeg(single, dec('809.95'))).toBeUndefined();
    expect(firingLeg(single, dec('810'))).toBe(0);
    expect(firingLeg(single, dec('900'))).toBe(0);
  });

  it('an OCO fires its stop-loss leg on a fall, its target leg on a rise, and neither in between', () => {
    expect(firingLeg(oco, dec('780'))).toBe(0);
    expect(firingLeg(oco, dec('700'))).toBe(0);
    expect(firingLeg(oco, dec('820'))).toBe(1);
    expect(firingLeg(oco, dec('780.05'))).toBeUndefined();
    expect(firingLeg(oco, dec('819.95'))).toBeUndefined();
  });

  it('the child order is the leg: a LIMIT at its price, or a MARKET, under a client order id made of the GTT id', () => {
    expect(childOrder(oco, 1)).toEqual({
      accountId: 'acc-1',
      symbol: 'SBIN',
      exchange: 'NSE',
      side: 'SELL',
      quantity: dec(10),
      type: 'LIMIT',
      limitPrice: dec('820.5'),
      product: 'CNC',
      timeInForce: 'DAY',
      strategyTag: 'swing',
      clientOrderId: 'gtt:GTT-261125-0000abcd',
    });
    expect(childOrder(gtt({ orderType: 'MARKET' }), 0)).toMatchObject({ type: 'MARKET', limitPrice: undefined });
  });
});

describe('expiry', () => {
  it('is a year (365 days) after creation, or sooner when asked, never later', () => {
    expect(gttExpiry(T0)).toBe(T0 + 365 * 86_400_000);
    expect(gttExpiry(T0, T0 + 86_400_000)).toBe(T0 + 86_400_000);
    expect(gttExpiry(T0, T0 + 400 * 86_400_000)).toBe(T0 + 365 * 86_400_000);
  });

  it('a GTT is expired from its expiry on', () => {
    expect(isExpired(gtt(), T0 + GTT_LIFETIME_MS - 1)).toBe(false);
    expect(isExpired(gtt(), T0 + GTT_LIFETIME_MS)).toBe(true);
  });

  it('ids carry the IST date', () => {
    // 2026-11-25 23:00 IST is still the 25th.
    expect(gttId(Date.UTC(2026, 10, 25, 17, 30), '1a2b3c4d')).toBe('GTT-261125-1a2b3c4d');
  });
});

describe('checks before a GTT rests', () => {
  it('take a single trigger on its side of the market and an OCO with stop-loss below and target above', () => {
    expect(refusal(spec(), SBIN, dec(800))).toBeUndefined();
    expect(refusal(spec({ legs: [above('810')] }), SBIN, dec(800))).toBeUndefined();
    expect(refusal({ ...oco }, SBIN, dec(800))).toBeUndefined();
  });

  it('refuse a trigger the last price has already reached: it would fire at once', () => {
    expect(refusal(spec({ legs: [below('800')] }), SBIN, dec(800))).toBe('Trigger price 800 must be below the last price 800');
    expect(refusal(spec({ legs: [above('795')] }), SBIN, dec(800))).toBe('Trigger price 795 must be above the last price 800');
    expect(refusal({ ...oco }, SBIN, dec(825))).toBe('Trigger price 820 must be above the last price 825');
  });

  it('refuse triggers and limit prices off the tick', () => {
    expect(refusal(spec({ legs: [below('790.03', '790')] }), SBIN, dec(800))).toBe(
      'Trigger price 790.03 is not a multiple of the tick size 0.05',
    );
    expect(refusal(spec({ legs: [below('790', '790.01')] }), SBIN, dec(800))).toBe(
      'Price 790.01 is not a multiple of the tick size 0.05',
    );
  });

  it('do not check the limit price of a MARKET child', () => {
    expect(refusal(spec({ orderType: 'MARKET', legs: [below('790', '0')] }), SBIN, dec(800))).toBeUndefined();
  });

  it('hold the child order to the instrument: lot size, CNC only on equity', () => {
    const nifty = { symbol: NIFTYFUT.symbol, exchange: 'NFO' as const, legs: [below('25000')] };
    expect(refusal(spec({ ...nifty, product: 'NRML', quantity: dec(75) }), NIFTYFUT, dec(26000))).toBeUndefined();
    expect(refusal(spec({ ...nifty, product: 'NRML', quantity: dec(10) }), NIFTYFUT, dec(26000))).toBe(
      'Quantity must be in multiples of lot size 75',
    );
    expect(refusal(spec({ ...nifty, product: 'CNC', quantity: dec(75) }), NIFTYFUT, dec(26000))).toBe(
      `CNC is for equity delivery; use NRML or MIS for ${NIFTYFUT.symbol}`,
    );
  });

  it('refuse an OCO whose stop-loss trigger is not below its target trigger', () => {
    expect(refusal({ ...oco, legs: [below('820'), above('820')] }, SBIN, dec(800))).toBe(
      'Stoploss trigger must be less than target trigger.',
    );
  });
});
