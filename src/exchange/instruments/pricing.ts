// Reference (previous close) prices of derivatives: cost-of-carry futures and Black-Scholes options, on the tick grid.
// The models run in floating point; only their rounded results become Decimals.
import { dec, max, mul, div, add, ONE, roundToStep, toNumber, type Decimal } from '../../domain/decimal.js';

/** Annual risk-free rate used for carry and for option pricing (about India's T-bill yield). */
export const RISK_FREE_RATE = 0.065;
const DAYS_PER_YEAR = 365;

/** spot × (1 + rate × days / 365), rounded to the nearest tick (never below one tick). */
export function futureReferencePrice(spot: Decimal, days: number, tick: Decimal, rate: number = RISK_FREE_RATE): Decimal {
  const carry = div(mul(dec(rate), dec(Math.max(days, 0))), dec(DAYS_PER_YEAR));
  return max(roundToStep(mul(spot, add(ONE, carry)), tick), tick);
}

export interface OptionInputs {
  spot: number;
  strike: number;
  /** Time to expiry in years; must be positive. */
  years: number;
  volatility: number;
  rate: number;
  right: 'CE' | 'PE';
}

/** Black-Scholes price of a European option (no dividends). */
export function blackScholes({ spot, strike, years, volatility, rate, right }: OptionInputs): number {
  const deviation = volatility * Math.sqrt(years);
  const d1 = (Math.log(spot / strike) + (rate + (volatility * volatility) / 2) * years) / deviation;
  const d2 = d1 - deviation;
  const discountedStrike = strike * Math.exp(-rate * years);
  return right === 'CE'
    ? spot * normalCdf(d1) - discountedStrike * normalCdf(d2)
    : discountedStrike * normalCdf(-d2) - spot * normalCdf(-d1);
}

/**
 * Black-Scholes premium rounded to the nearest tick and floored at one tick. A contract on its expiry day is
 * priced with one day left: the reference price is the previous close, when it still had that day to run.
 */
export function optionReferencePrice(
  spot: Decimal,
  strike: Decimal,
  days: number,
  volatility: number,
  right: 'CE' | 'PE',
  tick: Decimal,
  rate: number = RISK_FREE_RATE,
): Decimal {
  const years = Math.max(days, 1) / DAYS_PER_YEAR;
  const premium = blackScholes({ spot: toNumber(spot), strike: toNumber(strike), years, volatility, rate, right });
  return max(roundToStep(dec(premium.toFixed(8)), tick), tick);
}

/** Standard normal cumulative distribution, via erf (Abramowitz & Stegun 7.1.26, error below 1.5e-7). */
export function normalCdf(x: number): number {
  return 0.5 * (1 + erf(x / Math.SQRT2));
}

function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const value = 1 - poly * Math.exp(-x * x);
  return x >= 0 ? value : -value;
}
