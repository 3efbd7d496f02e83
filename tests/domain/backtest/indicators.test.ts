import { describe, expect, it } from 'vitest';
import {
  atr,
  bollinger,
  crossoverAt,
  crossunderAt,
  ema,
  macd,
  rsi,
  sma,
  stdev,
  supertrend,
  trueRange,
  vwap,
  wma,
} from '../../../src/domain/backtest/indicators.js';
import { readBundledSeries } from './series-csv.js';

const NaN_ = Number.NaN;
const series = (...values: number[]): Float64Array => Float64Array.from(values);

/** Same NaN positions, and numbers equal to `digits` decimals (exact when the arithmetic is exact in binary). */
function expectSeries(actual: Float64Array, expected: readonly number[], digits = 12): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((value, i) => {
    if (Number.isNaN(value)) expect(actual[i], `index ${i}`).toBeNaN();
    else expect(actual[i], `index ${i}`).toBeCloseTo(value, digits);
  });
}

/** Each value rounds to the published figure at `decimals` places. */
function expectPublished(actual: Float64Array, published: readonly number[], decimals: number): void {
  expect(actual.length).toBe(published.length);
  const half = 0.5 * 10 ** -decimals * (1 + 1e-9);
  published.forEach((value, i) => {
    expect(Math.abs(actual[i]! - value), `index ${i}: ${actual[i]}`).toBeLessThanOrEqual(half);
  });
}

// The hand-worked series of the tests below (six closes).
const closes = series(10, 12, 11, 14, 13, 16);

// Six bars with a gap up at bar 4 and a gap down at bar 5, for the true range, ATR and Supertrend.
const highs = series(11, 13, 12, 15, 18, 13);
const lows = series(9, 10, 10, 11, 16, 12);
const barCloses = series(10, 12, 11, 14, 17, 12);

describe('sma', () => {
  it('averages the last n values and is NaN for the first n − 1', () => {
    // (10+12+11)/3 = 11, (12+11+14)/3 = 37/3, (11+14+13)/3 = 38/3, (14+13+16)/3 = 43/3
    expectSeries(sma(closes, 3), [NaN_, NaN_, 11, 37 / 3, 38 / 3, 43 / 3], 15);
    expect(sma(closes, 3)[3]).toBe(37 / 3);
  });

  it("matches pandas' rolling(n).mean() to the last bit on GOOG and EURUSD closes", () => {
    // Values printed by pandas 1.5.3 (repr). A plain running sum gives e.g. 104.87800000000001 at GOOG[10] for n = 10,
    // and differs from pandas in about 9 of 10 values over n = 1..200; ours equals it bit for bit for every n.
    const goog = readBundledSeries('GOOG').close;
    expect(sma(goog, 10)[10]).toBe(104.878);
    expect(sma(goog, 10)[1116]).toBe(306.754);
    expect(sma(goog, 10)[2147]).toBe(797.551);
    expect(sma(goog, 50)[49]).toBe(127.0468);
    expect(sma(goog, 50)[1202]).toBe(380.46799999999996);
    expect(sma(goog, 200)[1198]).toBe(362.88919999999996);
    expect(sma(goog, 200)[2147]).toBe(678.89405);
    const eurusd = readBundledSeries('EURUSD').close;
    expect(sma(eurusd, 20)[19]).toBe(1.071566);
    expect(sma(eurusd, 20)[2616]).toBe(1.1964145);
    expect(sma(eurusd, 20)[4999]).toBe(1.236707);
    expect(sma(eurusd, 100)[2716]).toBe(1.1948396000000001);
    expect(sma(eurusd, 100)[4999]).toBe(1.2424164);
  });

  it('gives a window of equal values exactly and a zero-sum window as 0, as pandas', () => {
    expect(sma(series(0.1, 0.2, 0.3, 0.1, 0.1, 0.1), 3)[5]).toBe(0.1);
    expectSeries(sma(series(0.1, 0.2, -0.3, 0.1), 3), [NaN_, NaN_, 0, 0], 20);
  });

  it('is NaN while a NaN is in the window and resumes after it leaves, as pandas', () => {
    const goog = readBundledSeries('GOOG').close.slice(0, 60);
    goog[5] = NaN_;
    goog[50] = NaN_;
    goog[51] = NaN_;
    const out = sma(goog, 3);
    expect(out[2]).toBe(106.01666666666667);
    expect([out[5], out[7], out[52], out[53]].every(Number.isNaN)).toBe(true);
    expect(out[8]).toBe(103.51);
    expect(out[54]).toBe(190.41333333333333);
    expect(out[55]).toBe(181.90666666666667);
  });

  it('refuses a length that is not a whole number of at least 1', () => {
    expect(() => sma(closes, 0)).toThrow(RangeError);
    expect(() => sma(closes, 2.5)).toThrow(RangeError);
  });
});

describe('ema', () => {
  it('is seeded with the mean of the first n values, then moves by alpha = 2/(n+1)', () => {
    // alpha = 0.5; seed (10+12+11)/3 = 11; 11 + (14−11)/2 = 12.5; 12.5 + (13−12.5)/2 = 12.75;
    // 12.75 + (16−12.75)/2 = 14.375
    expectSeries(ema(closes, 3), [NaN_, NaN_, 11, 12.5, 12.75, 14.375], 20);
  });

  it('starts at the first number when the input begins with NaNs', () => {
    expectSeries(ema(series(NaN_, NaN_, 10, 12, 11, 14), 3), [NaN_, NaN_, NaN_, NaN_, 11, 12.5], 20);
  });

  it('is NaN throughout when there are fewer values than its length', () => {
    expectSeries(ema(series(1, 2), 3), [NaN_, NaN_]);
  });
});

describe('wma', () => {
  it('weights the newest value n down to the oldest 1, over n(n+1)/2', () => {
    // (10·1 + 12·2 + 11·3)/6 = 67/6; (12 + 22 + 42)/6 = 76/6; (11 + 28 + 39)/6 = 13; (14 + 26 + 48)/6 = 88/6
    expectSeries(wma(closes, 3), [NaN_, NaN_, 67 / 6, 76 / 6, 13, 88 / 6], 20);
  });

  it('with length 1 is the input', () => {
    expectSeries(wma(closes, 1), [10, 12, 11, 14, 13, 16], 20);
  });
});

describe('rsi', () => {
  it("reproduces StockCharts' 14-day RSI worksheet (Wilder's smoothing) to its four decimals", () => {
    // StockCharts ChartSchool, Relative Strength Index, worksheet cs-rsi.xls: QQQQ closes Dec 2009 – Feb 2010 (the
    // page shows them to 2 decimals; the worksheet holds 4) and its RSI column. The first RSI comes with the 14th
    // change.
    const qqqq = series(
      44.3389, 44.0902, 44.1497, 43.6124, 44.3278, 44.8264, 45.0955, 45.4245, 45.8433, 46.0826, 45.8931, 46.0328,
      45.614, 46.282, 46.282, 46.0028, 46.0328, 46.4116, 46.2222, 45.6439, 46.2122, 46.2521, 45.7137, 46.4515, 45.7835,
      45.3548, 44.0288, 44.1783, 44.2181, 44.5672, 43.4205, 42.6628, 43.1314,
    );
    const published = [
      70.5328, 66.3186, 66.5498, 69.4063, 66.3552, 57.9749, 62.9296, 63.2571, 56.0593, 62.3771, 54.7076, 50.4228,
      39.9898, 41.4605, 41.8689, 45.4632, 37.304, 33.0795, 37.773,
    ];
    const out = rsi(qqqq, 14);
    expect(Array.from(out.subarray(0, 14)).every(Number.isNaN)).toBe(true);
    expectPublished(out.subarray(14), published, 4);
  });

  it('averages the first n changes, then smooths as (avg·(n−1) + x)/n', () => {
    // changes +2 −1 +3 −1 +3, n = 3.
    // i=3: gain (2+3)/3 = 5/3, loss 1/3 → 100·(5/3)/(6/3) = 250/3
    // i=4: gain (5/3·2 + 0)/3 = 10/9, loss (1/3·2 + 1)/3 = 5/9 → 100·10/15 = 200/3
    // i=5: gain (10/9·2 + 3)/3 = 47/27, loss (5/9·2 + 0)/3 = 10/27 → 100·47/57 = 4700/57
    expectSeries(rsi(closes, 3), [NaN_, NaN_, NaN_, 250 / 3, 200 / 3, 4700 / 57]);
  });

  it('is 100 after only rises, 0 after only falls and 50 over a flat window', () => {
    expect(rsi(series(1, 2, 3), 2)[2]).toBe(100);
    expect(rsi(series(3, 2, 1), 2)[2]).toBe(0);
    expect(rsi(series(5, 5, 5), 2)[2]).toBe(50);
  });
});

describe('macd', () => {
  it('is EMA(fast) − EMA(slow), its EMA(signal), and their difference', () => {
    // EMA(2), alpha 2/3: 11 at i=1, then 11, 13, 13, 15. EMA(3), alpha 1/2: 11, 12.5, 12.75, 14.375 from i=2.
    // MACD from i=2: 0, 0.5, 0.25, 0.625. Signal EMA(2) of it: (0 + 0.5)/2 = 0.25 at i=3, then 0.25,
    // 0.25 + (0.625 − 0.25)·2/3 = 0.5. Histogram: 0.25, 0, 0.125.
    const out = macd(closes, 2, 3, 2);
    expectSeries(out.macd, [NaN_, NaN_, 0, 0.5, 0.25, 0.625]);
    expectSeries(out.signal, [NaN_, NaN_, NaN_, 0.25, 0.25, 0.5]);
    expectSeries(out.histogram, [NaN_, NaN_, NaN_, 0.25, 0, 0.125]);
  });

  it('with the defaults 12/26/9 has its first MACD at index 25 and first signal at index 33', () => {
    const out = macd(readBundledSeries('GOOG').close);
    expect(out.macd[24]).toBeNaN();
    expect(out.macd[25]).not.toBeNaN();
    expect(out.signal[32]).toBeNaN();
    expect(out.signal[33]).not.toBeNaN();
  });
});

describe('trueRange and atr', () => {
  it('takes the largest of high − low and the distances of high and low from the previous close', () => {
    // bar 0 (no previous close): 11 − 9 = 2; bar 1: max(3, |13−10|, |10−10|) = 3; bar 2: max(2, 0, 2) = 2;
    // bar 3: max(4, 4, 0) = 4; bar 4 (gap up from 14): max(2, 4, 2) = 4; bar 5 (gap down from 17): max(1, 4, 5) = 5
    expectSeries(trueRange(highs, lows, barCloses), [2, 3, 2, 4, 4, 5], 20);
  });

  it("reproduces StockCharts' 14-day ATR worksheet to its six decimals", () => {
    // StockCharts ChartSchool, Average True Range, worksheet cs-atr.xls (QQQQ): the first true range is high − low,
    // the first ATR the mean of the first 14 true ranges, then Wilder's smoothing.
    const high = series(
      48.7, 48.72, 48.9, 48.87, 48.82, 49.05, 49.2, 49.35, 49.92, 50.19, 50.12, 49.66, 49.88, 50.19, 50.36, 50.57,
      50.65, 50.43, 49.63, 50.33, 50.29, 50.17, 49.32, 48.5, 48.3201, 46.8, 47.8, 48.39, 48.66, 48.79,
    );
    const low = series(
      47.79, 48.14, 48.39, 48.37, 48.24, 48.635, 48.94, 48.86, 49.5, 49.87, 49.2, 48.9, 49.43, 49.725, 49.26, 50.09,
      50.3, 49.21, 48.98, 49.61, 49.2, 49.43, 48.08, 47.64, 41.55, 44.2833, 47.31, 47.2, 47.9, 47.7301,
    );
    const close = series(
      48.16, 48.61, 48.75, 48.63, 48.74, 49.03, 49.07, 49.32, 49.91, 50.13, 49.53, 49.5, 49.75, 50.03, 50.31, 50.52,
      50.41, 49.34, 49.37, 50.23, 49.2375, 49.93, 48.43, 48.18, 46.57, 45.41, 47.77, 47.72, 48.62, 47.85,
    );
    expectPublished(
      trueRange(high, low, close),
      [
        0.91, 0.58, 0.51, 0.5, 0.58, 0.415, 0.26, 0.49, 0.6, 0.32, 0.93, 0.76, 0.45, 0.465, 1.1, 0.48, 0.35, 1.22, 0.65,
        0.96, 1.09, 0.9325, 1.85, 0.86, 6.7701, 2.5167, 2.39, 1.19, 0.94, 1.0599,
      ],
      9,
    );
    const out = atr(high, low, close, 14);
    expect(Array.from(out.subarray(0, 13)).every(Number.isNaN)).toBe(true);
    expectPublished(
      out.subarray(13),
      [
        0.555, 0.593929, 0.585791, 0.568949, 0.615452, 0.61792, 0.642354, 0.674329, 0.69277, 0.775429, 0.78147,
        1.209229, 1.30262, 1.38029, 1.366698, 1.336219, 1.316482,
      ],
      6,
    );
  });

  it('is seeded with the mean of the first n true ranges, then Wilder-smoothed', () => {
    // i=2: (2+3+2)/3 = 7/3; i=3: (7/3·2 + 4)/3 = 26/9; i=4: (26/9·2 + 4)/3 = 88/27; i=5: (88/27·2 + 5)/3 = 311/81
    expectSeries(atr(highs, lows, barCloses, 3), [NaN_, NaN_, 7 / 3, 26 / 9, 88 / 27, 311 / 81]);
  });
});

describe('bollinger and stdev', () => {
  it('puts bands k population standard deviations either side of the SMA', () => {
    // [10,12,11]: mean 11, variance (1+1+0)/3 = 2/3. Each later window has squared deviations summing to 42/9,
    // variance 14/9, deviation √14/3.
    const deviation = Math.sqrt(14) / 3;
    expectSeries(stdev(closes, 3), [NaN_, NaN_, Math.sqrt(2 / 3), deviation, deviation, deviation]);
    const bands = bollinger(closes, 3);
    expectSeries(bands.middle, [NaN_, NaN_, 11, 37 / 3, 38 / 3, 43 / 3]);
    const first = 2 * Math.sqrt(2 / 3);
    const width = 2 * deviation;
    expectSeries(bands.upper, [NaN_, NaN_, 11 + first, 37 / 3 + width, 38 / 3 + width, 43 / 3 + width]);
    expectSeries(bands.lower, [NaN_, NaN_, 11 - first, 37 / 3 - width, 38 / 3 - width, 43 / 3 - width]);
    expect(bollinger(closes, 3, 1).upper[2]).toBeCloseTo(11 + Math.sqrt(2 / 3), 12);
  });

  it("reproduces StockCharts' Bollinger Bands (20, 2) worksheet to its six decimals", () => {
    // StockCharts ChartSchool, Bollinger Bands, worksheet cs-bbands.xls (SPY closes); its deviation is the
    // population one.
    const spy = series(
      86.1557, 89.0867, 88.7829, 90.3228, 89.0671, 91.1453, 89.4397, 89.175, 86.9302, 87.6752, 86.9596, 89.4299,
      89.3221, 88.7241, 87.4497, 87.2634, 89.4985, 87.9006, 89.126, 90.7043, 92.9001, 92.9784, 91.8021, 92.6647,
      92.6843, 92.3021, 92.7725, 92.5373, 92.949, 93.2039, 91.0669, 89.8318, 89.7435, 90.3994, 90.7387, 88.0177,
      88.0867, 88.8439, 90.7781, 90.5416, 91.3894, 90.65,
    );
    const bands = bollinger(spy, 20);
    expect(Array.from(bands.middle.subarray(0, 19)).every(Number.isNaN)).toBe(true);
    expectPublished(
      bands.middle.subarray(19),
      [
        88.70794, 89.04516, 89.239745, 89.390705, 89.5078, 89.68866, 89.7465, 89.91314, 90.081255, 90.382195, 90.65863,
        90.863995, 90.88409, 90.90516, 90.988925, 91.153375, 91.19109, 91.1205, 91.167665, 91.25027, 91.242135, 91.1666,
        91.05018,
      ],
      6,
    );
    expectPublished(
      stdev(spy, 20).subarray(19),
      [
        1.291961, 1.452054, 1.686425, 1.771747, 1.902075, 2.019895, 2.076546, 2.176557, 2.241921, 2.202359, 2.192185,
        2.021805, 2.009411, 1.99508, 1.936044, 1.760127, 1.682751, 1.779126, 1.70406, 1.642001, 1.645086, 1.601325,
        1.549162,
      ],
      6,
    );
    expectPublished(
      bands.upper.subarray(19),
      [
        91.291862, 91.949268, 92.612595, 92.9342, 93.31195, 93.72845, 93.899592, 94.266255, 94.565096, 94.786912,
        95.043001, 94.907605, 94.902912, 94.89532, 94.861013, 94.673629, 94.556593, 94.678752, 94.575786, 94.534271,
        94.532306, 94.369251, 94.148503,
      ],
      6,
    );
    expectPublished(
      bands.lower.subarray(19),
      [
        86.124018, 86.141052, 85.866895, 85.84721, 85.70365, 85.64887, 85.593408, 85.560025, 85.597414, 85.977478,
        86.274259, 86.820385, 86.865268, 86.915, 87.116837, 87.633121, 87.825587, 87.562248, 87.759544, 87.966269,
        87.951964, 87.963949, 87.951857,
      ],
      6,
    );
  });

  it("matches pandas' rolling(n).std(ddof=0) to the last bit", () => {
    const goog = readBundledSeries('GOOG').close;
    expect(stdev(goog, 20)[19]).toBe(4.12872677105182);
    expect(stdev(goog, 20)[500]).toBe(9.598823677932128);
    expect(stdev(goog, 20)[2147]).toBe(12.941300011975711);
    const eurusd = readBundledSeries('EURUSD').close;
    expect(stdev(eurusd, 20)[19]).toBe(0.0005844091032829876);
    expect(stdev(eurusd, 20)[500]).toBe(0.0016592998523149189);
    expect(stdev(eurusd, 20)[4999]).toBe(0.002596646105834998);
  });

  it('is exactly 0 over a window of equal values', () => {
    expect(stdev(series(0.1, 0.2, 0.3, 0.1, 0.1, 0.1), 3)[5]).toBe(0);
  });
});

describe('supertrend', () => {
  it('starts down on the upper band, tightens its bands and flips when the close crosses them', () => {
    // ATR(3) = 7/3, 26/9, 88/27, 311/81 from i=2; multiplier 1.
    // i=2: hl2 11 → bands 40/3 and 26/3; the first value counts as a downtrend: line 40/3, direction −1.
    // i=3: hl2 13 → basic 13 ± 26/9 = 143/9 and 91/9. The upper band stays 40/3 (the basic one is wider and the
    //      previous close 11 did not break it); the lower rises to 91/9. Close 14 > 40/3: up, line 91/9.
    // i=4: hl2 17 → basic 17 ± 88/27 = 547/27 and 371/27. The previous close 14 broke the upper band 40/3, so it
    //      resets to 547/27; the lower rises to 371/27. Close 17 is above the lower band: still up, line 371/27.
    // i=5: hl2 12.5 → basic upper 12.5 + 311/81 = 2647/162 < 547/27: the upper band tightens to it; the basic lower
    //      band is lower, so the lower band stays 371/27. Close 12 < 371/27: down, line 2647/162.
    const out = supertrend(highs, lows, barCloses, 3, 1);
    expectSeries(out.line, [NaN_, NaN_, 40 / 3, 91 / 9, 371 / 27, 2647 / 162]);
    expectSeries(out.direction, [NaN_, NaN_, -1, 1, 1, -1], 20);
  });
});

describe('vwap', () => {
  it('weights the typical price by volume and restarts at each UTC day', () => {
    const hour = 3_600_000;
    const midnight = Date.UTC(2024, 0, 2);
    const time = series(midnight - 2 * hour, midnight - hour, midnight, midnight + hour, midnight + 2 * hour);
    // typical prices (H+L+C)/3: 30/3 = 10, 39/3 = 13, 60/3 = 20, 48/3 = 16, 72/3 = 24
    const high = series(12, 15, 21, 18, 26);
    const low = series(9, 12, 18, 15, 23);
    const close = series(9, 12, 21, 15, 23);
    const volume = series(100, 200, 0, 150, 50);
    // day 1: 10; (10·100 + 13·200)/300 = 12. day 2: no volume yet → NaN; 16; (16·150 + 24·50)/200 = 18
    expectSeries(vwap(time, high, low, close, volume), [10, 12, NaN_, 16, 18], 20);
  });
});

describe('crossoverAt and crossunderAt', () => {
  const a = series(1, 3, 2, 2, 3, 1);

  it('see a cross only from strictly below to strictly above (or the reverse), as backtesting.py', () => {
    expect([0, 1, 2, 3, 4, 5].map((i) => crossoverAt(a, 2, i))).toEqual([false, true, false, false, false, false]);
    expect([0, 1, 2, 3, 4, 5].map((i) => crossunderAt(a, 2, i))).toEqual([false, false, false, false, false, true]);
  });

  it('compare two series bar by bar', () => {
    const b = series(2, 2, 2.5, 1.5, 1.5, 1.5);
    expect([1, 2, 3, 4, 5].map((i) => crossoverAt(a, b, i))).toEqual([true, false, true, false, false]);
    expect([1, 2, 3, 4, 5].map((i) => crossunderAt(a, b, i))).toEqual([false, true, false, false, true]);
  });

  it('never see a cross next to a NaN', () => {
    const warm = series(NaN_, 3, 1);
    expect(crossoverAt(warm, 2, 1)).toBe(false);
    expect(crossunderAt(warm, 2, 2)).toBe(true);
    expect(crossunderAt(warm, series(2, NaN_, 2), 2)).toBe(false);
  });
});
