import { describe, expect, it } from 'vitest';
import { type Decimal, dec, isMultipleOf, toString } from '../../../src/domain/decimal.js';
import { marketProfile } from '../../../src/exchange/market/market-profile.js';
import {
  type BookLevel,
  firstLevels,
  frozenShape,
  ladder,
  walkingHalfSpread,
  walkingShape,
} from '../../../src/exchange/market/order-book.js';
import { equity, option } from './market-builders.js';

const text = (levels: BookLevel[]): string[] => levels.map((l) => `${toString(l.price)}×${toString(l.quantity)}/${l.orders}`);
const grid = (last: string, tick = '0.05', lot = '1') => ({ last: dec(last), tickSize: dec(tick), lotSize: dec(lot) });

describe('frozen ladder', () => {
  const shape = frozenShape(marketProfile(equity()));

  it('puts level n one tick further each, n × 100 lots in n orders, for an equity (tick 0.05, lot 1) at 100', () => {
    expect(text(firstLevels(ladder('bid', grid('100'), shape), 5))).toEqual([
      '99.95×100/1',
      '99.9×200/2',
      '99.85×300/3',
      '99.8×400/4',
      '99.75×500/5',
    ]);
    expect(text(firstLevels(ladder('ask', grid('100'), shape), 5))).toEqual([
      '100.05×100/1',
      '100.1×200/2',
      '100.15×300/3',
      '100.2×400/4',
      '100.25×500/5',
    ]);
  });

  it('starts two ticks out and counts in tens of lots for an option (lot 75)', () => {
    const optionShape = frozenShape(marketProfile(option('CE', '25000')));
    expect(text(firstLevels(ladder('bid', grid('120', '0.05', '75'), optionShape), 3))).toEqual([
      '119.9×750/1',
      '119.85×1500/2',
      '119.8×2250/3',
    ]);
  });

  it('ends 20% from the touch: asks 100.05…120.05, bids 99.95…80.00', () => {
    const asks = [...ladder('ask', grid('100'), shape)];
    const bids = [...ladder('bid', grid('100'), shape)];
    expect(asks.length).toBe(401);
    expect(toString((asks.at(-1) as BookLevel).price)).toBe('120.05');
    expect(bids.length).toBe(400);
    expect(toString((bids.at(-1) as BookLevel).price)).toBe('80');
  });

  it('never bids below one tick: the best bid is clamped to it and nothing lies deeper', () => {
    const optionShape = frozenShape(marketProfile(option('CE', '25000')));
    expect(text([...ladder('bid', grid('0.05', '0.05', '75'), optionShape)])).toEqual(['0.05×750/1']);
  });
});

describe('walking ladder', () => {
  const profile = marketProfile(equity('SBIN', { referencePrice: dec(800) }));

  it('is the same for the same step key and differs between steps', () => {
    const a = text(firstLevels(ladder('bid', grid('800'), walkingShape(profile, 99, 'bid')), 5));
    expect(text(firstLevels(ladder('bid', grid('800'), walkingShape(profile, 99, 'bid')), 5))).toEqual(a);
    expect(text(firstLevels(ladder('bid', grid('800'), walkingShape(profile, 100, 'bid')), 5))).not.toEqual(a);
  });

  it('keeps prices monotonic, quantities whole lots growing with depth and orders no more than lots', () => {
    for (let key = 1; key < 80; key++) {
      for (const side of ['bid', 'ask'] as const) {
        const levels = firstLevels(ladder(side, grid('800', '0.05', '1'), walkingShape(profile, key, side)), 30);
        expect(levels.length).toBe(30);
        let previous: BookLevel | undefined;
        for (const level of levels) {
          expect(isMultipleOf(level.price, dec('0.05'))).toBe(true);
          expect(level.orders).toBeGreaterThanOrEqual(1);
          expect(BigInt(level.orders) * dec(1)).toBeLessThanOrEqual(level.quantity);
          if (previous) {
            expect(side === 'bid' ? level.price < previous.price : level.price > previous.price).toBe(true);
            expect(level.quantity > previous.quantity).toBe(true);
          }
          previous = level;
        }
      }
    }
  });

  it('shows realistic sizes: hundreds to thousands of shares for a ₹800 stock', () => {
    const sizes: Decimal[] = [];
    for (let key = 1; key < 100; key++) {
      for (const level of firstLevels(ladder('ask', grid('800'), walkingShape(profile, key, 'ask')), 5)) sizes.push(level.quantity);
    }
    const shares = sizes.map((size) => Number(toString(size)));
    expect(Math.min(...shares)).toBeGreaterThanOrEqual(50);
    expect(Math.max(...shares)).toBeLessThan(10_000);
  });

  it('straddles the last price by the half-spread, one tick wider about one step in five', () => {
    let wider = 0;
    for (let key = 0; key < 1000; key++) {
      const half = walkingHalfSpread(profile, key);
      expect(half === 1 || half === 2).toBe(true);
      if (half === 2) wider += 1;
    }
    expect(wider).toBeGreaterThan(150);
    expect(wider).toBeLessThan(250);
  });
});
