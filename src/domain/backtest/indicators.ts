// Technical indicators over a whole series (Float64Array in, Float64Array out, NaN until enough values). The classes
// of incremental-indicators.ts do the same arithmetic in the same order, so both ways give bit-identical values.
//
// Conventions (they follow the references traders compare against):
// - SMA is pandas' `Series.rolling(n).mean()` to the last bit: a running sum with Kahan compensation (one for adds,
//   one for removes), NaN inputs left out of the window's count (NaN while fewer than n values are present), a window
//   of n equal values giving that value exactly, and 0 rather than a rounding residue of the wrong sign.
//   backtesting.py's reference strategy crosses two such SMAs, so a last-bit difference could change its trades.
// - Bollinger bands: middle = that SMA; width = k × the population standard deviation (ddof 0) of the window,
//   computed as pandas' `rolling(n).std(ddof=0)` (Welford with Kahan compensation); k defaults to 2.
// - EMA: alpha = 2/(n+1), seeded at the n-th value with the plain mean of the first n (as TA-Lib), then
//   ema += (x − ema) × alpha. WMA: weights 1..n, TA-Lib's running-sum arithmetic.
// - RSI and ATR: Wilder's smoothing avg = (avg × (n−1) + x) / n, seeded with the plain mean of the first n changes or
//   true ranges. RSI's first value is at index n (n changes; as TA-Lib and StockCharts). RSI = 100 × gain/(gain+loss),
//   50 when both averages are 0 (a flat window). The first bar's true range is high − low (it has no previous close),
//   so ATR's first value is at index n − 1, as StockCharts' ATR table and TradingView's ta.atr (TA-Lib skips that
//   bar and starts one later).
// - MACD: EMA(fast) − EMA(slow), each seeded on its own from the start (as StockCharts; TA-Lib seeds the fast one at
//   the slow one's first bar, so its first values differ); signal = EMA(signal) of the MACD line; histogram = the
//   difference. First MACD at index slow − 1, first signal at slow + signal − 2.
// - Supertrend: bands hl2 ± multiplier × ATR with the usual final-band recursion (a band only tightens unless the
//   previous close broke it); the first value (the first bar with an ATR) counts as a downtrend (line = upper band),
//   as TradingView's ta.supertrend; then up once the close is above the upper band, down once below the lower band.
// - VWAP: Σ typical × volume / Σ volume with typical = (high + low + close) / 3, restarting at each UTC day of the bar
//   time; NaN while the day's volume is still 0.
// - EMA, WMA, RSI and MACD start at the first non-NaN input (so they can run over another indicator's output); a NaN
//   after that start propagates through their recursion.

export interface MacdSeries {
  readonly macd: Float64Array;
  readonly signal: Float64Array;
  readonly histogram: Float64Array;
}

export interface BandSeries {
  readonly upper: Float64Array;
  readonly middle: Float64Array;
  readonly lower: Float64Array;
}

export interface SupertrendSeries {
  /** The trailing stop: the lower band in an uptrend, the upper band in a downtrend. */
  readonly line: Float64Array;
  /** +1 in an uptrend, −1 in a downtrend. */
  readonly direction: Float64Array;
}

export const MS_PER_DAY = 86_400_000;

/** Simple moving average of the last `length` values (pandas' rolling mean); NaN for the first `length − 1`. */
export function sma(values: Float64Array, length: number): Float64Array {
  checkLength(length);
  const n = values.length;
  const out = new Float64Array(n);
  let sum = 0;
  let addCompensation = 0;
  let removeCompensation = 0;
  let count = 0;
  let negatives = 0;
  let sameRun = 0;
  let previous = Number.NaN;
  for (let i = 0; i < n; i++) {
    // `x === x` is false only for NaN, which pandas leaves out of the sum and the count.
    if (i >= length) {
      const old = values[i - length]!;
      if (old === old) {
        count--;
        const y = -old - removeCompensation;
        const t = sum + y;
        removeCompensation = t - sum - y;
        sum = t;
        if (isNegative(old)) negatives--;
      }
    }
    const value = values[i]!;
    if (value === value) {
      count++;
      const y = value - addCompensation;
      const t = sum + y;
      addCompensation = t - sum - y;
      sum = t;
      if (isNegative(value)) negatives++;
      sameRun = value === previous ? sameRun + 1 : 1;
      previous = value;
    }
    out[i] = count < length ? Number.NaN : windowMean(sum, count, negatives, sameRun, previous);
  }
  return out;
}

/** Exponential moving average; NaN before the `length`-th value. */
export function ema(values: Float64Array, length: number): Float64Array {
  checkLength(length);
  const n = values.length;
  const out = nans(n);
  const start = firstNumber(values);
  const seeded = start + length - 1;
  if (seeded >= n) return out;
  const alpha = 2 / (length + 1);
  let sum = 0;
  for (let i = start; i <= seeded; i++) sum += values[i]!;
  let average = sum / length;
  out[seeded] = average;
  for (let i = seeded + 1; i < n; i++) {
    average = (values[i]! - average) * alpha + average;
    out[i] = average;
  }
  return out;
}

/** Linearly weighted moving average (weight n on the newest value down to 1 on the oldest). */
export function wma(values: Float64Array, length: number): Float64Array {
  checkLength(length);
  const n = values.length;
  const out = nans(n);
  const start = firstNumber(values);
  const first = start + length - 1;
  if (first >= n) return out;
  const divider = (length * (length + 1)) / 2;
  let weighted = 0;
  let plain = 0;
  for (let k = 0; k < length - 1; k++) {
    const value = values[start + k]!;
    plain += value;
    weighted += value * (k + 1);
  }
  let trailing = 0;
  for (let i = first; i < n; i++) {
    const value = values[i]!;
    plain += value;
    plain -= trailing;
    weighted += value * length;
    trailing = values[i - length + 1]!;
    out[i] = weighted / divider;
    weighted -= plain;
  }
  return out;
}

/** Wilder's relative strength index, 0–100; first value at index `length` (after `length` changes). */
export function rsi(values: Float64Array, length: number): Float64Array {
  checkLength(length);
  const n = values.length;
  const out = nans(n);
  const start = firstNumber(values);
  const first = start + length;
  if (first >= n) return out;
  let gain = 0;
  let loss = 0;
  for (let i = start + 1; i <= first; i++) {
    const change = values[i]! - values[i - 1]!;
    if (change < 0) loss -= change;
    else gain += change;
  }
  gain /= length;
  loss /= length;
  out[first] = strength(gain, loss);
  const keep = length - 1;
  for (let i = first + 1; i < n; i++) {
    const change = values[i]! - values[i - 1]!;
    gain *= keep;
    loss *= keep;
    if (change < 0) loss -= change;
    else gain += change;
    gain /= length;
    loss /= length;
    out[i] = strength(gain, loss);
  }
  return out;
}

/** MACD line, its signal line and their difference (defaults 12, 26, 9). */
export function macd(values: Float64Array, fast = 12, slow = 26, signal = 9): MacdSeries {
  const fastLine = ema(values, fast);
  const slowLine = ema(values, slow);
  const n = values.length;
  const line = new Float64Array(n);
  for (let i = 0; i < n; i++) line[i] = fastLine[i]! - slowLine[i]!;
  const signalLine = ema(line, signal);
  const histogram = new Float64Array(n);
  for (let i = 0; i < n; i++) histogram[i] = line[i]! - signalLine[i]!;
  return { macd: line, signal: signalLine, histogram };
}

/** True range: max(high − low, |high − previous close|, |low − previous close|); high − low on the first bar. */
export function trueRange(high: Float64Array, low: Float64Array, close: Float64Array): Float64Array {
  const n = close.length;
  const out = new Float64Array(n);
  if (n > 0) out[0] = high[0]! - low[0]!;
  for (let i = 1; i < n; i++) out[i] = barRange(high[i]!, low[i]!, close[i - 1]!);
  return out;
}

/** Wilder's average true range; first value at index `length − 1`. */
export function atr(high: Float64Array, low: Float64Array, close: Float64Array, length: number): Float64Array {
  checkLength(length);
  const n = close.length;
  const out = nans(n);
  if (length > n) return out;
  let sum = high[0]! - low[0]!;
  for (let i = 1; i < length; i++) sum += barRange(high[i]!, low[i]!, close[i - 1]!);
  let average = sum / length;
  out[length - 1] = average;
  const keep = length - 1;
  for (let i = length; i < n; i++) {
    average *= keep;
    average += barRange(high[i]!, low[i]!, close[i - 1]!);
    average /= length;
    out[i] = average;
  }
  return out;
}

/** Population standard deviation of the last `length` values (pandas' `rolling(n).std(ddof=0)`). */
export function stdev(values: Float64Array, length: number): Float64Array {
  checkLength(length);
  const n = values.length;
  const out = new Float64Array(n);
  let count = 0;
  let mean = 0;
  let squares = 0;
  let addCompensation = 0;
  let removeCompensation = 0;
  let sameRun = 0;
  let previous = Number.NaN;
  for (let i = 0; i < n; i++) {
    if (i >= length) {
      const old = values[i - length]!;
      if (old === old) {
        count--;
        if (count !== 0) {
          const before = mean - removeCompensation;
          const y = old - removeCompensation;
          const t = y - mean;
          removeCompensation = t + mean - y;
          mean -= t / count;
          squares -= (old - before) * (old - mean);
        } else {
          mean = 0;
          squares = 0;
        }
      }
    }
    const value = values[i]!;
    if (value === value) {
      count++;
      sameRun = value === previous ? sameRun + 1 : 1;
      previous = value;
      const before = mean - addCompensation;
      const y = value - addCompensation;
      const t = y - mean;
      addCompensation = t + mean - y;
      mean += t / count;
      squares += (value - before) * (value - mean);
    }
    out[i] = count < length ? Number.NaN : windowDeviation(squares, count, sameRun);
  }
  return out;
}

/** Bollinger bands: the SMA and `deviations` population standard deviations either side of it. */
export function bollinger(values: Float64Array, length: number, deviations = 2): BandSeries {
  const middle = sma(values, length);
  const deviation = stdev(values, length);
  const n = values.length;
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const width = deviations * deviation[i]!;
    upper[i] = middle[i]! + width;
    lower[i] = middle[i]! - width;
  }
  return { upper, middle, lower };
}

/** Supertrend over Wilder's ATR(`length`); first value at index `length − 1`. */
export function supertrend(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  length: number,
  multiplier: number,
): SupertrendSeries {
  const range = atr(high, low, close, length);
  const n = close.length;
  const line = nans(n);
  const direction = nans(n);
  let upper = 0;
  let lower = 0;
  let trend = -1;
  for (let i = length - 1; i < n; i++) {
    const middle = (high[i]! + low[i]!) / 2;
    const width = multiplier * range[i]!;
    const basicUpper = middle + width;
    const basicLower = middle - width;
    const price = close[i]!;
    if (i === length - 1) {
      upper = basicUpper;
      lower = basicLower;
    } else {
      const previousClose = close[i - 1]!;
      if (basicUpper < upper || previousClose > upper) upper = basicUpper;
      if (basicLower > lower || previousClose < lower) lower = basicLower;
      trend = trend < 0 ? (price > upper ? 1 : -1) : price < lower ? -1 : 1;
    }
    line[i] = trend > 0 ? lower : upper;
    direction[i] = trend;
  }
  return { line, direction };
}

/** Volume-weighted average of the typical price since the start of the bar's UTC day. */
export function vwap(
  time: Float64Array,
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
): Float64Array {
  const n = close.length;
  const out = new Float64Array(n);
  let day = Number.NaN;
  let weighted = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const barDay = Math.floor(time[i]! / MS_PER_DAY);
    if (barDay !== day) {
      day = barDay;
      weighted = 0;
      total = 0;
    }
    const size = volume[i]!;
    weighted += ((high[i]! + low[i]! + close[i]!) / 3) * size;
    total += size;
    out[i] = total === 0 ? Number.NaN : weighted / total;
  }
  return out;
}

/** `a` crossed above `b` at index `i`: strictly below at i − 1 and strictly above at i (backtesting.py's rule). */
export function crossoverAt(a: Float64Array, b: Float64Array | number, i: number): boolean {
  if (i < 1) return false;
  const bNow = typeof b === 'number' ? b : b[i]!;
  const bBefore = typeof b === 'number' ? b : b[i - 1]!;
  return a[i - 1]! < bBefore && a[i]! > bNow;
}

/** `a` crossed below `b` at index `i`: strictly above at i − 1 and strictly below at i. */
export function crossunderAt(a: Float64Array, b: Float64Array | number, i: number): boolean {
  if (i < 1) return false;
  const bNow = typeof b === 'number' ? b : b[i]!;
  const bBefore = typeof b === 'number' ? b : b[i - 1]!;
  return a[i - 1]! > bBefore && a[i]! < bNow;
}

// The arithmetic below is shared with incremental-indicators.ts, so that both ways round alike.

/**
 * The mean of a full window as pandas gives it: the exact value when all n are equal, 0 rather than a rounding
 * residue of the wrong sign.
 */
export function windowMean(sum: number, count: number, negatives: number, sameRun: number, last: number): number {
  const mean = sum / count;
  if (sameRun >= count) return last;
  if (negatives === 0 && mean < 0) return 0;
  if (negatives === count && mean > 0) return 0;
  return mean;
}

/** The population standard deviation of a full window as pandas gives it (0 for n equal values). */
export function windowDeviation(squares: number, count: number, sameRun: number): number {
  if (count === 1 || sameRun >= count) return 0;
  const variance = squares / count;
  return variance < 0 ? 0 : Math.sqrt(variance);
}

/** RSI from Wilder's average gain and loss. */
export function strength(gain: number, loss: number): number {
  const total = gain + loss;
  return total === 0 ? 50 : 100 * (gain / total);
}

/** One bar's true range given the previous bar's close. */
export function barRange(high: number, low: number, previousClose: number): number {
  let greatest = high - low;
  const up = Math.abs(high - previousClose);
  if (up > greatest) greatest = up;
  const down = Math.abs(low - previousClose);
  if (down > greatest) greatest = down;
  return greatest;
}

/** Sign bit set (−0 counts as negative, as C's signbit). */
export function isNegative(value: number): boolean {
  return value < 0 || (value === 0 && 1 / value < 0);
}

export function checkLength(length: number): void {
  if (!Number.isInteger(length) || length < 1) {
    throw new RangeError(`indicator length must be a whole number ≥ 1, got ${length}`);
  }
}

function nans(n: number): Float64Array {
  return new Float64Array(n).fill(Number.NaN);
}

function firstNumber(values: Float64Array): number {
  let i = 0;
  while (i < values.length && values[i] !== values[i]) i++;
  return i;
}
