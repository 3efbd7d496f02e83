import { describe, expect, it } from 'vitest';
import {
  blackScholes,
  daysToExpiry,
  expiryInstant,
  futurePrice,
  intrinsicValue,
  yearsToExpiry,
} from '../../src/exchange/option-pricing.js';

describe('Black-Scholes', () => {
  it('prices an at-the-money call and put by hand: S=K=100, T=1, r=0, σ=0.2 → 7.9656 each', () => {
    // d1 = 0.1, d2 = −0.1; call = 100·(N(0.1) − N(−0.1)) = 100·(2·0.5398278 − 1) = 7.96557
    const terms = { spot: 100, strike: 100, years: 1, rate: 0, volatility: 0.2 };
    expect(blackScholes({ ...terms, right: 'call' })).toBeCloseTo(7.965567, 5);
    expect(blackScholes({ ...terms, right: 'put' })).toBeCloseTo(7.965567, 5);
  });

  it('prices an out-of-the-money call with carry: S=100, K=110, T=0.5, r=5%, σ=25% → 4.2258; put 11.5099', () => {
    const terms = { spot: 100, strike: 110, years: 0.5, rate: 0.05, volatility: 0.25 };
    expect(blackScholes({ ...terms, right: 'call' })).toBeCloseTo(4.225782, 5);
    expect(blackScholes({ ...terms, right: 'put' })).toBeCloseTo(11.509873, 5);
  });

  it('keeps put-call parity: C − P = S − K·e^(−rT)', () => {
    const terms = { spot: 24800, strike: 25000, years: 20 / 365, rate: 0.065, volatility: 0.14 };
    const call = blackScholes({ ...terms, right: 'call' });
    const put = blackScholes({ ...terms, right: 'put' });
    expect(call - put).toBeCloseTo(24800 - 25000 * Math.exp(-0.065 * (20 / 365)), 8);
  });

  it('calls rise and puts fall with the underlying', () => {
    const at = (spot: number, right: 'call' | 'put'): number =>
      blackScholes({ right, spot, strike: 25000, years: 0.05, rate: 0.065, volatility: 0.14 });
    for (let spot = 23000; spot < 27000; spot += 250) {
      expect(at(spot + 250, 'call')).toBeGreaterThan(at(spot, 'call'));
      expect(at(spot + 250, 'put')).toBeLessThan(at(spot, 'put'));
    }
  });

  it('is worth its intrinsic value at and after expiry', () => {
    expect(blackScholes({ right: 'call', spot: 105, strike: 100, years: 0, rate: 0.065, volatility: 0.2 })).toBe(5);
    expect(blackScholes({ right: 'put', spot: 105, strike: 100, years: -1, rate: 0.065, volatility: 0.2 })).toBe(0);
    expect(intrinsicValue('put', 95, 100)).toBe(5);
  });
});

describe('futures and expiry time', () => {
  it('adds 6.5% a year of carry: 25000 with 30 days left → 25133.5616', () => {
    expect(futurePrice(25000, 30)).toBeCloseTo(25133.561644, 5);
    expect(futurePrice(25000, 0)).toBe(25000);
    expect(futurePrice(25000, -3)).toBe(25000);
  });

  it('expires at 15:30 IST on the expiry date', () => {
    expect(expiryInstant('2025-12-30')).toBe(Date.UTC(2025, 11, 30, 10, 0));
    const expiry = expiryInstant('2025-12-30');
    expect(daysToExpiry(expiry, expiry - 86_400_000 * 1.5)).toBe(1.5);
    expect(yearsToExpiry(expiry, expiry - 86_400_000 * 365)).toBe(1);
    expect(daysToExpiry(expiry, expiry + 1)).toBe(0);
  });
});

describe('Black-Scholes textbook values', () => {
  it('prices the at-the-money option S=K=100, one year, r 5 %, σ 20 %', () => {
    const terms = { spot: 100, strike: 100, years: 1, volatility: 0.2, rate: 0.05 } as const;
    expect(blackScholes({ ...terms, right: 'call' })).toBeCloseTo(10.4506, 3);
    expect(blackScholes({ ...terms, right: 'put' })).toBeCloseTo(5.5735, 3);
  });
});
