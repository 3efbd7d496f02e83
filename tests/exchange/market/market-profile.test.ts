import { describe, expect, it } from 'vitest';
import { dec } from '../../../src/domain/decimal.js';
import { marketClass, marketProfile } from '../../../src/exchange/market/market-profile.js';
import { crypto, equity, future, index, option } from './market-builders.js';

describe('market profiles', () => {
  it('classifies instruments', () => {
    expect(marketClass(equity())).toBe('equity');
    expect(marketClass(index())).toBe('index');
    expect(marketClass(future())).toBe('future');
    expect(marketClass(option('CE', '25000'))).toBe('option');
    expect(marketClass(crypto())).toBe('crypto');
  });

  it('gives equities 20–30% volatility, stable per symbol; indices 14%; crypto 60%', () => {
    for (const symbol of ['SBIN', 'RELIANCE', 'TCS', 'INFY', 'ITC']) {
      const volatility = marketProfile(equity(symbol)).annualVolatility;
      expect(volatility).toBeGreaterThanOrEqual(0.2);
      expect(volatility).toBeLessThan(0.3);
      expect(marketProfile(equity(symbol)).annualVolatility).toBe(volatility);
    }
    expect(marketProfile(index()).annualVolatility).toBe(0.14);
    expect(marketProfile(crypto()).annualVolatility).toBe(0.6);
    expect(marketProfile(future('GOLD05FEB26FUT', { exchange: 'MCX' })).annualVolatility).toBe(0.22);
  });

  it('spreads options over two ticks each side, everything else over one', () => {
    expect(marketProfile(option('PE', '25000')).halfSpreadTicks).toBe(2);
    expect(marketProfile(equity()).halfSpreadTicks).toBe(1);
    expect(marketProfile(future()).halfSpreadTicks).toBe(1);
  });

  it('sizes cash books by value and F&O books in lots', () => {
    expect(marketProfile(equity('SBIN', { referencePrice: dec(800) })).levelLots).toBe(625);
    expect(marketProfile(crypto()).levelLots).toBe(500); // $50,000 at $100,000 in 0.001 lots
    expect(marketProfile(future()).levelLots).toBe(8);
    expect(marketProfile(index()).tradeLots).toBe(0);
    expect(marketProfile(equity()).frozenLevelLots).toBe(100);
    expect(marketProfile(option('CE', '25000')).frozenLevelLots).toBe(10);
  });
});
