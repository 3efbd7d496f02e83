import { describe, expect, it } from 'vitest';
import {
  MAX_VOLATILITY,
  MIN_VOLATILITY,
  MIN_YEARS_TO_EXPIRY,
  analyzeOption,
  black76Greeks,
  black76Price,
  expiryCutoff,
  expiryInstant,
  hasTimeValue,
  impliedVolatility,
  optionAnalytics,
  parseExpiryTime,
  roundHalfEven,
  timeToExpiry,
} from '../../src/domain/option-greeks.js';

// Expected figures were worked out with /usr/bin/python3 from independent formulas: N(x) = (1 + math.erf(x/√2))/2,
// the Black-76 price e^(−rt)(F·N(d1) − K·N(d2)), theta as (r·V − e^(−rt)·F·φ(d1)·σ/(2√t))/365 (−∂V/∂t written from
// the price, not the textbook three terms), and the implied volatility from scipy.optimize.brentq (xtol 1e-15) on
// that price; rounded figures with Python's round().

const SIX_DAYS_FIVE_AND_A_HALF_HOURS = (6 + 5.5 / 24) / 365; // 2026-11-25 10:00 IST → 2026-12-01 15:30 IST

describe('Black-76 price and greeks', () => {
  it('prices and differentiates an at-the-money call: F=K=22000, 30 days, r=7 %, σ=18 %', () => {
    const terms = { right: 'CE', forward: 22000, strike: 22000, years: 30 / 365, rate: 0.07, volatility: 0.18 } as const;
    expect(black76Price(terms)).toBeCloseTo(450.2695513558585, 9);
    const greeks = black76Greeks(terms);
    expect(greeks.delta).toBeCloseTo(0.5073649461915366, 12);
    expect(greeks.gamma).toBeCloseTo(0.00034926690654147875, 15);
    expect(greeks.theta).toBeCloseTo(-7.416474225247991, 9);
    expect(greeks.vega).toBeCloseTo(25.0094242996386, 9);
    expect(greeks.rho).toBeCloseTo(-0.3700845627582398, 12);
  });

  it('prices and differentiates an out-of-the-money put: F=24550.75, K=24000, 30.5 days, r=7 %, σ=15.25 %', () => {
    const terms = { right: 'PE', forward: 24550.75, strike: 24000, years: 30.5 / 365, rate: 0.07, volatility: 0.1525 } as const;
    expect(black76Price(terms)).toBeCloseTo(205.61877598093216, 9);
    const greeks = black76Greeks(terms);
    expect(greeks.delta).toBeCloseTo(-0.2940065926132203, 12);
    expect(greeks.gamma).toBeCloseTo(0.000317306500787893, 15);
    expect(greeks.theta).toBeCloseTo(-6.053484142906309, 9);
    expect(greeks.vega).toBeCloseTo(24.37167152306267, 9);
    expect(greeks.rho).toBeCloseTo(-0.17181842924434057, 12);
  });
});

describe('implied volatility', () => {
  it('recovers the volatility a price was made with, for calls and puts', () => {
    const call = { right: 'CE', forward: 26000, strike: 26500, years: 10 / 365, rate: 0.065 } as const;
    expect(impliedVolatility(152.23554120361754, call)).toBeCloseTo(0.2, 10);
    const put = { right: 'PE', forward: 900, strike: 820, years: 45 / 365, rate: 0 } as const;
    expect(impliedVolatility(13.654513926955985, put)).toBeCloseTo(0.35, 10);
  });

  it('names why a price has none: below intrinsic, at or above the maximum, beyond 500 %', () => {
    const call = { right: 'CE', forward: 26000, strike: 25000, years: 0.02, rate: 0 } as const;
    expect(impliedVolatility(999, call)).toBe('below-intrinsic');
    expect(impliedVolatility(1000, call)).toBe(MIN_VOLATILITY); // all intrinsic: the least volatility searched
    expect(impliedVolatility(26000, call)).toBe('above-maximum');
    const atMax = black76Price({ ...call, volatility: MAX_VOLATILITY });
    expect(impliedVolatility(atMax + 1, call)).toBe('beyond-range');
    const put = { right: 'PE', forward: 100, strike: 120, years: 0.5, rate: 0.1 } as const;
    expect(impliedVolatility(120 * Math.exp(-0.05), put)).toBe('above-maximum');
  });
});

describe('option analytics as OpenAlgo reports them', () => {
  it('rounds IV to 2 decimals, delta/theta/vega to 4, gamma/rho to 6: NIFTY 26000 CE at 182.40 on 26012.35', () => {
    // Python: iv = 0.12997140993261275; delta 0.5145415762, gamma 0.0009026626, theta −14.1337513334,
    // vega 13.5478245141, rho −0.0311287671
    expect(
      optionAnalytics({
        right: 'CE',
        underlyingPrice: 26012.35,
        strike: 26000,
        years: SIX_DAYS_FIVE_AND_A_HALF_HOURS,
        ratePercent: 0,
        optionPrice: 182.4,
      }),
    ).toEqual({ impliedVolatility: 13, delta: 0.5145, gamma: 0.000903, theta: -14.1338, vega: 13.5478, rho: -0.031129 });
  });

  it('discounts at the given rate: 26100 PE at 201.15, r = 7 %', () => {
    // Python: iv = 0.11311316816672903; delta −0.5864636795, gamma 0.0010118017, theta −11.9607822897,
    // vega 13.2161459764, rho −0.0343286815
    expect(
      optionAnalytics({
        right: 'PE',
        underlyingPrice: 26012.35,
        strike: 26100,
        years: SIX_DAYS_FIVE_AND_A_HALF_HOURS,
        ratePercent: 7,
        optionPrice: 201.15,
      }),
    ).toEqual({ impliedVolatility: 11.31, delta: -0.5865, gamma: 0.001012, theta: -11.9608, vega: 13.2161, rho: -0.034329 });
  });

  it('solves a far out-of-the-money stock call: 1600 CE at 3.20 on 1520.40, r = 6.5 %', () => {
    // Python: iv = 0.31204113050497884; delta 0.1089560845, gamma 0.0030122579, theta −0.9282012538,
    // vega 0.3708145829, rho −0.0005461187
    expect(
      optionAnalytics({
        right: 'CE',
        underlyingPrice: 1520.4,
        strike: 1600,
        years: SIX_DAYS_FIVE_AND_A_HALF_HOURS,
        ratePercent: 6.5,
        optionPrice: 3.2,
      }),
    ).toEqual({ impliedVolatility: 31.2, delta: 0.109, gamma: 0.003012, theta: -0.9282, vega: 0.3708, rho: -0.000546 });
  });

  it('has nothing to invert at or under intrinsic value, or in the money with under 0.01 of time value', () => {
    expect(hasTimeValue('CE', 26000, 25000, 1000)).toBe(false);
    expect(hasTimeValue('CE', 26000, 25000, 1000.005)).toBe(false);
    expect(hasTimeValue('CE', 26000, 25000, 1000.05)).toBe(true);
    expect(hasTimeValue('PE', 26000, 26100, 99.99)).toBe(false);
    expect(hasTimeValue('PE', 26000, 25000, 0.005)).toBe(true);
    const inputs = { right: 'CE', underlyingPrice: 26000, strike: 25000, years: 0.01, ratePercent: 0, optionPrice: 1000 } as const;
    expect(analyzeOption(inputs)).toEqual({ kind: 'no-time-value' });
    expect(optionAnalytics(inputs)).toBeUndefined();
  });

  it('answers no analytics when no volatility fits or an input is not positive', () => {
    const base = { right: 'CE', underlyingPrice: 26000, strike: 26000, years: 0.01, ratePercent: 0 } as const;
    expect(analyzeOption({ ...base, optionPrice: 26000 })).toEqual({ kind: 'unsolved', failure: 'above-maximum' });
    expect(optionAnalytics({ ...base, optionPrice: 26000 })).toBeUndefined();
    expect(analyzeOption({ ...base, optionPrice: 0 })).toEqual({ kind: 'unsolved', failure: 'invalid-inputs' });
    expect(analyzeOption({ ...base, optionPrice: 10, years: 0 })).toEqual({ kind: 'unsolved', failure: 'invalid-inputs' });
  });
});

describe('time to expiry', () => {
  it('cuts MCX at 23:30, CDS at 12:30 and everything else at 15:30 IST', () => {
    expect(expiryCutoff('MCX')).toEqual({ hour: 23, minute: 30 });
    expect(expiryCutoff('CDS')).toEqual({ hour: 12, minute: 30 });
    expect(expiryCutoff('NFO')).toEqual({ hour: 15, minute: 30 });
    expect(expiryCutoff('BFO')).toEqual({ hour: 15, minute: 30 });
  });

  it('places the cut-off on the IST calendar: 2026-12-01 15:30 IST is 10:00 UTC', () => {
    expect(expiryInstant('2026-12-01', { hour: 15, minute: 30 })).toBe(Date.UTC(2026, 11, 1, 10, 0));
  });

  it('counts days and 365-day years, floors them at 0.0001 years, and ends at the cut-off', () => {
    const expiry = Date.UTC(2026, 11, 1, 10, 0);
    const now = Date.UTC(2026, 10, 25, 4, 30);
    expect(timeToExpiry(expiry, now)).toEqual({ days: 6 + 5.5 / 24, years: (6 + 5.5 / 24) / 365 });
    expect(timeToExpiry(expiry, expiry - 60_000)).toEqual({ years: MIN_YEARS_TO_EXPIRY, days: MIN_YEARS_TO_EXPIRY * 365 });
    expect(timeToExpiry(expiry, expiry)).toEqual({ years: MIN_YEARS_TO_EXPIRY, days: MIN_YEARS_TO_EXPIRY * 365 });
    expect(timeToExpiry(expiry, expiry + 1)).toBeUndefined();
  });

  it("reads HH:MM as OpenAlgo does, with its words for what is wrong", () => {
    expect(parseExpiryTime('19:00')).toEqual({ hour: 19, minute: 0 });
    expect(parseExpiryTime(' 9:5')).toEqual({ hour: 9, minute: 5 });
    expect(parseExpiryTime('1530')).toEqual({
      error: "Invalid expiry_time format: 1530. Use HH:MM format (e.g., '15:30', '19:00')",
    });
    expect(parseExpiryTime('1a:00')).toEqual({
      error: "Failed to parse expiry_time '1a:00': invalid literal for int() with base 10: '1a'",
    });
    expect(parseExpiryTime('24:00')).toEqual({
      error: 'Invalid expiry_time values: 24:00. Hour must be 0-23, minute must be 0-59',
    });
  });
});

describe("Python's round()", () => {
  it('breaks exact ties to even and rounds the double it is given, not the decimal it was written as', () => {
    expect(roundHalfEven(0.125, 2)).toBe(0.12);
    expect(roundHalfEven(0.375, 2)).toBe(0.38);
    expect(roundHalfEven(-0.125, 2)).toBe(-0.12);
    expect(roundHalfEven(2.5, 0)).toBe(2);
    expect(roundHalfEven(3.5, 0)).toBe(4);
    expect(roundHalfEven(2.675, 2)).toBe(2.67); // the double is 2.67499999999999982236431605997495353221893310546875
    expect(roundHalfEven(1.005, 2)).toBe(1); // the double is 1.00499999999999989341858963598497211933135986328125
    expect(roundHalfEven(1.0000005, 6)).toBe(1.000001); // the double is 1.00000050000000006988898348936345428228378295898
    expect(roundHalfEven(-14.133751333395088, 4)).toBe(-14.1338);
    expect(roundHalfEven(0.0009026626403442319, 6)).toBe(0.000903);
  });
});
