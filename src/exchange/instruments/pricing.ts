// Reference (previous close) prices of derivatives: cost-of-carry futures and Black-Scholes options, on the tick grid.
// The models run in floating point; only their rounded results become Decimals.
import { dec, max, mul, div, add, ONE, roundToStep, toNumber, type Decimal } from '../../domain/decimal.js';
import { CARRY_RATE, blackScholes } from '../option-pricing.js';

/** Annual risk-free rate used for carry and for option pricing (about India's T-bill yield). */
export const RISK_FREE_RATE = CARRY_RATE;
const DAYS_PER_YEAR = 365;

/** spot × (1 + rate × days / 365), rounded to the nearest tick (never below one tick). */
export function futureReferencePrice(spot: Decimal, days: number, tick: Decimal, rate: number = RISK_FREE_RATE): Decimal {
  const carry = div(mul(dec(rate), dec(Math.max(days, 0))), dec(DAYS_PER_YEAR));
  return max(roundToStep(mul(spot, add(ONE, carry)), tick), tick);
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
  const premium = blackScholes({
    right: right === 'CE' ? 'call' : 'put',
    spot: toNumber(spot),
    strike: toNumber(strike),
    years,
    volatility,
    rate,
  });
  return max(roundToStep(dec(premium.toFixed(8)), tick), tick);
}
