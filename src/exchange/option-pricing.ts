// Fair values of derivatives from their underlying: cost-of-carry futures and Black-Scholes options (in floats; the
// simulator rounds what it returns to the tick).

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

/**
 * The standard normal CDF to double precision (Hart's algorithm as given by G. West, "Better approximations to
 * cumulative normal functions", 2005).
 */
export function normalCdf(x: number): number {
  const z = Math.abs(x);
  let tail: number;
  if (z > 37) {
    tail = 0;
  } else {
    const e = Math.exp((-z * z) / 2);
    if (z < 7.07106781186547) {
      let n = 3.52624965998911e-2 * z + 0.700383064443688;
      n = n * z + 6.37396220353165;
      n = n * z + 33.912866078383;
      n = n * z + 112.079291497871;
      n = n * z + 221.213596169931;
      n = n * z + 220.206867912376;
      let d = 8.83883476483184e-2 * z + 1.75566716318264;
      d = d * z + 16.064177579207;
      d = d * z + 86.7807322029461;
      d = d * z + 296.564248779674;
      d = d * z + 637.333633378831;
      d = d * z + 793.826512519948;
      d = d * z + 440.413735824752;
      tail = (e * n) / d;
    } else {
      let d = z + 0.65;
      d = z + 4 / d;
      d = z + 3 / d;
      d = z + 2 / d;
      d = z + 1 / d;
      tail = e / d / 2.506628274631;
    }
  }
  return x > 0 ? 1 - tail : tail;
}
