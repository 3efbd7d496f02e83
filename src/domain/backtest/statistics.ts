// The statistics of a backtest run, computed as backtesting.py computes its report (its _stats.py, July 2026), under
// the report's names, so that a run agrees with the library to 8 significant digits. It runs after every backtest and
// every sweep point, so it walks the bars once over typed arrays and keeps nothing per bar.
import type { BarColumns } from './bars.js';
import type { ClosedTrade, SimulationResult } from './simulation.js';
import { DAY_MS, daysFromCivil, monthOfDay, weekdayOfDay } from './utc-days.js';

export interface StatisticsInput {
  readonly bars: BarColumns;
  readonly result: Pick<SimulationResult, 'equity' | 'trades' | 'warmup'>;
}

/**
 * backtesting.py's report, key for key and in its order. Percentages are ×100 as the names say; durations are days
 * (the library's Timedelta, rounded up as it rounds, divided by one day); null where the library gives NaN.
 * `Commissions [$]` is present only when the trades paid any, as in the library. (A type, not an interface, so that
 * it is also a `Statistics`.)
 */
export type BacktestStatistics = {
  readonly Start: string;
  readonly End: string;
  readonly Duration: number;
  readonly 'Exposure Time [%]': number;
  readonly 'Equity Final [$]': number;
  readonly 'Equity Peak [$]': number;
  readonly 'Commissions [$]'?: number;
  readonly 'Return [%]': number;
  readonly 'Buy & Hold Return [%]': number | null;
  readonly 'Return (Ann.) [%]': number | null;
  readonly 'Volatility (Ann.) [%]': number | null;
  readonly 'CAGR [%]': number | null;
  readonly 'Sharpe Ratio': number | null;
  readonly 'Sortino Ratio': number | null;
  readonly 'Calmar Ratio': number | null;
  readonly 'Alpha [%]': number | null;
  readonly Beta: number | null;
  readonly 'Max. Drawdown [%]': number;
  readonly 'Avg. Drawdown [%]': number | null;
  /** Days; when the equity never recovers to a peak between two bars, the library's quirk: the drawdown itself. */
  readonly 'Max. Drawdown Duration': number | null;
  readonly 'Avg. Drawdown Duration': number | null;
  readonly '# Trades': number;
  readonly 'Win Rate [%]': number | null;
  readonly 'Best Trade [%]': number | null;
  readonly 'Worst Trade [%]': number | null;
  readonly 'Avg. Trade [%]': number | null;
  readonly 'Max. Trade Duration': number | null;
  readonly 'Avg. Trade Duration': number | null;
  readonly 'Profit Factor': number | null;
  readonly 'Expectancy [%]': number | null;
  readonly SQN: number | null;
  readonly 'Kelly Criterion': number | null;
};

/** Statistics read generically, by name (tables, JSON, a sweep's columns). */
export type Statistics = Readonly<Record<string, number | string | null | undefined>>;

export type StatisticName = keyof BacktestStatistics;

/** The report's names in the library's order. */
export const STATISTIC_NAMES: readonly StatisticName[] = [
  'Start', 'End', 'Duration', 'Exposure Time [%]', 'Equity Final [$]', 'Equity Peak [$]', 'Commissions [$]',
  'Return [%]', 'Buy & Hold Return [%]', 'Return (Ann.) [%]', 'Volatility (Ann.) [%]', 'CAGR [%]', 'Sharpe Ratio',
  'Sortino Ratio', 'Calmar Ratio', 'Alpha [%]', 'Beta', 'Max. Drawdown [%]', 'Avg. Drawdown [%]',
  'Max. Drawdown Duration', 'Avg. Drawdown Duration', '# Trades', 'Win Rate [%]', 'Best Trade [%]',
  'Worst Trade [%]', 'Avg. Trade [%]', 'Max. Trade Duration', 'Avg. Trade Duration', 'Profit Factor',
  'Expectancy [%]', 'SQN', 'Kelly Criterion',
];

/** The drawdown at every bar as a fraction of the running peak of equity (0 at a new peak), for charts. */
export function drawdownCurve(equity: Float64Array, out: Float64Array = new Float64Array(equity.length)): Float64Array {
  let peak = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < equity.length; i++) {
    const value = equity[i]!;
    if (value >= peak) peak = value;
    out[i] = 1 - value / peak;
  }
  return out;
}

export function computeStatistics(input: StatisticsInput): BacktestStatistics {
  const { bars, result } = input;
  const { equity, trades, warmup } = result;
  const n = bars.length;
  if (n === 0 || equity.length !== n) {
    throw new RangeError(`statistics need one equity value per bar (bars ${n}, equity values ${equity.length})`);
  }
  const time = bars.time;
  const close = bars.close;
  const period = dataPeriod(time);
  const calendar = calendarOf(period.days);
  const walk = walkBars(time, close, equity, calendar);

  const start = time[0]!;
  const end = time[n - 1]!;
  const durationMs = end - start;
  const first = equity[0]!;
  const last = equity[n - 1]!;
  const returnPct = ((last - first) / first) * 100;
  const buyAndHold = warmup < n ? ((close[n - 1]! - close[warmup]!) / close[warmup]!) * 100 : Number.NaN;

  // Annual figures from the period returns, compounded (the library's choice, after SSRN 3054517).
  const periodsPerYear = calendar === 'D' ? (walk.weekendShare > (2 / 7) * 0.6 ? 365 : 252) : ANNUAL[calendar];
  const returns = walk.periodReturns;
  const periodMean = geometricMean(returns, walk.periodReturnCount);
  const annualReturn = (1 + periodMean) ** periodsPerYear - 1;
  const variance = sampleVariance(returns, walk.periodReturnCount);
  const annualReturnPct = annualReturn * 100;
  const volatilityPct =
    Math.sqrt((variance + (1 + periodMean) ** 2) ** periodsPerYear - (1 + periodMean) ** (2 * periodsPerYear)) * 100;
  const years = (Math.floor(durationMs / DAY_MS) + Math.floor((durationMs % DAY_MS) / 1000) / 86_400) / 365.25;
  const cagrPct = years ? ((last / first) ** (1 / years) - 1) * 100 : Number.NaN;
  const downside = Math.sqrt(meanSquaredLoss(returns, walk.periodReturnCount)) * Math.sqrt(periodsPerYear);
  const maxDrawdown = walk.maxDrawdown;
  const beta = walk.beta;

  const drawdownDurations = walk.drawdownPeriods > 0;
  const tradeFigures = tradeStatistics(trades, n, period.resolutionNs);

  return {
    Start: new Date(start).toISOString(),
    End: new Date(end).toISOString(),
    Duration: durationMs / DAY_MS,
    'Exposure Time [%]': tradeFigures.exposure * 100,
    'Equity Final [$]': last,
    'Equity Peak [$]': walk.peak,
    ...(tradeFigures.commissions !== 0 ? { 'Commissions [$]': tradeFigures.commissions } : {}),
    'Return [%]': returnPct,
    'Buy & Hold Return [%]': orNull(buyAndHold),
    'Return (Ann.) [%]': orNull(annualReturnPct),
    'Volatility (Ann.) [%]': orNull(volatilityPct),
    'CAGR [%]': orNull(cagrPct),
    'Sharpe Ratio': orNull(annualReturnPct / (volatilityPct || Number.NaN)),
    'Sortino Ratio': orNull(annualReturn / downside),
    'Calmar Ratio': orNull(annualReturn / (maxDrawdown || Number.NaN)),
    'Alpha [%]': orNull(returnPct - beta * buyAndHold),
    Beta: orNull(beta),
    'Max. Drawdown [%]': -maxDrawdown * 100,
    'Avg. Drawdown [%]': orNull(-walk.drawdownPeakMean * 100),
    'Max. Drawdown Duration': orNull(
      drawdownDurations ? ceilToDays(walk.drawdownMaxMs * 1e6, period.resolutionNs) : walk.drawdownPeakMax,
    ),
    'Avg. Drawdown Duration': orNull(
      drawdownDurations
        ? ceilToDays(Math.trunc(walk.drawdownSumNs / walk.drawdownPeriods), period.resolutionNs)
        : walk.drawdownPeakMean,
    ),
    '# Trades': trades.length,
    'Win Rate [%]': orNull(tradeFigures.winRate * 100),
    'Best Trade [%]': orNull(tradeFigures.best * 100),
    'Worst Trade [%]': orNull(tradeFigures.worst * 100),
    'Avg. Trade [%]': orNull(tradeFigures.geometricMean * 100),
    'Max. Trade Duration': orNull(tradeFigures.maxDurationDays),
    'Avg. Trade Duration': orNull(tradeFigures.meanDurationDays),
    'Profit Factor': orNull(tradeFigures.profitFactor),
    'Expectancy [%]': orNull(tradeFigures.expectancy * 100),
    SQN: orNull(tradeFigures.sqn),
    'Kelly Criterion': orNull(tradeFigures.kelly),
  };
}

function orNull(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}

// ---------------------------------------------------------------------------------------------------------------
// The data's period: the median step of the last 100 bars. Its whole days choose the resampling calendar and the
// periods per year; its finest non-zero unit (day, hour, minute, second, ms, µs, ns: pandas' resolution_string) is
// what durations are rounded up to.

const DAY_NS = 86_400e9;
const UNITS_NS = [DAY_NS, 3_600e9, 60e9, 1e9, 1e6, 1e3, 1];

interface DataPeriod {
  readonly days: number;
  readonly resolutionNs: number;
}

function dataPeriod(time: Float64Array): DataPeriod {
  const from = Math.max(0, time.length - 100);
  const steps = new Float64Array(time.length - from - 1 > 0 ? time.length - from - 1 : 0);
  for (let i = 0; i < steps.length; i++) steps[i] = time[from + i + 1]! - time[from + i]!;
  if (steps.length === 0) return { days: 0, resolutionNs: DAY_NS };
  steps.sort();
  const middle = steps.length >> 1;
  // pandas takes the median in float nanoseconds and truncates it to whole nanoseconds.
  const medianNs = Math.trunc(
    steps.length % 2 === 1 ? steps[middle]! * 1e6 : ((steps[middle - 1]! + steps[middle]!) * 1e6) / 2,
  );
  let resolutionNs = DAY_NS;
  for (const unit of UNITS_NS) if (medianNs % unit !== 0) resolutionNs = nextFinerUnit(unit);
  return { days: Math.floor(medianNs / DAY_NS), resolutionNs };
}

/** The unit below `unit` among UNITS_NS: a remainder in `unit` means the period has a component finer than it. */
function nextFinerUnit(unit: number): number {
  const index = UNITS_NS.indexOf(unit);
  return UNITS_NS[Math.min(index + 1, UNITS_NS.length - 1)]!;
}

/** A duration in nanoseconds, rounded up to a whole number of `unitNs` (pandas Timedelta.ceil), in days. */
function ceilToDays(valueNs: number, unitNs: number): number {
  const remainder = valueNs % unitNs;
  const ceiled = remainder > 0 ? valueNs - remainder + unitNs : valueNs - remainder;
  return ceiled / DAY_NS;
}

// ---------------------------------------------------------------------------------------------------------------
// Resampling calendars: the library resamples equity per week ('W', Monday to Sunday), month ('ME'), year ('YE') when
// the data's period is 7, 31 or 365 days, and per UTC day otherwise.

type Calendar = 'D' | 'W' | 'ME' | 'YE';
const ANNUAL: Readonly<Record<Exclude<Calendar, 'D'>, number>> = { W: 52, ME: 12, YE: 1 };
const SHORTEST_MS: Readonly<Record<Calendar, number>> = { D: DAY_MS, W: 7 * DAY_MS, ME: 28 * DAY_MS, YE: 365 * DAY_MS };

function calendarOf(periodDays: number): Calendar {
  return periodDays === 7 ? 'W' : periodDays === 31 ? 'ME' : periodDays === 365 ? 'YE' : 'D';
}

/** The first instant (epoch ms) after the calendar period holding `at`. */
function periodEnd(calendar: Calendar, at: number): number {
  const day = Math.floor(at / DAY_MS);
  switch (calendar) {
    case 'D':
      return (day + 1) * DAY_MS;
    case 'W':
      return (day - weekdayOfDay(day) + 7) * DAY_MS;
    case 'ME': {
      const month = monthOfDay(day) + 1;
      return daysFromCivil(Math.floor(month / 12), (month % 12) + 1, 1) * DAY_MS;
    }
    case 'YE':
      return daysFromCivil(Math.floor(monthOfDay(day) / 12) + 1, 1, 1) * DAY_MS;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// One pass over the bars: drawdowns and their periods, the equity's last value per calendar period, the share of
// bars on weekends, and the sums for beta.

interface BarWalk {
  readonly peak: number;
  readonly maxDrawdown: number;
  /** Drawdown periods: runs between bars at a peak (and the last bar) more than one bar apart. */
  readonly drawdownPeriods: number;
  readonly drawdownMaxMs: number;
  readonly drawdownSumNs: number;
  /** Mean of the periods' deepest drawdowns; without periods, of every non-zero drawdown (the library's fallback). */
  readonly drawdownPeakMean: number;
  /** Without periods, the deepest non-zero drawdown (the library reports it as the duration). */
  readonly drawdownPeakMax: number;
  readonly periodReturns: Float64Array;
  readonly periodReturnCount: number;
  readonly weekendShare: number;
  readonly beta: number;
}

function walkBars(time: Float64Array, close: Float64Array, equity: Float64Array, calendar: Calendar): BarWalk {
  const n = time.length;
  const periodCapacity = Math.min(n, Math.floor((time[n - 1]! - time[0]!) / SHORTEST_MS[calendar]) + 2);
  const periodLast = new Float64Array(periodCapacity);
  let periods = 0;
  let boundary = periodEnd(calendar, time[0]!);
  let periodStart = 0;
  let weekendBars = 0;

  let peak = Number.NEGATIVE_INFINITY;
  let maxDrawdown = 0;
  let lastZero = -1;
  let deepest = 0;
  let drawdownPeriods = 0;
  let drawdownMaxMs = 0;
  let drawdownSumNs = 0;
  let peakSum = 0;
  let nonZeroCount = 0;
  let nonZeroSum = 0;
  let nonZeroMax = Number.NaN;

  let sumX = 0;
  let sumY = 0;
  let sumXY = 0;
  let sumYY = 0;

  for (let i = 0; i < n; i++) {
    const value = equity[i]!;
    const at = time[i]!;

    if (at >= boundary) {
      if (calendar === 'D' && weekdayOfDay(Math.floor(time[i - 1]! / DAY_MS)) >= 5) weekendBars += i - periodStart;
      periodLast[periods++] = equity[i - 1]!;
      periodStart = i;
      boundary = periodEnd(calendar, at);
    }

    let drawdown = 0;
    if (value >= peak) peak = value;
    else drawdown = 1 - value / peak;
    if (drawdown > maxDrawdown) maxDrawdown = drawdown;
    if (drawdown !== 0) {
      nonZeroCount++;
      nonZeroSum += drawdown;
      if (!(drawdown <= nonZeroMax)) nonZeroMax = drawdown;
      if (drawdown > deepest) deepest = drawdown;
    }
    if (drawdown === 0 || i === n - 1) {
      if (lastZero >= 0 && i > lastZero + 1) {
        const lengthMs = at - time[lastZero]!;
        drawdownPeriods++;
        drawdownSumNs += lengthMs * 1e6;
        if (lengthMs > drawdownMaxMs) drawdownMaxMs = lengthMs;
        peakSum += deepest;
      }
      if (drawdown === 0) {
        lastZero = i;
        deepest = 0;
      }
    }

    if (i > 0) {
      const x = logRatio(value, equity[i - 1]!);
      const y = logRatio(close[i]!, close[i - 1]!);
      sumX += x;
      sumY += y;
      sumXY += x * y;
      sumYY += y * y;
    }
  }
  if (calendar === 'D' && weekdayOfDay(Math.floor(time[n - 1]! / DAY_MS)) >= 5) weekendBars += n - periodStart;
  periodLast[periods++] = equity[n - 1]!;

  // Simple returns between consecutive periods, in place; 0/0 (equity gone to zero) is dropped as pandas drops NaN.
  let count = 0;
  for (let k = 1; k < periods; k++) {
    const change = periodLast[k]! / periodLast[k - 1]! - 1;
    if (!Number.isNaN(change)) periodLast[count++] = change;
  }

  // Beta = cov(equity log returns, market log returns) / var(market log returns); numpy's cov needs two pairs.
  const m = n - 1;
  const beta =
    m > 1 && Number.isFinite(sumX) ? (sumXY - (sumX * sumY) / m) / (sumYY - (sumY * sumY) / m) : Number.NaN;

  return {
    peak,
    maxDrawdown,
    drawdownPeriods,
    drawdownMaxMs,
    drawdownSumNs,
    drawdownPeakMean: drawdownPeriods > 0 ? peakSum / drawdownPeriods : nonZeroSum / nonZeroCount,
    drawdownPeakMax: nonZeroMax,
    periodReturns: periodLast,
    periodReturnCount: count,
    weekendShare: weekendBars / n,
    beta,
  };
}

/**
 * ln(a / b). Near 1 it sums the series 2·atanh(z), z = (a − b) / (a + b), to z⁹ (the next term is below 10⁻¹⁷ of the
 * result): as exact as Math.log and about twice as fast, which counts at two logarithms per bar.
 */
function logRatio(a: number, b: number): number {
  const z = (a - b) / (a + b);
  if (z > 0.02 || z < -0.02 || Number.isNaN(z)) return Math.log(a / b);
  const z2 = z * z;
  return 2 * z * (1 + z2 * (1 / 3 + z2 * (1 / 5 + z2 * (1 / 7 + z2 / 9))));
}

// ---------------------------------------------------------------------------------------------------------------
// Trade statistics.

interface TradeFigures {
  readonly exposure: number;
  readonly commissions: number;
  readonly winRate: number;
  readonly best: number;
  readonly worst: number;
  readonly geometricMean: number;
  readonly maxDurationDays: number;
  readonly meanDurationDays: number;
  readonly profitFactor: number;
  readonly expectancy: number;
  readonly sqn: number;
  readonly kelly: number;
}

function tradeStatistics(trades: readonly ClosedTrade[], bars: number, resolutionNs: number): TradeFigures {
  const count = trades.length;
  const profits = new Float64Array(count);
  const returns = new Float64Array(count);
  const wins = new Float64Array(count);
  const losses = new Float64Array(count);
  const gains = new Float64Array(count);
  const drops = new Float64Array(count);
  let winCount = 0;
  let lossCount = 0;
  let gainCount = 0;
  let dropCount = 0;
  let commissions = 0;
  let best = Number.NaN;
  let worst = Number.NaN;
  let maxDurationMs = Number.NaN;
  let durationSumNs = 0;
  for (let k = 0; k < count; k++) {
    const trade = trades[k]!;
    const profit = trade.pl;
    const gain = trade.returnPct;
    profits[k] = profit;
    returns[k] = gain;
    if (profit > 0) wins[winCount++] = profit;
    else if (profit < 0) losses[lossCount++] = profit;
    if (gain > 0) gains[gainCount++] = gain;
    else if (gain < 0) drops[dropCount++] = gain;
    commissions += trade.commissions;
    if (!(gain <= best)) best = gain;
    if (!(gain >= worst)) worst = gain;
    const durationMs = trade.exitTime - trade.entryTime;
    if (!(durationMs <= maxDurationMs)) maxDurationMs = durationMs;
    durationSumNs += durationMs * 1e6;
  }

  const winRate = count ? winCount / count : Number.NaN;
  const meanProfit = mean(profits, count);
  const profitDeviation = Math.sqrt(sampleVariance(profits, count));
  const lossSum = Math.abs(numpySum(drops, dropCount));
  return {
    exposure: coveredBars(trades) / bars,
    commissions,
    winRate,
    best,
    worst,
    geometricMean: geometricMean(returns, count),
    maxDurationDays: count ? ceilToDays(maxDurationMs * 1e6, resolutionNs) : Number.NaN,
    meanDurationDays: count ? ceilToDays(Math.trunc(durationSumNs / count), resolutionNs) : Number.NaN,
    profitFactor: numpySum(gains, gainCount) / (lossSum || Number.NaN),
    expectancy: mean(returns, count),
    sqn: (Math.sqrt(count) * meanProfit) / (profitDeviation || Number.NaN),
    kelly: winRate - (1 - winRate) / (mean(wins, winCount) / -mean(losses, lossCount)),
  };
}

/** Bars inside at least one trade, entry and exit bars included. */
function coveredBars(trades: readonly ClosedTrade[]): number {
  if (trades.length === 0) return 0;
  const order = new Int32Array(trades.length);
  let sorted = true;
  for (let k = 0; k < order.length; k++) {
    order[k] = k;
    if (k > 0 && trades[k]!.entryBar < trades[k - 1]!.entryBar) sorted = false;
  }
  if (!sorted) order.sort((a, b) => trades[a]!.entryBar - trades[b]!.entryBar);
  let covered = 0;
  let from = -1;
  let to = -2;
  for (let k = 0; k < order.length; k++) {
    const trade = trades[order[k]!]!;
    if (trade.entryBar > to + 1) {
      covered += to - from + 1;
      from = trade.entryBar;
      to = trade.exitBar;
    } else if (trade.exitBar > to) {
      to = trade.exitBar;
    }
  }
  return covered + to - from + 1;
}

// ---------------------------------------------------------------------------------------------------------------
// numpy's arithmetic, so sums round as the library's do: pairwise summation in blocks of 8, over chunks of 8,192.

/** exp(mean(ln(1 + r))) − 1; 0 if some 1 + r ≤ 0; NaN for no values. */
function geometricMean(values: Float64Array, count: number): number {
  if (count === 0) return Number.NaN;
  const logs = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const growth = values[k]! + 1;
    if (growth <= 0) return 0;
    logs[k] = Math.log(growth);
  }
  return Math.exp(numpySum(logs, count) / count) - 1;
}

function mean(values: Float64Array, count: number): number {
  return count ? numpySum(values, count) / count : Number.NaN;
}

/** Variance with one degree of freedom, two-pass as pandas computes it; NaN below two values. */
function sampleVariance(values: Float64Array, count: number): number {
  if (count < 2) return Number.NaN;
  const average = numpySum(values, count) / count;
  const squares = new Float64Array(count);
  for (let k = 0; k < count; k++) squares[k] = (average - values[k]!) ** 2;
  return numpySum(squares, count) / (count - 1);
}

/** mean(min(r, 0)²): the downside deviation's square. */
function meanSquaredLoss(values: Float64Array, count: number): number {
  if (count === 0) return Number.NaN;
  const squares = new Float64Array(count);
  for (let k = 0; k < count; k++) squares[k] = Math.min(values[k]!, 0) ** 2;
  return numpySum(squares, count) / count;
}

const NUMPY_BUFFER = 8192;

function numpySum(values: Float64Array, count: number): number {
  let total = 0;
  for (let from = 0; from < count; from += NUMPY_BUFFER) total += pairwiseSum(values, from, Math.min(NUMPY_BUFFER, count - from));
  return total;
}

function pairwiseSum(values: Float64Array, from: number, count: number): number {
  if (count < 8) {
    let total = 0;
    for (let k = 0; k < count; k++) total += values[from + k]!;
    return total;
  }
  if (count <= 128) {
    let r0 = values[from]!;
    let r1 = values[from + 1]!;
    let r2 = values[from + 2]!;
    let r3 = values[from + 3]!;
    let r4 = values[from + 4]!;
    let r5 = values[from + 5]!;
    let r6 = values[from + 6]!;
    let r7 = values[from + 7]!;
    let k = 8;
    for (; k < count - (count % 8); k += 8) {
      r0 += values[from + k]!;
      r1 += values[from + k + 1]!;
      r2 += values[from + k + 2]!;
      r3 += values[from + k + 3]!;
      r4 += values[from + k + 4]!;
      r5 += values[from + k + 5]!;
      r6 += values[from + k + 6]!;
      r7 += values[from + k + 7]!;
    }
    let total = (r0 + r1 + (r2 + r3)) + (r4 + r5 + (r6 + r7));
    for (; k < count; k++) total += values[from + k]!;
    return total;
  }
  let half = count >> 1;
  half -= half % 8;
  return pairwiseSum(values, from, half) + pairwiseSum(values, from + half, count - half);
}
