// Exact decimal arithmetic for prices, quantities, cash and P&L: fixed point with 8 fractional digits in a bigint.
// Every number that means money or size passes through here; nothing else does arithmetic on them.

export type Decimal = bigint & { readonly __decimal: unique symbol };

export const SCALE_DIGITS = 8;
const SCALE = 10n ** BigInt(SCALE_DIGITS);
const DECIMAL_PATTERN = /^([+-])?(\d+)(?:\.(\d+))?$/;

export const ZERO = 0n as Decimal;
export const ONE = SCALE as Decimal;

/**
 * Parses a decimal from a string, a JS number (by its shortest round-trip text) or a whole bigint; digits beyond the
 * 8th decimal place are rounded half-even (`exactDec` refuses them instead).
 */
export function dec(value: string | number | bigint): Decimal {
  if (typeof value === 'bigint') return (value * SCALE) as Decimal;
  return typeof value === 'number' ? fromNumber(value) : parse(value.trim(), false);
}

function fromNumber(value: number): Decimal {
  // Whole numbers (quantities, most of what arrives) skip the text: an integral double converts to bigint exactly
  // (also from 1e21 up, where its text would be in exponent form).
  if (Number.isInteger(value)) return (BigInt(value) * SCALE) as Decimal;
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  const text = String(value);
  return parse(text.includes('e') ? value.toFixed(SCALE_DIGITS + 2) : text, false);
}

/** Thrown by `exactDec` for a value with non-zero digits beyond the 8th decimal place; the message names the value. */
export class TooPrecise extends RangeError {
  constructor(text: string) {
    super(`${text} has more than ${SCALE_DIGITS} decimal places`);
  }
}

/**
 * How far, in units in the last place, a JSON number may sit from its 8-decimal value and still be taken as that
 * value: the noise a few floating-point operations leave (`round(p / 0.05) * 0.05` gives 961.5500000000001), far
 * below a digit a client meant (960.050000001 is ≈ 9,000 ulps from 960.05).
 */
const NOISE_ULPS = 64;

/**
 * A client's price or quantity: as `dec`, but a value with non-zero digits beyond the 8th decimal place is refused
 * (TooPrecise) rather than rounded, so 960.050000001 can never pass a 0.05 tick check as 960.05. A number within
 * floating-point noise of an 8-decimal value is that value (0.1 + 0.2 is 0.3); a text is taken as written.
 */
export function exactDec(value: string | number): Decimal {
  if (typeof value === 'string') return parse(value.trim(), true);
  const rounded = fromNumber(value);
  if (Math.abs(toNumber(rounded) - value) > NOISE_ULPS * Number.EPSILON * Math.abs(value)) {
    throw new TooPrecise(plainText(value));
  }
  return rounded;
}

// A number as a client writes it: 0.0000000001, not 1e-10 (what String gives below 1e-6).
function plainText(value: number): string {
  const text = String(value);
  return text.includes('e-') ? value.toFixed(20).replace(/0+$/, '') : text;
}

/** True when the text is a plain decimal that `dec` accepts. */
export function isDecimalText(text: string): boolean {
  return DECIMAL_PATTERN.test(text.trim());
}

function parse(text: string, exact: boolean): Decimal {
  const match = DECIMAL_PATTERN.exec(text);
  if (!match) throw new RangeError(`not a decimal: ${text}`);
  const [, sign, whole = '0', fraction = ''] = match;
  const kept = fraction.slice(0, SCALE_DIGITS).padEnd(SCALE_DIGITS, '0');
  let units = BigInt(whole) * SCALE + BigInt(kept);
  const dropped = fraction.slice(SCALE_DIGITS);
  if (dropped.length > 0 && /[1-9]/.test(dropped)) {
    if (exact) throw new TooPrecise(text);
    units = roundUnits(units, dropped);
  }
  return (sign === '-' ? -units : units) as Decimal;
}

// Half-even rounding of a magnitude given the digits that did not fit.
function roundUnits(units: bigint, dropped: string): bigint {
  const first = dropped.charCodeAt(0) - 48;
  const rest = /[1-9]/.test(dropped.slice(1));
  if (first > 5 || (first === 5 && (rest || units % 2n === 1n))) return units + 1n;
  return units;
}

export const add = (a: Decimal, b: Decimal): Decimal => (a + b) as Decimal;
export const sub = (a: Decimal, b: Decimal): Decimal => (a - b) as Decimal;
export const neg = (a: Decimal): Decimal => -a as Decimal;
export const abs = (a: Decimal): Decimal => (a < 0n ? -a : a) as Decimal;
export const sign = (a: Decimal): -1 | 0 | 1 => (a > 0n ? 1 : a < 0n ? -1 : 0);
export const isZero = (a: Decimal): boolean => a === 0n;
export const cmp = (a: Decimal, b: Decimal): -1 | 0 | 1 => (a > b ? 1 : a < b ? -1 : 0);
export const min = (a: Decimal, b: Decimal): Decimal => (a < b ? a : b);
export const max = (a: Decimal, b: Decimal): Decimal => (a > b ? a : b);

export function sum(values: Iterable<Decimal>): Decimal {
  let total = 0n;
  for (const value of values) total += value;
  return total as Decimal;
}

/** a × b, rounded half-even to 8 digits (exact whenever the true product has at most 8). */
export function mul(a: Decimal, b: Decimal): Decimal {
  // A whole factor (most quantities) makes the product exact without the rounding division: about half the cost.
  if (b % SCALE === 0n) return (a * (b / SCALE)) as Decimal;
  if (a % SCALE === 0n) return ((a / SCALE) * b) as Decimal;
  return divideRounded(a * b, SCALE);
}

/** a ÷ b, rounded half-even to 8 digits. */
export function div(a: Decimal, b: Decimal): Decimal {
  if (b === 0n) throw new RangeError('division by zero');
  return divideRounded(a * SCALE, b);
}

function divideRounded(numerator: bigint, denominator: bigint): Decimal {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  let quotient = n / d;
  const twice = (n % d) * 2n;
  if (twice > d || (twice === d && quotient % 2n === 1n)) quotient += 1n;
  return (negative ? -quotient : quotient) as Decimal;
}

/** True when `value` is a whole multiple of `step` (a tick or a lot). */
export function isMultipleOf(value: Decimal, step: Decimal): boolean {
  return step === 0n ? true : value % step === 0n;
}

/** Rounds to the nearest multiple of `step`; `mode` picks the side for prices that must not cross a limit. */
export function roundToStep(value: Decimal, step: Decimal, mode: 'nearest' | 'down' | 'up' = 'nearest'): Decimal {
  if (step === 0n) return value;
  const floor = value - (((value % step) + step) % step);
  if (floor === value) return value;
  if (mode === 'down') return floor as Decimal;
  if (mode === 'up') return (floor + step) as Decimal;
  return (value - floor) * 2n >= step ? ((floor + step) as Decimal) : (floor as Decimal);
}

/** Whole number of steps in value (floored), e.g. lots in a quantity. */
export function stepsIn(value: Decimal, step: Decimal): bigint {
  return value / step;
}

// Up to 2^53 units a bigint converts to a double exactly, and so does 10^k; IEEE division then rounds the exact
// quotient to the nearest double, which is what parsing the decimal text does too (half-even on ties both ways), so
// the two paths give the same number. Larger magnitudes go through the text.
const SAFE_UNITS = BigInt(Number.MAX_SAFE_INTEGER);
const POWERS_OF_TEN = Array.from({ length: SCALE_DIGITS + 1 }, (_, k) => 10 ** k);
const SCALE_NUMBER = 10 ** SCALE_DIGITS;

/** The JS number nearest to the decimal (as `Number(toString(a))`). */
export function toNumber(a: Decimal): number {
  if (a <= SAFE_UNITS && a >= -SAFE_UNITS) return Number(a) / SCALE_NUMBER;
  return Number(toString(a));
}

/** Shortest exact text: no exponent, no trailing zeros. */
export function toString(a: Decimal): string {
  const negative = a < 0n;
  const units = negative ? -a : a;
  const whole = units / SCALE;
  const fraction = (units % SCALE).toString().padStart(SCALE_DIGITS, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** Whole digits up to which a message shows a decimal as it is; beyond, in exponent form. */
const READABLE_WHOLE_DIGITS = 15;

/**
 * The decimal as a message shows it: `toString` (or `toFixed(a, digits)`) up to 15 whole digits; beyond that, in
 * exponent form with six significant digits, cut rather than rounded (`1.00000e+300`), so that an absurd input does
 * not make a 300-digit message.
 */
export function toReadable(a: Decimal, digits?: number): string {
  const text = digits === undefined ? toString(a) : toFixed(a, digits);
  const sign = text.startsWith('-') ? '-' : '';
  const whole = text.slice(sign.length).split('.')[0] as string;
  if (whole.length <= READABLE_WHOLE_DIGITS) return text;
  return `${sign}${whole[0]}.${whole.slice(1, 6)}e+${whole.length - 1}`;
}

/** Fixed number of fractional digits, rounded half-even (e.g. rupees and paise for display). */
export function toFixed(a: Decimal, digits: number): string {
  const step = 10n ** BigInt(SCALE_DIGITS - digits);
  const rounded = divideRounded(a, step);
  const negative = rounded < 0n;
  const units = negative ? -rounded : rounded;
  const unit = 10n ** BigInt(digits);
  const whole = units / unit;
  if (digits === 0) return `${negative ? '-' : ''}${whole}`;
  const fraction = (units % unit).toString().padStart(digits, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

/** Rounded to `digits` and returned as a JS number, for JSON fields that clients expect as numbers. */
export function toRoundedNumber(a: Decimal, digits: number): number {
  if (Number.isInteger(digits) && digits >= 0 && digits <= SCALE_DIGITS) {
    const units = divideRounded(a, 10n ** BigInt(SCALE_DIGITS - digits));
    if (units <= SAFE_UNITS && units >= -SAFE_UNITS) return Number(units) / (POWERS_OF_TEN[digits] ?? 1);
  }
  return Number(toFixed(a, digits));
}
