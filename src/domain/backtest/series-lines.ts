// The backtest's view of the data: Lines over whole-series arrays that all read one shared cursor (the bar being
// simulated), and the IndicatorKit that computes each declared indicator once over the whole series and remembers
// when it first has a value (the warm-up). Reading a Line is an array read; nothing is allocated per bar.
import type { BarColumns, PriceField } from './bars.js';
import { InvalidStrategy } from './errors.js';
import { atr, bollinger, ema, macd, rsi, sma, supertrend, vwap, wma } from './indicators.js';
import type { Bands, BarsView, IndicatorKit, Line, Macd, Supertrend } from './strategy.js';

/** The bar the run is at. One per run; every SeriesLine of the run reads it. */
export class Cursor {
  index = 0;
}

/** A Line whose values are known for the whole series in advance; it shows them up to the cursor. */
export class SeriesLine implements Line {
  constructor(
    readonly values: Float64Array,
    private readonly cursor: Cursor,
  ) {}

  get value(): number {
    return this.values[this.cursor.index] as number;
  }

  ago(barsAgo: number): number {
    const index = this.cursor.index - barsAgo;
    // barsAgo < 0 would look into the future, which a backtest must never show.
    return index >= 0 && barsAgo >= 0 ? (this.values[index] as number) : Number.NaN;
  }
}

/** The bars as Lines over their columns. */
export class SeriesBarsView implements BarsView {
  readonly open: SeriesLine;
  readonly high: SeriesLine;
  readonly low: SeriesLine;
  readonly close: SeriesLine;
  readonly volume: SeriesLine;

  constructor(
    private readonly bars: BarColumns,
    private readonly cursor: Cursor,
  ) {
    this.open = new SeriesLine(bars.open, cursor);
    this.high = new SeriesLine(bars.high, cursor);
    this.low = new SeriesLine(bars.low, cursor);
    this.close = new SeriesLine(bars.close, cursor);
    this.volume = new SeriesLine(bars.volume, cursor);
  }

  get index(): number {
    return this.cursor.index;
  }

  get time(): number {
    return this.bars.time[this.cursor.index] as number;
  }
}

/** An indicator output declared through the kit: its values and its first index with a value. */
interface Declared {
  readonly values: Float64Array;
  /** The first index with a value; when the data is too short to give any, the index it would have had. */
  readonly firstValue: number;
  readonly hasValue: boolean;
}

/**
 * Computes indicators over the whole series as a strategy's `init` declares them. The warm-up is backtesting.py's:
 * the largest first-valued index over every declared output.
 */
export class SeriesIndicatorKit implements IndicatorKit {
  private readonly declared: Declared[] = [];

  constructor(
    private readonly bars: BarColumns,
    private readonly cursor: Cursor,
  ) {}

  sma(length: number, source: PriceField | Line = 'close'): Line {
    const input = this.input(source);
    return this.declare(sma(input.values, length), input.firstValue + length - 1);
  }

  ema(length: number, source: PriceField | Line = 'close'): Line {
    const input = this.input(source);
    return this.declare(ema(input.values, length), input.firstValue + length - 1);
  }

  wma(length: number, source: PriceField | Line = 'close'): Line {
    const input = this.input(source);
    return this.declare(wma(input.values, length), input.firstValue + length - 1);
  }

  rsi(length: number, source: PriceField | Line = 'close'): Line {
    const input = this.input(source);
    return this.declare(rsi(input.values, length), input.firstValue + length);
  }

  macd(fast = 12, slow = 26, signal = 9, source: PriceField | Line = 'close'): Macd {
    const input = this.input(source);
    const series = macd(input.values, fast, slow, signal);
    const line = input.firstValue + Math.max(fast, slow) - 1;
    return {
      macd: this.declare(series.macd, line),
      signal: this.declare(series.signal, line + signal - 1),
      histogram: this.declare(series.histogram, line + signal - 1),
    };
  }

  atr(length: number): Line {
    const { high, low, close } = this.bars;
    return this.declare(atr(high, low, close, length), length);
  }

  bollinger(length: number, deviations = 2, source: PriceField | Line = 'close'): Bands {
    const input = this.input(source);
    const bands = bollinger(input.values, length, deviations);
    const first = input.firstValue + length - 1;
    return {
      upper: this.declare(bands.upper, first),
      middle: this.declare(bands.middle, first),
      lower: this.declare(bands.lower, first),
    };
  }

  supertrend(length: number, multiplier: number): Supertrend {
    const { high, low, close } = this.bars;
    const series = supertrend(high, low, close, length, multiplier);
    return { line: this.declare(series.line, length), direction: this.declare(series.direction, length) };
  }

  vwap(): Line {
    const { time, high, low, close, volume } = this.bars;
    const values = vwap(time, high, low, close, volume);
    if (this.bars.length > 0 && firstNumber(values) < 0) {
      throw new InvalidStrategy('VWAP has no value on these bars: their volume is 0 throughout');
    }
    return this.declare(values, 0);
  }

  /** The first bar index at which every declared indicator has a value (0 when none is declared). */
  get warmup(): number {
    let warmup = 0;
    for (const output of this.declared) if (output.firstValue > warmup) warmup = output.firstValue;
    return warmup;
  }

  /** Whether some declared indicator has no value anywhere in the data (the data is too short for it). */
  get lacksValues(): boolean {
    return this.declared.some((output) => !output.hasValue);
  }

  private declare(values: Float64Array, expectedFirst: number): SeriesLine {
    const first = firstNumber(values);
    this.declared.push({ values, firstValue: first >= 0 ? first : expectedFirst, hasValue: first >= 0 });
    return new SeriesLine(values, this.cursor);
  }

  /** The values an indicator runs over, and the first index at which they have a value. */
  private input(source: PriceField | Line): { values: Float64Array; firstValue: number } {
    if (typeof source === 'string') return { values: this.bars[source], firstValue: 0 };
    if (!(source instanceof SeriesLine)) {
      throw new InvalidStrategy('An indicator can only run over a price field or a Line the indicator kit returned');
    }
    const own = this.declared.find((output) => output.values === source.values);
    return { values: source.values, firstValue: own ? own.firstValue : 0 };
  }
}

function firstNumber(values: Float64Array): number {
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) return i;
  return -1;
}
