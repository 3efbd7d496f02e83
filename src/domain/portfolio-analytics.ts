// Return-series metrics of a portfolio backtest, defined as OpenAlgo's portfolio backtester takes them from openstatz
// (its QuantStats rebuild): daily simple returns, 252 periods a year, sample (n−1) deviations. Float64 by design:
// these are statistics of a simulation, not money the ledger keeps.

/** Periods a year the annualized figures assume, as openstatz does for daily returns. */
export const PERIODS_PER_YEAR = 252;
/** The standard normal's 5 % quantile (scipy `norm.ppf(0.05)`), for the parametric value at risk. */
const Z_05 = -1.6448536269514729;

/** The headline metrics; the benchmark-relative ones only with a benchmark. NaN where a figure is undefined. */
export interface ReturnSummary {
  cagr: number;
  volatility: number;
  sharpe: number;
  sortino: number;
  calmar: number;
  max_drawdown: number;
  win_rate: number;
  best_day: number;
  worst_day: number;
  value_at_risk: number;
  cvar: number;
  ulcer_index: number;
  recovery_factor: number;
  tail_ratio: number;
  skew: number;
  kurtosis: number;
  alpha?: number;
  beta?: number;
  information_ratio?: number;
  benchmark_cagr?: number;
  excess_cagr?: number;
  up_capture?: number;
  down_capture?: number;
}

/** The summary of `returns`, against `benchmark` (the same sessions, index for index) when given. */
export function summarize(returns: readonly number[], benchmark?: readonly number[], riskFreeRate = 0): ReturnSummary {
  const out: ReturnSummary = {
    cagr: cagr(returns),
    volatility: volatility(returns),
    sharpe: sharpe(returns, riskFreeRate),
    sortino: sortino(returns, riskFreeRate),
    calmar: cagr(returns) / Math.abs(maxDrawdown(returns)),
    max_drawdown: maxDrawdown(returns),
    win_rate: winRate(returns),
    best_day: Math.max(...returns),
    worst_day: Math.min(...returns),
    value_at_risk: valueAtRisk(returns),
    cvar: conditionalValueAtRisk(returns),
    ulcer_index: ulcerIndex(returns),
    recovery_factor: recoveryFactor(returns),
    tail_ratio: tailRatio(returns),
    skew: skew(returns),
    kurtosis: kurtosis(returns),
  };
  if (benchmark && benchmark.length > 0) {
    const { alpha, beta } = greeks(returns, benchmark);
    out.alpha = alpha;
    out.beta = beta;
    out.information_ratio = informationRatio(returns, benchmark);
    out.benchmark_cagr = cagr(benchmark);
    out.excess_cagr = out.cagr - out.benchmark_cagr;
    Object.assign(out, captureRatios(returns, benchmark));
  }
  return out;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? NaN : values.reduce((total, value) => total + value, 0) / values.length;
}

/** Sample standard deviation (n−1), NaN below two values. */
export function std(values: readonly number[]): number {
  if (values.length < 2) return NaN;
  const m = mean(values);
  return Math.sqrt(values.reduce((total, value) => total + (value - m) ** 2, 0) / (values.length - 1));
}

/** Total compounded return. */
export function compound(returns: readonly number[]): number {
  return returns.reduce((growth, r) => growth * (1 + r), 1) - 1;
}

/** Compound annual growth over `returns.length / 252` years (openstatz counts periods, not calendar days). */
export function cagr(returns: readonly number[]): number {
  const years = returns.length / PERIODS_PER_YEAR;
  return Math.abs(compound(returns) + 1) ** (1 / years) - 1;
}

export function volatility(returns: readonly number[]): number {
  return std(returns) * Math.sqrt(PERIODS_PER_YEAR);
}

/** Returns less the risk-free rate, de-annualized over `periods` ((1+rf)^(1/periods) − 1). */
function excessReturns(returns: readonly number[], riskFreeRate: number, periods = PERIODS_PER_YEAR): number[] {
  if (riskFreeRate <= 0) return [...returns];
  const perPeriod = (1 + riskFreeRate) ** (1 / periods) - 1;
  return returns.map((r) => r - perPeriod);
}

export function sharpe(returns: readonly number[], riskFreeRate = 0): number {
  const excess = excessReturns(returns, riskFreeRate);
  return (mean(excess) / std(excess)) * Math.sqrt(PERIODS_PER_YEAR);
}

/** Mean excess return over the downside deviation √(Σ min(r,0)² / n), annualized; NaN without a losing period. */
export function sortino(returns: readonly number[], riskFreeRate = 0): number {
  const excess = excessReturns(returns, riskFreeRate);
  const downside = Math.sqrt(excess.reduce((total, r) => total + (r < 0 ? r * r : 0), 0) / excess.length);
  if (downside === 0) return NaN;
  return (mean(excess) / downside) * Math.sqrt(PERIODS_PER_YEAR);
}

/** Drawdown after each period from the running peak of the growth of 1, the starting 1 included (≤ 0). */
export function drawdownSeries(returns: readonly number[]): number[] {
  let value = 1;
  let peak = 1;
  return returns.map((r) => {
    value *= 1 + r;
    peak = Math.max(peak, value);
    return value / peak - 1 || 0;
  });
}

export function maxDrawdown(returns: readonly number[]): number {
  return Math.min(0, ...drawdownSeries(returns));
}

/** Winning periods over periods that moved (0 when none moved). */
export function winRate(returns: readonly number[]): number {
  const moved = returns.filter((r) => r !== 0).length;
  return moved === 0 ? 0 : returns.filter((r) => r > 0).length / moved;
}

/** Parametric one-period 95 % value at risk: mean + σ·z(5 %). */
export function valueAtRisk(returns: readonly number[]): number {
  return mean(returns) + std(returns) * Z_05;
}

/** Mean of the returns below the value at risk; the value at risk itself when none is below it. */
export function conditionalValueAtRisk(returns: readonly number[]): number {
  const threshold = valueAtRisk(returns);
  const tail = returns.filter((r) => r < threshold);
  return tail.length === 0 ? threshold : mean(tail);
}

/** √(Σ drawdown² / (n − 1)). */
export function ulcerIndex(returns: readonly number[]): number {
  return Math.sqrt(drawdownSeries(returns).reduce((total, d) => total + d * d, 0) / (returns.length - 1));
}

/** |Σ returns| / |max drawdown| (openstatz sums, it does not compound, here); NaN without a drawdown. */
export function recoveryFactor(returns: readonly number[]): number {
  const worst = maxDrawdown(returns);
  if (worst === 0) return NaN;
  return Math.abs(returns.reduce((total, r) => total + r, 0)) / Math.abs(worst);
}

/** |95th percentile / 5th percentile|; NaN when the 5th is 0. */
export function tailRatio(returns: readonly number[]): number {
  const lower = quantile(returns, 0.05);
  if (Number.isNaN(lower) || lower === 0) return NaN;
  return Math.abs(quantile(returns, 0.95) / lower);
}

/** The q-quantile with linear interpolation between order statistics (pandas' default). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const below = Math.floor(at);
  const above = Math.min(below + 1, sorted.length - 1);
  const low = sorted[below] as number;
  return low + (at - below) * ((sorted[above] as number) - low);
}

/** Bias-corrected sample skewness (pandas `skew`): NaN below 3 values, 0 for a constant series. */
export function skew(values: readonly number[]): number {
  const n = values.length;
  if (n < 3) return NaN;
  const m = mean(values);
  const m2 = values.reduce((total, v) => total + (v - m) ** 2, 0);
  const m3 = values.reduce((total, v) => total + (v - m) ** 3, 0);
  if (m2 === 0) return 0;
  return ((n * Math.sqrt(n - 1)) / (n - 2)) * (m3 / m2 ** 1.5);
}

/** Bias-corrected sample excess kurtosis (pandas `kurt`): NaN below 4 values, 0 for a constant series. */
export function kurtosis(values: readonly number[]): number {
  const n = values.length;
  if (n < 4) return NaN;
  const m = mean(values);
  const m2 = values.reduce((total, v) => total + (v - m) ** 2, 0);
  const m4 = values.reduce((total, v) => total + (v - m) ** 4, 0);
  const denominator = (n - 2) * (n - 3) * m2 * m2;
  if (denominator === 0) return 0;
  return (n * (n + 1) * (n - 1) * m4) / denominator - (3 * (n - 1) ** 2) / ((n - 2) * (n - 3));
}

/** Sample covariance (n−1). */
export function covariance(a: readonly number[], b: readonly number[]): number {
  const ma = mean(a);
  const mb = mean(b);
  let total = 0;
  for (let i = 0; i < a.length; i++) total += ((a[i] as number) - ma) * ((b[i] as number) - mb);
  return total / (a.length - 1);
}

/** Beta against the benchmark and alpha annualized by 252 (both 0 when the benchmark never moved, as openstatz fills). */
export function greeks(returns: readonly number[], benchmark: readonly number[]): { alpha: number; beta: number } {
  const variance = covariance(benchmark, benchmark);
  if (!(variance > 0)) return { alpha: 0, beta: 0 };
  const beta = covariance(returns, benchmark) / variance;
  const alpha = (mean(returns) - beta * mean(benchmark)) * PERIODS_PER_YEAR;
  return { alpha: Number.isNaN(alpha) ? 0 : alpha, beta: Number.isNaN(beta) ? 0 : beta };
}

/** Mean active return over its deviation, per period (openstatz does not annualize it); 0 when they never differ. */
export function informationRatio(returns: readonly number[], benchmark: readonly number[]): number {
  const active = returns.map((r, i) => r - (benchmark[i] as number));
  const deviation = std(active);
  return deviation === 0 ? 0 : mean(active) / deviation;
}

/** Mean portfolio return over mean benchmark return, on the benchmark's up and on its down periods. */
export function captureRatios(returns: readonly number[], benchmark: readonly number[]): { up_capture: number; down_capture: number } {
  const capture = (pick: (b: number) => boolean): number => {
    const days = benchmark.flatMap((b, i) => (pick(b) ? [i] : []));
    if (days.length === 0) return NaN;
    const b = mean(days.map((i) => benchmark[i] as number));
    return b === 0 ? NaN : mean(days.map((i) => returns[i] as number)) / b;
  };
  return { up_capture: capture((b) => b > 0), down_capture: capture((b) => b < 0) };
}

/** Pearson correlation; NaN below `minOverlap` pairs or when either series is constant. */
export function correlation(a: readonly number[], b: readonly number[], minOverlap = 1): number {
  if (a.length < Math.max(2, minOverlap)) return NaN;
  return covariance(a, b) / Math.sqrt(covariance(a, a) * covariance(b, b));
}

/** Herfindahl–Hirschman concentration of weights (normalized first); `effective_holdings` is 1/HHI. */
export function concentration(weights: readonly number[]): { hhi: number; effective_holdings: number; largest_weight: number; holdings: number } {
  const total = weights.reduce((sum, w) => sum + w, 0);
  const shares = weights.map((w) => w / total);
  const hhi = shares.reduce((sum, w) => sum + w * w, 0);
  return { hhi, effective_holdings: 1 / hhi, largest_weight: Math.max(...shares), holdings: shares.length };
}

/** Weighted mean of the holdings' annualized volatilities over the portfolio's (NaN below two holdings). */
export function diversificationRatio(weights: readonly number[], returns: readonly (readonly number[])[]): number {
  if (weights.length < 2) return NaN;
  const total = weights.reduce((sum, w) => sum + w, 0);
  const w = weights.map((x) => x / total);
  let variance = 0;
  for (let i = 0; i < w.length; i++) {
    for (let j = 0; j < w.length; j++) {
      variance += (w[i] as number) * (w[j] as number) * covariance(returns[i] as number[], returns[j] as number[]) * PERIODS_PER_YEAR;
    }
  }
  const portfolio = Math.sqrt(variance);
  if (!(portfolio > 0)) return NaN;
  const weighted = w.reduce((sum, x, i) => sum + x * Math.sqrt(covariance(returns[i] as number[], returns[i] as number[]) * PERIODS_PER_YEAR), 0);
  return weighted / portfolio;
}
