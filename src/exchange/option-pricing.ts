// Fair values of derivatives from their underlying: cost-of-carry futures and Black-Scholes options (in floats; the
// simulator rounds what it returns to the tick).
import { normalCdf } from '../domain/normal-distribution.js';

/** Annual rate for the futures premium and the options' discounting. */
export const CARRY_RATE = 0.065;

const DAY_MS = 86_400_000;
const YEAR_DAYS = 365;

export type OptionRight = 'call' | 'put';

export interface OptionTerms {
  right: OptionRight;
  spot: number;
  strike: number;
  /** Time to expiry in years; zero or less means expired (intrinsic value). */
  years: number;
  /** Continuously compounded annual rate. */
  rate: number;
  /** Annual implied volatility, e.g. 0.14. */
  volatility: number;
}

/** Black-Scholes value of a European option on a non-dividend underlying; intrinsic value at or after expiry. */
export function blackScholes({ right, spot, strike, years, rate, volatility }: OptionTerms): number {
  if (years <= 0 || volatility <= 0) return intrinsicValue(right, spot, strike);
  const root = volatility * Math.sqrt(years);
  const d1 = (Math.log(spot / strike) + (rate + (volatility * volatility) / 2) * years) / root;
  const d2 = d1 - root;
  const discounted = strike * Math.exp(-rate * years);
  return right === 'call'
    ? spot * normalCdf(d1) - discounted * normalCdf(d2)
    : discounted * normalCdf(-d2) - spot * normalCdf(-d1);
}

export function intrinsicValue(right: OptionRight, spot: number, strike: number): number {
  return Math.max(0, right === 'call' ? spot - strike : strike - spot);
}

/** Cost-of-carry future: spot × (1 + rate × days to expiry / 365); the spot itself at and after expiry. */
export function futurePrice(spot: number, daysToExpiry: number, rate = CARRY_RATE): number {
  return spot * (1 + (rate * Math.max(0, daysToExpiry)) / YEAR_DAYS);
}

/** Epoch ms of 15:30 IST on an exchange date `YYYY-MM-DD`, when Indian derivatives expire. */
export function expiryInstant(isoDate: string): number {
  return Date.parse(`${isoDate}T15:30:00+05:30`);
}

/** Days (fractional, never negative) from `at` to the expiry instant. */
export function daysToExpiry(expiryAt: number, at: number): number {
  return Math.max(0, (expiryAt - at) / DAY_MS);
}

/** Years (fractional, never negative) from `at` to the expiry instant, on a 365-day year. */
export function yearsToExpiry(expiryAt: number, at: number): number {
  return daysToExpiry(expiryAt, at) / YEAR_DAYS;
}
