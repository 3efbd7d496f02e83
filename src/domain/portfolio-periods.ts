// Calendar views of a daily return series for a portfolio report (OpenAlgo's `series` section): the month-by-month
// grid, calendar years against a benchmark, seasonality of months and quarters, and rolling Sharpe and volatility.
import { PERIODS_PER_YEAR, compound, mean, std, winRate } from './portfolio-analytics.js';

/** One return per session, dated `YYYY-MM-DD`. */
export interface DatedReturns {
  dates: readonly string[];
  returns: readonly number[];
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;

/** Compounded return of each period (`key` of the date), in the order periods first appear. */
export function periodReturns(series: DatedReturns, key: (date: string) => string): Map<string, number> {
  const groups = new Map<string, number[]>();
  series.dates.forEach((date, i) => {
    const group = groups.get(key(date)) ?? [];
    group.push(series.returns[i] as number);
    groups.set(key(date), group);
  });
  return new Map([...groups].map(([period, returns]) => [period, compound(returns)]));
}

export const monthOf = (date: string): string => date.slice(0, 7);
export const quarterOf = (date: string): string => `${date.slice(0, 4)}-Q${Math.ceil(Number(date.slice(5, 7)) / 3)}`;
export const yearOf = (date: string): string => date.slice(0, 4);

/** Years down, JAN…DEC across; a month without sessions is 0, as openstatz fills it. */
export function monthlyGrid(series: DatedReturns): { years: string[]; columns: string[]; values: number[][] } {
  const months = periodReturns(series, monthOf);
  const years = [...new Set([...months.keys()].map((month) => month.slice(0, 4)))].sort();
  const values = years.map((year) => MONTHS.map((_, m) => months.get(`${year}-${String(m + 1).padStart(2, '0')}`) ?? 0));
  return { years, columns: [...MONTHS], values };
}

/** Best and worst month, the mean up and down month, and the share of months and quarters that gained. */
export function seasonality(series: DatedReturns) {
  const months = [...periodReturns(series, monthOf).values()];
  const quarters = [...periodReturns(series, quarterOf).values()];
  return {
    best_month: Math.max(...months),
    worst_month: Math.min(...months),
    avg_up_month: mean(months.filter((r) => r > 0)),
    avg_down_month: mean(months.filter((r) => r < 0)),
    win_months: winRate(months),
    win_quarters: winRate(quarters),
  };
}

export interface YearRow {
  year: string;
  portfolio: number;
  benchmark?: number;
  difference?: number;
  won?: boolean;
  /** Portfolio over benchmark return; only in a year the benchmark gained (a ratio to a loss reads backwards). */
  multiplier?: number | null;
}

/** Each calendar year's compounded return, and the benchmark's over the same sessions when given. */
export function yearlyReturns(series: DatedReturns, benchmark?: DatedReturns): YearRow[] {
  const portfolio = periodReturns(series, yearOf);
  if (!benchmark) return [...portfolio].map(([year, value]) => ({ year, portfolio: value }));
  const bench = periodReturns(benchmark, yearOf);
  return [...bench].map(([year, b]) => {
    const p = portfolio.get(year) ?? NaN;
    return { year, benchmark: b, portfolio: p, difference: p - b, won: p >= b, multiplier: b > 0 ? p / b : null };
  });
}

/** Rolling annualized Sharpe (risk-free rate de-annualized over the window, as openstatz does) and volatility. */
export function rollingRisk(series: DatedReturns, window: number, riskFreeRate: number) {
  const perPeriod = riskFreeRate > 0 ? (1 + riskFreeRate) ** (1 / window) - 1 : 0;
  const sharpe: { date: string; value: number }[] = [];
  const volatility: { date: string; value: number }[] = [];
  for (let end = window; end <= series.returns.length; end++) {
    const slice = series.returns.slice(end - window, end);
    const date = series.dates[end - 1] as string;
    const deviation = std(slice);
    sharpe.push({ date, value: ((mean(slice) - perPeriod) / deviation) * Math.sqrt(PERIODS_PER_YEAR) });
    volatility.push({ date, value: deviation * Math.sqrt(PERIODS_PER_YEAR) });
  }
  return { window, sharpe, volatility };
}
