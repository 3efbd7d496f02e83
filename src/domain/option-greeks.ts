// Option analytics in doubles, as OpenAlgo computes them: Black-76 prices and greeks on a forward price, the implied
// volatility solved from an option's price, and the rules around them (expiry cut-off times, the time to expiry, when a
// price has no time value to invert, Python's rounding of the results). Pure math: the core fetches the prices.
import { IST_OFFSET_MS } from './clock.js';
import { normalCdf, normalPdf } from './normal-distribution.js';

export type OptionRight = 'CE' | 'PE';

/** What Black-76 prices: a European option on a forward (or futures) price, discounted at a continuous rate. */
export interface Black76Terms {
  right: OptionRight;
  /** The forward or futures price of the underlying. */
  forward: number;
  strike: number;
  /** Time to expiry in years (365-day), positive. */
  years: number;
  /** Continuously compounded annual rate as a fraction (0.07 for 7 %). */
  rate: number;
  /** Annual volatility as a fraction (0.15 for 15 %), positive. */
  volatility: number;
}

/** The first-order greeks in traders' units, as OpenAlgo reports them. */
export interface Greeks {
  /** Change of the option's price per unit change of the forward. */
  delta: number;
  /** Change of delta per unit change of the forward. */
  gamma: number;
  /** Change of the option's price per calendar day that passes (annual theta / 365). */
  theta: number;
  /** Change of the option's price per 1 percentage point of volatility. */
  vega: number;
  /** Change of the option's price per 1 percentage point of the rate: −t·price/100 (Black-76 discounts only). */
  rho: number;
}

function d1(forward: number, strike: number, years: number, volatility: number): number {
  return (Math.log(forward / strike) + (volatility * volatility * years) / 2) / (volatility * Math.sqrt(years));
}

/** Black-76 value before discounting: F·N(d1) − K·N(d2) for a call, K·N(−d2) − F·N(−d1) for a put. */
function undiscountedPrice(right: OptionRight, forward: number, strike: number, years: number, volatility: number): number {
  const first = d1(forward, strike, years, volatility);
  const second = first - volatility * Math.sqrt(years);
  return right === 'CE'
    ? forward * normalCdf(first) - strike * normalCdf(second)
    : strike * normalCdf(-second) - forward * normalCdf(-first);
}

/** Black-76 price: e^(−rt) × the undiscounted value. */
export function black76Price({ right, forward, strike, years, rate, volatility }: Black76Terms): number {
  return Math.exp(-rate * years) * undiscountedPrice(right, forward, strike, years, volatility);
}

/** Black-76 greeks (analytical), in the units of `Greeks`. */
export function black76Greeks(terms: Black76Terms): Greeks {
  const { right, forward, strike, years, rate, volatility } = terms;
  const discount = Math.exp(-rate * years);
  const root = Math.sqrt(years);
  const first = d1(forward, strike, years, volatility);
  const second = first - volatility * root;
  const density = normalPdf(first);
  const sign = right === 'CE' ? 1 : -1;
  const decay = (forward * discount * density * volatility) / (2 * root);
  const carry = rate * discount * (sign * forward * normalCdf(sign * first) - sign * strike * normalCdf(sign * second));
  return {
    delta: sign * discount * normalCdf(sign * first),
    gamma: (discount * density) / (forward * volatility * root),
    theta: (carry - decay) / 365,
    vega: (forward * discount * density * root) / 100,
    rho: (-years * black76Price(terms)) / 100,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Implied volatility

/** The volatilities searched for a price (as OpenAlgo's solver does): 0.0001 % to 500 %. */
export const MIN_VOLATILITY = 1e-6;
export const MAX_VOLATILITY = 5;

/**
 * Why a price has no implied volatility: it is below the option's intrinsic value, at or above what any volatility
 * could make it worth (the forward for a call, the strike for a put, undiscounted), or it would take more than
 * MAX_VOLATILITY.
 */
export type VolatilityFailure = 'below-intrinsic' | 'above-maximum' | 'beyond-range';

export type VolatilityTerms = Omit<Black76Terms, 'volatility'>;

/**
 * The Black-76 volatility (a fraction) at which the option is worth `price`, to 1e-13 of the price (or as near as
 * doubles tell volatilities apart); a price at intrinsic value, or reached below MIN_VOLATILITY, answers
 * MIN_VOLATILITY. Newton's steps inside a bracket that every step narrows, with bisection whenever a step would leave
 * it, so it always converges. Terms must be positive.
 */
export function impliedVolatility(price: number, terms: VolatilityTerms): number | VolatilityFailure {
  const { right, forward, strike, years, rate } = terms;
  const target = price * Math.exp(rate * years);
  const intrinsic = intrinsicValue(right, forward, strike);
  if (target < intrinsic) return 'below-intrinsic';
  if (target >= (right === 'CE' ? forward : strike)) return 'above-maximum';
  const value = (volatility: number) => undiscountedPrice(right, forward, strike, years, volatility);
  if (target <= intrinsic || value(MIN_VOLATILITY) >= target) return MIN_VOLATILITY;
  if (value(MAX_VOLATILITY) < target) return 'beyond-range';

  const tolerance = 1e-13 * target;
  let low = MIN_VOLATILITY;
  let high = MAX_VOLATILITY;
  // Brenner–Subrahmanyam's at-the-money estimate as the first guess.
  let volatility = Math.min(Math.max((Math.sqrt((2 * Math.PI) / years) * target) / forward, low), high);
  for (let step = 0; step < 200; step += 1) {
    const error = value(volatility) - target;
    if (Math.abs(error) <= tolerance) return volatility;
    if (error > 0) high = volatility;
    else low = volatility;
    if (high - low <= 1e-15 * high) return volatility;
    const vega = forward * Math.sqrt(years) * normalPdf(d1(forward, strike, years, volatility));
    const next = volatility - error / vega;
    volatility = next > low && next < high ? next : (low + high) / 2;
  }
  return volatility;
}

/** max(F − K, 0) for a call, max(K − F, 0) for a put. */
export function intrinsicValue(right: OptionRight, underlyingPrice: number, strike: number): number {
  return Math.max(right === 'CE' ? underlyingPrice - strike : strike - underlyingPrice, 0);
}

/**
 * OpenAlgo's rule for a price with nothing to invert: at or below intrinsic value, or in the money with less than
 * 0.01 of time value. Such options get "theoretical" greeks instead (IV 0, delta ±1).
 */
export function hasTimeValue(right: OptionRight, underlyingPrice: number, strike: number, optionPrice: number): boolean {
  const intrinsic = intrinsicValue(right, underlyingPrice, strike);
  const timeValue = optionPrice - intrinsic;
  return !(timeValue <= 0 || (intrinsic > 0 && timeValue < 0.01));
}

// ---------------------------------------------------------------------------------------------------------
// What the API endpoints (optiongreeks, multioptiongreeks, optionchain) report

export interface OptionPriceInputs {
  right: OptionRight;
  /** The forward (synthetic future, futures price or spot) the option is priced on. */
  underlyingPrice: number;
  strike: number;
  /** Time to expiry in years (see `timeToExpiry`). */
  years: number;
  /** Annual rate in percent (7 for 7 %). */
  ratePercent: number;
  optionPrice: number;
}

export interface OptionAnalytics {
  /** Percent, rounded to 2 decimals. */
  impliedVolatility: number;
  /** Rounded to 4 decimals. */
  delta: number;
  /** Rounded to 6 decimals. */
  gamma: number;
  /** Per calendar day, rounded to 4 decimals. */
  theta: number;
  /** Per 1 % of volatility, rounded to 4 decimals. */
  vega: number;
  /** Per 1 % of rate, rounded to 6 decimals. */
  rho: number;
}

/** An option price analysed: greeks, or why there are none (no time value to invert, or no volatility fits). */
export type OptionValuation =
  | { kind: 'solved'; analytics: OptionAnalytics }
  | { kind: 'no-time-value' }
  | { kind: 'unsolved'; failure: VolatilityFailure | 'invalid-inputs' };

/**
 * Implied volatility and greeks of an option's price, rounded as OpenAlgo returns them (see OptionAnalytics), or why
 * there are none. Prices, strike and years must be positive and the rate not negative, else `invalid-inputs`.
 */
export function analyzeOption(inputs: OptionPriceInputs): OptionValuation {
  const { right, underlyingPrice, strike, years, ratePercent, optionPrice } = inputs;
  if (!(underlyingPrice > 0 && strike > 0 && years > 0 && optionPrice > 0 && ratePercent >= 0)) {
    return { kind: 'unsolved', failure: 'invalid-inputs' };
  }
  if (!hasTimeValue(right, underlyingPrice, strike, optionPrice)) return { kind: 'no-time-value' };
  const terms = { right, forward: underlyingPrice, strike, years, rate: ratePercent / 100 };
  const volatility = impliedVolatility(optionPrice, terms);
  if (typeof volatility === 'string') return { kind: 'unsolved', failure: volatility };
  const greeks = black76Greeks({ ...terms, volatility });
  return {
    kind: 'solved',
    analytics: {
      impliedVolatility: roundHalfEven(volatility * 100, 2),
      delta: roundHalfEven(greeks.delta, 4),
      gamma: roundHalfEven(greeks.gamma, 6),
      theta: roundHalfEven(greeks.theta, 4),
      vega: roundHalfEven(greeks.vega, 4),
      rho: roundHalfEven(greeks.rho, 6),
    },
  };
}

/**
 * Black-76 implied volatility and greeks of an option's price, rounded as OpenAlgo's optiongreeks returns them (IV in
 * percent to 2 decimals; delta, theta and vega to 4; gamma and rho to 6); undefined when the price has no time value to
 * invert (`hasTimeValue`), no volatility fits it, or an input is not positive.
 */
export function optionAnalytics(inputs: OptionPriceInputs): OptionAnalytics | undefined {
  const valuation = analyzeOption(inputs);
  return valuation.kind === 'solved' ? valuation.analytics : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Time to expiry

export interface TimeOfDay {
  hour: number;
  minute: number;
}

/** When an option stops having time value on its expiry day, IST: MCX 23:30, CDS 12:30, the rest 15:30. */
export function expiryCutoff(exchange: string): TimeOfDay {
  return EXPIRY_CUTOFFS[exchange] ?? DEFAULT_EXPIRY_CUTOFF;
}

const DEFAULT_EXPIRY_CUTOFF: TimeOfDay = { hour: 15, minute: 30 };
const EXPIRY_CUTOFFS: Readonly<Record<string, TimeOfDay>> = { MCX: { hour: 23, minute: 30 }, CDS: { hour: 12, minute: 30 } };

/**
 * A client's `HH:MM` expiry time, read as OpenAlgo reads it (two parts around one colon, each an integer as Python's
 * int() reads it, hour 0–23, minute 0–59), or OpenAlgo's words for what is wrong with it.
 */
export function parseExpiryTime(text: string): TimeOfDay | { error: string } {
  const parts = text.split(':');
  if (parts.length !== 2) {
    return { error: `Invalid expiry_time format: ${text}. Use HH:MM format (e.g., '15:30', '19:00')` };
  }
  const hour = pythonInt(parts[0] ?? '');
  if (typeof hour === 'string') return { error: `Failed to parse expiry_time '${text}': ${hour}` };
  const minute = pythonInt(parts[1] ?? '');
  if (typeof minute === 'string') return { error: `Failed to parse expiry_time '${text}': ${minute}` };
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) {
    return { error: `Invalid expiry_time values: ${text}. Hour must be 0-23, minute must be 0-59` };
  }
  return { hour, minute };
}

/** Python's int(text): surrounding whitespace, a sign, digits with single underscores between them; else its error. */
function pythonInt(text: string): number | string {
  const trimmed = text.trim();
  if (/^[+-]?\d+(_\d+)*$/.test(trimmed)) return Number(trimmed.replace(/_/g, ''));
  return `invalid literal for int() with base 10: '${text}'`;
}

/** Epoch ms of `time` (IST) on the exchange date `isoDate` (`YYYY-MM-DD`). */
export function expiryInstant(isoDate: string, time: TimeOfDay): number {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  return Date.UTC(year, month - 1, day, time.hour, time.minute) - IST_OFFSET_MS;
}

/** OpenAlgo's floor on the time to expiry, about 53 minutes, so that the last hour does not divide by nearly zero. */
export const MIN_YEARS_TO_EXPIRY = 0.0001;

/**
 * Time from `now` to `expiryAt` in years (365-day) and days, both floored at MIN_YEARS_TO_EXPIRY (days = years × 365);
 * undefined once `expiryAt` has passed.
 */
export function timeToExpiry(expiryAt: number, now: number): { years: number; days: number } | undefined {
  if (expiryAt < now) return undefined;
  const days = (expiryAt - now) / 86_400_000;
  const years = days / 365;
  if (years < MIN_YEARS_TO_EXPIRY) return { years: MIN_YEARS_TO_EXPIRY, days: MIN_YEARS_TO_EXPIRY * 365 };
  return { years, days };
}

// ---------------------------------------------------------------------------------------------------------

/**
 * Python's round(value, digits) for a double: the decimal nearest to the double's exact value, ties to even, returned
 * as the double nearest to that decimal (JavaScript's toFixed breaks exact ties away from zero instead).
 */
export function roundHalfEven(value: number, digits: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  const { numerator, denominator } = exactRatio(Math.abs(value));
  const scaled = numerator * 10n ** BigInt(digits);
  let quotient = scaled / denominator;
  const twiceRemainder = 2n * (scaled % denominator);
  if (twiceRemainder > denominator || (twiceRemainder === denominator && quotient % 2n === 1n)) quotient += 1n;
  const magnitude = Number(`${quotient}e-${digits}`);
  return value < 0 ? -magnitude : magnitude;
}

/** A positive finite double as numerator / denominator, exactly (the denominator a power of two). */
function exactRatio(value: number): { numerator: bigint; denominator: bigint } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const exponentBits = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = exponentBits === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (exponentBits === 0 ? 1 : exponentBits) - 1075;
  return exponent >= 0
    ? { numerator: mantissa << BigInt(exponent), denominator: 1n }
    : { numerator: mantissa, denominator: 1n << BigInt(-exponent) };
}
