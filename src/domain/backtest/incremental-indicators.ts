// The indicators of indicators.ts one value at a time, for live runs: `update` takes the next value (or bar) and
// returns the indicator's current value, NaN during the warm-up. O(1) per update in fixed memory, and the same
// arithmetic in the same order as the whole-series functions, so both give bit-identical values (conventions: the
// header of indicators.ts).
import { barRange, checkLength, isNegative, MS_PER_DAY, strength, windowDeviation, windowMean } from './indicators.js';

/** Simple moving average (pandas' rolling mean, to the last bit). */
export class IncrementalSma {
  value = Number.NaN;
  private readonly window: Float64Array;
  private slot = 0;
  private seen = 0;
  private sum = 0;
  private addCompensation = 0;
  private removeCompensation = 0;
  private count = 0;
  private negatives = 0;
  private sameRun = 0;
  private previous = Number.NaN;

  constructor(readonly length: number) {
    checkLength(length);
    this.window = new Float64Array(length);
  }

  update(input: number): number {
    const length = this.length;
    if (this.seen >= length) {
      const old = this.window[this.slot]!;
      if (old === old) {
        this.count--;
        const y = -old - this.removeCompensation;
        const t = this.sum + y;
        this.removeCompensation = t - this.sum - y;
        this.sum = t;
        if (isNegative(old)) this.negatives--;
      }
    }
    this.window[this.slot] = input;
    this.slot = this.slot + 1 === length ? 0 : this.slot + 1;
    this.seen++;
    if (input === input) {
      this.count++;
      const y = input - this.addCompensation;
      const t = this.sum + y;
      this.addCompensation = t - this.sum - y;
      this.sum = t;
      if (isNegative(input)) this.negatives++;
      this.sameRun = input === this.previous ? this.sameRun + 1 : 1;
      this.previous = input;
    }
    this.value =
      this.count < length ? Number.NaN : windowMean(this.sum, this.count, this.negatives, this.sameRun, this.previous);
    return this.value;
  }
}

/** Population standard deviation of the last `length` values (pandas' `rolling(n).std(ddof=0)`). */
export class IncrementalStdev {
  value = Number.NaN;
  private readonly window: Float64Array;
  private slot = 0;
  private seen = 0;
  private count = 0;
  private mean = 0;
  private squares = 0;
  private addCompensation = 0;
  private removeCompensation = 0;
  private sameRun = 0;
  private previous = Number.NaN;

  constructor(readonly length: number) {
    checkLength(length);
    this.window = new Float64Array(length);
  }

  update(input: number): number {
    const length = this.length;
    if (this.seen >= length) {
      const old = this.window[this.slot]!;
      if (old === old) {
        this.count--;
        if (this.count !== 0) {
          const before = this.mean - this.removeCompensation;
          const y = old - this.removeCompensation;
          const t = y - this.mean;
          this.removeCompensation = t + this.mean - y;
          this.mean -= t / this.count;
          this.squares -= (old - before) * (old - this.mean);
        } else {
          this.mean = 0;
          this.squares = 0;
        }
      }
    }
    this.window[this.slot] = input;
    this.slot = this.slot + 1 === length ? 0 : this.slot + 1;
    this.seen++;
    if (input === input) {
      this.count++;
      this.sameRun = input === this.previous ? this.sameRun + 1 : 1;
      this.previous = input;
      const before = this.mean - this.addCompensation;
      const y = input - this.addCompensation;
      const t = y - this.mean;
      this.addCompensation = t + this.mean - y;
      this.mean += t / this.count;
      this.squares += (input - before) * (input - this.mean);
    }
    this.value = this.count < length ? Number.NaN : windowDeviation(this.squares, this.count, this.sameRun);
    return this.value;
  }
}

/** Exponential moving average seeded with the mean of the first `length` values; leading NaNs are skipped. */
export class IncrementalEma {
  value = Number.NaN;
  private readonly alpha: number;
  private filled = 0;
  private sum = 0;

  constructor(readonly length: number) {
    checkLength(length);
    this.alpha = 2 / (length + 1);
  }

  update(input: number): number {
    if (this.filled < this.length) {
      if (this.filled === 0 && input !== input) return Number.NaN;
      this.sum += input;
      this.filled++;
      if (this.filled === this.length) this.value = this.sum / this.length;
      return this.value;
    }
    this.value = (input - this.value) * this.alpha + this.value;
    return this.value;
  }
}

/** Linearly weighted moving average; leading NaNs are skipped. */
export class IncrementalWma {
  value = Number.NaN;
  private readonly window: Float64Array;
  private readonly divider: number;
  private slot = 0;
  private seen = 0;
  private weighted = 0;
  private plain = 0;
  private trailing = 0;

  constructor(readonly length: number) {
    checkLength(length);
    this.window = new Float64Array(length);
    this.divider = (length * (length + 1)) / 2;
  }

  update(input: number): number {
    const length = this.length;
    if (this.seen === 0 && input !== input) return Number.NaN;
    this.window[this.slot] = input;
    this.slot = this.slot + 1 === length ? 0 : this.slot + 1;
    this.seen++;
    if (this.seen < length) {
      this.plain += input;
      this.weighted += input * this.seen;
      return Number.NaN;
    }
    this.plain += input;
    this.plain -= this.trailing;
    this.weighted += input * length;
    // After the write, `slot` points at the oldest value of the window: the one leaving it next.
    this.trailing = this.window[this.slot]!;
    this.value = this.weighted / this.divider;
    this.weighted -= this.plain;
    return this.value;
  }
}

/** Wilder's RSI; the first value comes with the `length`-th change. Leading NaNs are skipped. */
export class IncrementalRsi {
  value = Number.NaN;
  private seen = 0;
  private previous = 0;
  private gain = 0;
  private loss = 0;

  constructor(readonly length: number) {
    checkLength(length);
  }

  update(input: number): number {
    if (this.seen === 0) {
      if (input !== input) return Number.NaN;
      this.previous = input;
      this.seen = 1;
      return Number.NaN;
    }
    const length = this.length;
    const change = input - this.previous;
    this.previous = input;
    if (this.seen <= length) {
      if (change < 0) this.loss -= change;
      else this.gain += change;
      this.seen++;
      if (this.seen <= length) return Number.NaN;
      this.gain /= length;
      this.loss /= length;
    } else {
      const keep = length - 1;
      this.gain *= keep;
      this.loss *= keep;
      if (change < 0) this.loss -= change;
      else this.gain += change;
      this.gain /= length;
      this.loss /= length;
    }
    this.value = strength(this.gain, this.loss);
    return this.value;
  }
}

/** MACD; `update` returns the MACD line, and `signal` and `histogram` hold the other two. */
export class IncrementalMacd {
  macd = Number.NaN;
  signal = Number.NaN;
  histogram = Number.NaN;
  private readonly fastEma: IncrementalEma;
  private readonly slowEma: IncrementalEma;
  private readonly signalEma: IncrementalEma;

  constructor(fast = 12, slow = 26, signal = 9) {
    this.fastEma = new IncrementalEma(fast);
    this.slowEma = new IncrementalEma(slow);
    this.signalEma = new IncrementalEma(signal);
  }

  get value(): number {
    return this.macd;
  }

  update(input: number): number {
    this.macd = this.fastEma.update(input) - this.slowEma.update(input);
    this.signal = this.signalEma.update(this.macd);
    this.histogram = this.macd - this.signal;
    return this.macd;
  }
}

/** Wilder's average true range; the first value comes with bar `length` (the first bar's true range is high − low). */
export class IncrementalAtr {
  value = Number.NaN;
  private seen = 0;
  private previousClose = 0;
  private sum = 0;

  constructor(readonly length: number) {
    checkLength(length);
  }

  update(high: number, low: number, close: number): number {
    const seen = this.seen++;
    const range = seen === 0 ? high - low : barRange(high, low, this.previousClose);
    this.previousClose = close;
    const length = this.length;
    if (seen < length) {
      this.sum += range;
      if (seen < length - 1) return Number.NaN;
      this.value = this.sum / length;
      return this.value;
    }
    let average = this.value;
    average *= length - 1;
    average += range;
    average /= length;
    this.value = average;
    return average;
  }
}

/** Bollinger bands; `update` returns the middle band, and `upper` and `lower` hold the others. */
export class IncrementalBollinger {
  upper = Number.NaN;
  middle = Number.NaN;
  lower = Number.NaN;
  private readonly average: IncrementalSma;
  private readonly deviation: IncrementalStdev;

  constructor(
    length: number,
    readonly deviations = 2,
  ) {
    this.average = new IncrementalSma(length);
    this.deviation = new IncrementalStdev(length);
  }

  get value(): number {
    return this.middle;
  }

  update(input: number): number {
    const middle = this.average.update(input);
    const width = this.deviations * this.deviation.update(input);
    this.middle = middle;
    this.upper = middle + width;
    this.lower = middle - width;
    return middle;
  }
}

/** Supertrend; `update` returns the line, and `direction` holds +1 (up) or −1 (down). */
export class IncrementalSupertrend {
  value = Number.NaN;
  direction = Number.NaN;
  private readonly range: IncrementalAtr;
  private seen = 0;
  private previousClose = 0;
  private upper = 0;
  private lower = 0;
  private trend = -1;

  constructor(
    readonly length: number,
    readonly multiplier: number,
  ) {
    this.range = new IncrementalAtr(length);
  }

  update(high: number, low: number, close: number): number {
    const seen = this.seen++;
    const range = this.range.update(high, low, close);
    const previousClose = this.previousClose;
    this.previousClose = close;
    if (seen < this.length - 1) return Number.NaN;
    const middle = (high + low) / 2;
    const width = this.multiplier * range;
    const basicUpper = middle + width;
    const basicLower = middle - width;
    if (seen === this.length - 1) {
      this.upper = basicUpper;
      this.lower = basicLower;
    } else {
      if (basicUpper < this.upper || previousClose > this.upper) this.upper = basicUpper;
      if (basicLower > this.lower || previousClose < this.lower) this.lower = basicLower;
      this.trend = this.trend < 0 ? (close > this.upper ? 1 : -1) : close < this.lower ? -1 : 1;
    }
    this.value = this.trend > 0 ? this.lower : this.upper;
    this.direction = this.trend;
    return this.value;
  }
}

/** VWAP of the typical price since the start of the bar's UTC day (`time` in epoch ms). */
export class IncrementalVwap {
  value = Number.NaN;
  private day = Number.NaN;
  private weighted = 0;
  private total = 0;

  update(time: number, high: number, low: number, close: number, volume: number): number {
    const day = Math.floor(time / MS_PER_DAY);
    if (day !== this.day) {
      this.day = day;
      this.weighted = 0;
      this.total = 0;
    }
    this.weighted += ((high + low + close) / 3) * volume;
    this.total += volume;
    this.value = this.total === 0 ? Number.NaN : this.weighted / this.total;
    return this.value;
  }
}
