import { describe, expect, it } from 'vitest';
import { dec } from '../../../src/domain/decimal.js';
import { DAY_MS } from '../../../src/exchange/market/market-time.js';
import { DAILY_REVERSION, PriceOverrides, offsetAt } from '../../../src/exchange/market/price-overrides.js';

describe('price overrides', () => {
  const at = (time: number, price: string) => ({ at: time, price: dec(price), logOffset: 0 });

  it('finds the override in force at a time, and the next one after it', () => {
    const overrides = new PriceOverrides();
    overrides.add(at(3000, '101'));
    overrides.add(at(1000, '100'));
    expect(overrides.latest(999)).toBeUndefined();
    expect(overrides.latest(1000)?.price).toBe(dec('100'));
    expect(overrides.latest(2999)?.price).toBe(dec('100'));
    expect(overrides.latest(5000)?.price).toBe(dec('101'));
    expect(overrides.nextAfter(1000)).toBe(3000);
    expect(overrides.nextAfter(3000)).toBe(Infinity);
    expect(overrides.between(1000, 3000).map((o) => o.at)).toEqual([3000]);
  });

  it('a second set in the same step replaces the first', () => {
    const overrides = new PriceOverrides();
    overrides.add(at(1000, '100'));
    overrides.add(at(1000, '102'));
    expect(overrides.size).toBe(1);
    expect(overrides.latest(1000)?.price).toBe(dec('102'));
  });

  it('the offset fades by the daily reversion each day', () => {
    const override = { at: 0, price: dec('1'), logOffset: 0.1 };
    expect(offsetAt(override, 0)).toBe(0.1);
    expect(offsetAt(override, DAY_MS)).toBeCloseTo(0.1 * (1 - DAILY_REVERSION), 12);
    expect(offsetAt(override, 90 * DAY_MS)).toBeCloseTo(0.1 * (1 - DAILY_REVERSION) ** 90, 12);
    expect(offsetAt(undefined, 5)).toBe(0);
  });
});
