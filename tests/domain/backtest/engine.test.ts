// The backtest loop around the fill model: the warm-up and where the strategy starts, refused parameters and data too
// short for the indicators, the fills a strategy is told of, progress and cancellation, and the Lines it reads.
import { describe, expect, it } from 'vitest';
import { allocateBars, type BarColumns } from '../../../src/domain/backtest/bars.js';
import { runSimulation } from '../../../src/domain/backtest/engine.js';
import { BacktestCancelled, InsufficientBars, InvalidBacktestParams, InvalidStrategy } from '../../../src/domain/backtest/errors.js';
import { sma } from '../../../src/domain/backtest/indicators.js';
import { Cursor, SeriesIndicatorKit, SeriesLine } from '../../../src/domain/backtest/series-lines.js';
import { DEFAULT_SETTINGS } from '../../../src/domain/backtest/simulation.js';
import smaCross from '../../../src/domain/backtest/strategies/sma-cross.js';
import { defineStrategy, type FillView, type Line, type ParamValues } from '../../../src/domain/backtest/strategy.js';

const SETTINGS = { ...DEFAULT_SETTINGS, cash: 10_000 };

/** `closes.length` daily bars whose open, high and low equal the close. */
function flatBars(closes: readonly number[]): BarColumns {
  const bars = allocateBars(closes.length);
  closes.forEach((close, i) => {
    bars.time[i] = Date.UTC(2024, 0, 1) + i * 86_400_000;
    bars.open[i] = bars.high[i] = bars.low[i] = bars.close[i] = close;
    bars.volume[i] = 100;
  });
  return bars;
}

const TEN = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19];

describe('the warm-up', () => {
  it('starts the strategy one bar after every indicator has a value and back-fills the equity before it', () => {
    const seen: number[] = [];
    const strategy = defineStrategy<ParamValues, { slow: Line }>({
      name: 'watch',
      description: 'notes the bars it sees',
      params: [],
      init: ({ indicators }) => {
        indicators.sma(2);
        return { slow: indicators.sma(4) };
      },
      onBar(ctx, { slow }) {
        seen.push(ctx.bars.index, slow.value);
        if (ctx.bars.index === 5) ctx.buy({ size: 1 });
      },
    });
    const result = runSimulation(flatBars(TEN), strategy, {}, SETTINGS);
    // SMA(4) first has a value at bar 3 (the warm-up); the loop starts at bar 4, where SMA(4) = (11 + 12 + 13 + 14) / 4.
    expect(result.warmup).toBe(3);
    expect(seen.slice(0, 4)).toEqual([4, 12.5, 5, 13.5]);
    expect(seen.length).toBe(12);
    // One unit bought at bar 6's price 16, worth 19 at the end.
    expect(Array.from(result.equity)).toEqual([10000, 10000, 10000, 10000, 10000, 10000, 10000, 10001, 10002, 10003]);
  });

  it('refuses data with no bar left after the warm-up, saying how many bars it needs', () => {
    const run = (closes: readonly number[]) => runSimulation(flatBars(closes), smaCross, { fast: 3, slow: 9 }, SETTINGS);
    // SMA(9) has its first value at bar 8, and the loop needs one bar after it: 10 bars.
    expect(() => run(TEN.slice(0, 9))).toThrow(new InsufficientBars(10, 9));
    expect(() => run(TEN.slice(0, 5))).toThrow('need at least 10 bars, but the data has 5');
    expect(run(TEN).warmup).toBe(8);
  });
});

describe('parameters', () => {
  const run = (params: ParamValues) => runSimulation(flatBars(TEN), smaCross, params, SETTINGS);

  it('take the declared defaults', () => {
    expect(() => run({})).toThrow(InsufficientBars);
  });

  it('are refused, naming the parameter, when unknown, of the wrong type, out of range or against the constraint', () => {
    const refusal = (params: ParamValues): InvalidBacktestParams => {
      try {
        run(params);
      } catch (error) {
        if (error instanceof InvalidBacktestParams) return error;
        throw error;
      }
      throw new Error('accepted');
    };
    expect(refusal({ fats: 3 })).toMatchObject({ param: 'fats', code: 'INVALID_BACKTEST_PARAMS' });
    expect(refusal({ fats: 3 }).message).toBe("Strategy 'sma_cross' has no parameter 'fats' (its parameters: fast, slow)");
    expect(refusal({ fast: 2.5 }).message).toBe("Parameter 'fast' must be a whole number, got 2.5");
    expect(refusal({ fast: true }).message).toBe("Parameter 'fast' must be a number, got true");
    expect(refusal({ fast: 0 }).message).toBe("Parameter 'fast' must be at least 1, got 0");
    expect(refusal({ slow: 501 }).message).toBe("Parameter 'slow' must be at most 500, got 501");
    expect(refusal({ fast: 5, slow: 5 })).toMatchObject({
      param: 'params',
      message: "Parameters fast=5, slow=5 break the constraint of strategy 'sma_cross'",
    });
  });
});

describe('the strategy context', () => {
  it('tells the strategy of each fill before its next bar', () => {
    const events: Array<[number, FillView]> = [];
    const strategy = defineStrategy<ParamValues, null>({
      name: 'fills',
      description: 'buys then closes',
      params: [],
      init: () => null,
      onBar(ctx) {
        if (ctx.bars.index === 1) ctx.buy({ size: 2, tag: 'entry' });
        if (ctx.bars.index === 3) ctx.close();
      },
      onFill(ctx, fill) {
        events.push([ctx.bars.index, fill]);
      },
    });
    runSimulation(flatBars(TEN), strategy, {}, SETTINGS);
    // Bought at bar 2's open 12, sold at bar 4's open 14.
    expect(events).toEqual([
      [2, { size: 2, price: 12, tag: 'entry' }],
      [4, { size: -2, price: 14, tag: 'entry' }],
    ]);
  });

  it('reports progress, and stops when asked', () => {
    const closes = Array.from({ length: 70_000 }, (_, i) => 100 + (i % 7));
    const progress: number[] = [];
    runSimulation(flatBars(closes), smaCross, {}, SETTINGS, { onProgress: (fraction) => progress.push(fraction) });
    // Bar 65,536 is the only multiple of 65,536 in the loop (bars 20 to 69,999); then the end.
    expect(progress).toEqual([(65_536 - 20) / (70_000 - 20), 1]);
    expect(() => runSimulation(flatBars(closes), smaCross, {}, SETTINGS, { shouldStop: () => true })).toThrow(
      new BacktestCancelled(65_536),
    );
  });
});

describe('series lines and the indicator kit', () => {
  it('show the value at the cursor and before it, never after', () => {
    const cursor = new Cursor();
    const line = new SeriesLine(Float64Array.of(1, 2, 3, 4), cursor);
    cursor.index = 2;
    expect([line.value, line.ago(0), line.ago(1), line.ago(2)]).toEqual([3, 3, 2, 1]);
    expect(line.ago(3)).toBeNaN();
    expect(line.ago(-1)).toBeNaN();
  });

  it('computes an indicator over another one and counts the stacked warm-up', () => {
    const bars = flatBars(TEN);
    const kit = new SeriesIndicatorKit(bars, new Cursor());
    const inner = kit.sma(3);
    const outer = kit.sma(2, inner) as SeriesLine;
    expect(Array.from(outer.values)).toEqual(Array.from(sma(sma(bars.close, 3), 2)));
    expect(kit.warmup).toBe(3);
  });

  it('takes the warm-up of a multi-line indicator from its slowest line', () => {
    const kit = new SeriesIndicatorKit(flatBars([...TEN, ...TEN, ...TEN, ...TEN]), new Cursor());
    kit.macd(3, 6, 4);
    // The MACD line starts at bar 5 (EMA 6), its signal 3 bars later.
    expect(kit.warmup).toBe(8);
  });

  it('refuses a Line it did not make as an indicator source', () => {
    const kit = new SeriesIndicatorKit(flatBars(TEN), new Cursor());
    expect(() => kit.sma(2, { value: 1, ago: () => 1 })).toThrow(InvalidStrategy);
  });

  it('counts the bars an indicator would need when the data is too short for any value', () => {
    const strategy = defineStrategy<ParamValues, null>({
      name: 'long-rsi',
      description: 'an RSI longer than the data',
      params: [],
      init: ({ indicators }) => {
        indicators.rsi(20);
        return null;
      },
      onBar: () => undefined,
    });
    // RSI(20) first has a value at bar 20; with the bar after it, 22 bars.
    expect(() => runSimulation(flatBars(TEN), strategy, {}, SETTINGS)).toThrow(new InsufficientBars(22, 10));
  });
});
