import { describe, expect, it } from 'vitest';
import type { BarColumns } from '../../../src/domain/backtest/bars.js';
import {
  IncrementalAtr,
  IncrementalBollinger,
  IncrementalEma,
  IncrementalMacd,
  IncrementalRsi,
  IncrementalSma,
  IncrementalStdev,
  IncrementalSupertrend,
  IncrementalVwap,
  IncrementalWma,
} from '../../../src/domain/backtest/incremental-indicators.js';
import {
  atr,
  bollinger,
  ema,
  macd,
  rsi,
  sma,
  stdev,
  supertrend,
  vwap,
  wma,
} from '../../../src/domain/backtest/indicators.js';
import { readBundledSeries, type BundledSeries } from './series-csv.js';

const DATASETS: readonly BundledSeries[] = ['GOOG', 'EURUSD', 'BTCUSD'];
const LENGTHS = [1, 2, 3, 5, 9, 10, 14, 20, 26, 50, 100, 200];

/** The first index where the two differ in any bit (NaN equals NaN), or undefined. */
function firstDifference(actual: Float64Array, expected: Float64Array): string | undefined {
  if (actual.length !== expected.length) return `lengths ${actual.length} and ${expected.length}`;
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) return `index ${i}: ${actual[i]} instead of ${expected[i]}`;
  }
  return undefined;
}

function expectSame(actual: Float64Array, expected: Float64Array, label: string): void {
  expect(firstDifference(actual, expected), label).toBeUndefined();
}

/** Feeds `values` one at a time and collects what `update` returns. */
function stream(values: Float64Array, indicator: { update(value: number): number }): Float64Array {
  return values.map((value) => indicator.update(value));
}

/** Feeds the bars one at a time and collects `read()` after each update. */
function streamBars(bars: BarColumns, update: (i: number) => void, read: () => number): Float64Array {
  const out = new Float64Array(bars.length);
  for (let i = 0; i < bars.length; i++) {
    update(i);
    out[i] = read();
  }
  return out;
}

/** GOOG closes with NaN gaps, and another indicator's output (NaN for its warm-up): inputs that are not prices. */
function irregularInputs(): Record<string, Float64Array> {
  const gapped = readBundledSeries('GOOG').close.slice();
  for (const i of [0, 5, 50, 51, 300, 1000, 1001, 1002]) gapped[i] = Number.NaN;
  return { gapped, smoothed: ema(readBundledSeries('EURUSD').close, 20) };
}

describe('incremental indicators give the whole-series values bit for bit', () => {
  describe.each(DATASETS)('on %s', (name) => {
    const bars = readBundledSeries(name);
    const close = bars.close;

    it('SMA for every length 1..200 and stdev for the usual lengths', () => {
      for (let length = 1; length <= 200; length++) {
        expectSame(stream(close, new IncrementalSma(length)), sma(close, length), `SMA ${length}`);
      }
      for (const length of LENGTHS) {
        expectSame(stream(close, new IncrementalStdev(length)), stdev(close, length), `stdev ${length}`);
      }
    });

    it('EMA, WMA and RSI', () => {
      for (const length of LENGTHS) {
        expectSame(stream(close, new IncrementalEma(length)), ema(close, length), `EMA ${length}`);
        expectSame(stream(close, new IncrementalWma(length)), wma(close, length), `WMA ${length}`);
        expectSame(stream(close, new IncrementalRsi(length)), rsi(close, length), `RSI ${length}`);
      }
    });

    it('MACD: line, signal and histogram', () => {
      for (const [fast, slow, signal] of [
        [12, 26, 9],
        [5, 35, 5],
        [3, 10, 16],
      ] as const) {
        const whole = macd(close, fast, slow, signal);
        const live = new IncrementalMacd(fast, slow, signal);
        const lines = {
          macd: new Float64Array(close.length),
          signal: new Float64Array(close.length),
          histogram: new Float64Array(close.length),
        };
        close.forEach((value, i) => {
          lines.macd[i] = live.update(value);
          lines.signal[i] = live.signal;
          lines.histogram[i] = live.histogram;
        });
        for (const line of ['macd', 'signal', 'histogram'] as const) {
          expectSame(lines[line], whole[line], `MACD ${fast}/${slow}/${signal} ${line}`);
        }
      }
    });

    it('ATR', () => {
      for (const length of LENGTHS) {
        const live = new IncrementalAtr(length);
        const update = (i: number): number => live.update(bars.high[i]!, bars.low[i]!, bars.close[i]!);
        const values = streamBars(bars, update, () => live.value);
        expectSame(values, atr(bars.high, bars.low, bars.close, length), `ATR ${length}`);
      }
    });

    it('Bollinger bands', () => {
      for (const [length, deviations] of [
        [20, 2],
        [10, 1.5],
        [2, 3],
      ] as const) {
        const whole = bollinger(close, length, deviations);
        for (const band of ['upper', 'middle', 'lower'] as const) {
          const live = new IncrementalBollinger(length, deviations);
          const values = streamBars(bars, (i) => live.update(close[i]!), () => live[band]);
          expectSame(values, whole[band], `Bollinger ${length}, ${deviations} ${band}`);
        }
      }
    });

    it('Supertrend: line and direction', () => {
      for (const [length, multiplier] of [
        [10, 3],
        [7, 2],
        [1, 1],
        [14, 0.5],
      ] as const) {
        const whole = supertrend(bars.high, bars.low, bars.close, length, multiplier);
        const live = new IncrementalSupertrend(length, multiplier);
        const direction = new Float64Array(bars.length);
        const line = streamBars(
          bars,
          (i) => {
            live.update(bars.high[i]!, bars.low[i]!, bars.close[i]!);
            direction[i] = live.direction;
          },
          () => live.value,
        );
        expectSame(line, whole.line, `Supertrend ${length}, ${multiplier} line`);
        expectSame(direction, whole.direction, `Supertrend ${length}, ${multiplier} direction`);
        expect(Array.from(new Set(whole.direction.filter((d) => !Number.isNaN(d)))).sort()).toEqual([-1, 1]);
      }
    });

    it('VWAP', () => {
      const live = new IncrementalVwap();
      const values = streamBars(
        bars,
        (i) => live.update(bars.time[i]!, bars.high[i]!, bars.low[i]!, bars.close[i]!, bars.volume[i]!),
        () => live.value,
      );
      expectSame(values, vwap(bars.time, bars.high, bars.low, bars.close, bars.volume), 'VWAP');
    });
  });

  it.each(Object.entries(irregularInputs()))('over %s input (NaNs in it)', (_, values) => {
    for (const length of LENGTHS) {
      expectSame(stream(values, new IncrementalSma(length)), sma(values, length), `SMA ${length}`);
      expectSame(stream(values, new IncrementalStdev(length)), stdev(values, length), `stdev ${length}`);
      expectSame(stream(values, new IncrementalEma(length)), ema(values, length), `EMA ${length}`);
      expectSame(stream(values, new IncrementalWma(length)), wma(values, length), `WMA ${length}`);
      expectSame(stream(values, new IncrementalRsi(length)), rsi(values, length), `RSI ${length}`);
    }
  });
});

describe('incremental indicators one value at a time', () => {
  const closes = [10, 12, 11, 14, 13, 16];

  it('return NaN during the warm-up and the current value after it', () => {
    // Worked by hand in indicators.test.ts: SMA(3) 11, 37/3, 38/3, 43/3; EMA(3) 11, 12.5, 12.75, 14.375
    const average = new IncrementalSma(3);
    const exponential = new IncrementalEma(3);
    expect(closes.map((value) => average.update(value))).toEqual([Number.NaN, Number.NaN, 11, 37 / 3, 38 / 3, 43 / 3]);
    expect(closes.map((value) => exponential.update(value))).toEqual([Number.NaN, Number.NaN, 11, 12.5, 12.75, 14.375]);
    expect(average.value).toBe(43 / 3);
    expect(exponential.value).toBe(14.375);
  });

  it('MACD keeps its signal and histogram beside the line it returns', () => {
    // fast 2, slow 3, signal 2: MACD 0, 0.5, 0.25, 0.625 from the third value; signal 0.25, 0.25, 0.5 from the fourth
    const live = new IncrementalMacd(2, 3, 2);
    const seen = closes.map((value) => [live.update(value), live.signal, live.histogram]);
    expect(seen[2]).toEqual([0, Number.NaN, Number.NaN]);
    expect(seen[5]![0]).toBe(0.625);
    expect(seen[5]![1]).toBeCloseTo(0.5, 15);
    expect(seen[5]![2]).toBeCloseTo(0.125, 15);
    expect(live.value).toBe(0.625);
  });

  it('Bollinger bands keep the upper and lower bands beside the middle one they return', () => {
    // [10, 12, 11]: mean 11, population deviation √(2/3)
    const live = new IncrementalBollinger(3);
    closes.slice(0, 3).forEach((value) => live.update(value));
    expect(live.value).toBe(11);
    expect(live.upper).toBeCloseTo(11 + 2 * Math.sqrt(2 / 3), 12);
    expect(live.lower).toBeCloseTo(11 - 2 * Math.sqrt(2 / 3), 12);
  });

  it('Supertrend reports its direction', () => {
    // The six bars of indicators.test.ts: line 40/3 (down) at the third bar, then 91/9 (up).
    const live = new IncrementalSupertrend(3, 1);
    const bars = [
      [11, 9, 10],
      [13, 10, 12],
      [12, 10, 11],
      [15, 11, 14],
    ] as const;
    const seen = bars.map(([high, low, close]) => [live.update(high, low, close), live.direction]);
    expect(seen[1]).toEqual([Number.NaN, Number.NaN]);
    expect(seen[2]![0]).toBeCloseTo(40 / 3, 12);
    expect(seen[2]![1]).toBe(-1);
    expect(seen[3]![0]).toBeCloseTo(91 / 9, 12);
    expect(seen[3]![1]).toBe(1);
  });

  it('VWAP restarts at the UTC day boundary', () => {
    const live = new IncrementalVwap();
    const midnight = Date.UTC(2024, 0, 2);
    expect(live.update(midnight - 1, 12, 9, 9, 100)).toBe(10);
    expect(live.update(midnight, 21, 18, 21, 50)).toBe(20);
  });

  it('refuse a length that is not a whole number of at least 1', () => {
    expect(() => new IncrementalSma(0)).toThrow(RangeError);
    expect(() => new IncrementalRsi(1.5)).toThrow(RangeError);
  });
});
