// The SIP re-run many ways, as OpenAlgo's sip/analytics.py grids it: the same yearly outlay at each frequency, every
// window of 1 to 10 years stepped through the history, each start month × holding period, and each day of the month.
// Each cell is one simulation; a cell that cannot run or whose XIRR is undefined is null. `pause` lets a caller
// interleave other work between simulations (grids run hundreds of them).
import { type Decimal, dec, toNumber } from './decimal.js';
import type { IsoDate } from './market-calendar.js';
import { finite } from './sip-analytics.js';
import { type CloseSeries, type SipOptions, SipRunError, runSip } from './sip-engine.js';
import { MAX_DAY_OF_MONTH, SipScheduleError, type SipFrequency, addMonths, addYearsHeld } from './sip-schedule.js';
import { xirrOrNull } from './sip-xirr.js';

export const ROLLING_YEARS = [1, 3, 5, 7, 10] as const;
/** Start months × durations beyond this are thinned (every other start month) so one request stays bounded. */
export const MAX_GRID_CELLS = 900;
const ROLLING_STEP_MONTHS = 3;
const RUNS_BETWEEN_PAUSES = 8;
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** Runs SIPs over one close series, pausing every few runs. */
export class SipGridRunner {
  private runs = 0;

  constructor(
    readonly prices: CloseSeries,
    readonly options: SipOptions,
    private readonly pause: () => Promise<void> = async () => undefined,
  ) {}

  /** The result of one SIP, or null when it cannot be run (no session, no share affordable, …). */
  async run(start: IsoDate, end: IsoDate, amount: Decimal, changes: Partial<SipOptions> = {}) {
    this.runs += 1;
    if (this.runs % RUNS_BETWEEN_PAUSES === 0) await this.pause();
    try {
      return runSip(this.prices, 'x', start, end, amount, { ...this.options, ...changes });
    } catch (error) {
      if (error instanceof SipRunError || error instanceof SipScheduleError) return null;
      throw error;
    }
  }

  async xirr(start: IsoDate, end: IsoDate, amount: Decimal, changes: Partial<SipOptions> = {}): Promise<number | null> {
    const result = await this.run(start, end, amount, changes);
    return result ? finite(xirrOrNull(result.cashFlows)) : null;
  }

  get first(): IsoDate | undefined {
    return this.prices.dates[0];
  }

  get last(): IsoDate | undefined {
    return this.prices.dates[this.prices.dates.length - 1];
  }
}

const PER_YEAR: ReadonlyArray<[SipFrequency, number]> = [
  ['weekly', 52],
  ['fortnightly', 26],
  ['monthly', 12],
  ['quarterly', 4],
];

/** Twelve times `monthlyAmount` a year, paid weekly, fortnightly, monthly or quarterly (a frequency that cannot run is left out). */
export async function frequencyComparison(runner: SipGridRunner, start: IsoDate, end: IsoDate, monthlyAmount: number) {
  const rows = [];
  for (const [frequency, count] of PER_YEAR) {
    const amount = (monthlyAmount * 12) / count;
    const result = await runner.run(start, end, dec(amount), { frequency });
    if (!result) continue;
    rows.push({
      frequency,
      amount_per_installment: finite(amount),
      installments: result.installments.length,
      invested: finite(toNumber(result.totalInvested)),
      final_value: finite(toNumber(result.finalValue)),
      xirr: finite(xirrOrNull(result.cashFlows)),
      average_cost: finite(toNumber(result.averageCost)),
      charges: finite(toNumber(result.charges)),
    });
  }
  return rows;
}

/** For each length in years: the XIRR of every window of that length, starts three months apart, and its spread. */
export async function rollingXirr(runner: SipGridRunner, amount: Decimal, years: readonly number[] = ROLLING_YEARS) {
  const { first, last } = runner;
  if (first === undefined || last === undefined) return [];
  const out = [];
  for (const span of years) {
    const points: Array<{ start: IsoDate; end: IsoDate; xirr: number | null }> = [];
    for (let cursor = first; ; ) {
      const end = addYearsHeld(cursor, span);
      if (end > last) break;
      const rate = await runner.xirr(cursor, end, amount);
      if (rate !== null) points.push({ start: cursor, end, xirr: rate });
      cursor = addMonths(`${cursor.slice(0, 8)}${String(Math.min(Number(cursor.slice(8, 10)), MAX_DAY_OF_MONTH)).padStart(2, '0')}`, ROLLING_STEP_MONTHS);
    }
    if (points.length === 0) continue;
    const rates = points.map((point) => point.xirr as number);
    out.push({
      years: span,
      windows: points.length,
      points,
      best: finite(Math.max(...rates)),
      worst: finite(Math.min(...rates)),
      median: finite(median(rates)),
      positive_share: finite(rates.filter((rate) => rate > 0).length / rates.length),
    });
  }
  return out;
}

/** Start month down (the first of each month of the history), holding period across, XIRR in the cells. */
export async function startDateHeatmap(runner: SipGridRunner, amount: Decimal, durations: readonly number[] = ROLLING_YEARS) {
  const { first, last } = runner;
  if (first === undefined || last === undefined) return { rows: [], columns: [], values: [] };
  let starts: IsoDate[] = [];
  for (let cursor = `${first.slice(0, 8)}01`; cursor <= last; cursor = addMonths(cursor, 1)) starts.push(cursor);
  const usable = durations.filter((years) => years !== 0);
  while (starts.length > 0 && starts.length * usable.length > MAX_GRID_CELLS) starts = starts.filter((_, index) => index % 2 === 0);
  const values: Array<Array<number | null>> = [];
  for (const start of starts) {
    const row: Array<number | null> = [];
    for (const span of usable) {
      const end = addYearsHeld(start, span);
      row.push(end <= last ? await runner.xirr(start, end, amount) : null);
    }
    values.push(row);
  }
  return {
    rows: starts.map((start) => `${MONTH_NAMES[Number(start.slice(5, 7)) - 1]} ${start.slice(0, 4)}`),
    columns: usable.map((years) => `${years}Y`),
    values,
  };
}

/** The XIRR of the same SIP on each day of the month, 1st to 28th, with the best and worst day and their spread. */
export async function sipDateHeatmap(runner: SipGridRunner, start: IsoDate, end: IsoDate, amount: Decimal) {
  const days: number[] = [];
  const rates: Array<number | null> = [];
  for (let day = 1; day <= MAX_DAY_OF_MONTH; day += 1) {
    days.push(day);
    rates.push(await runner.xirr(start, end, amount, { dayOfMonth: day }));
  }
  const clean = rates.filter((rate): rate is number => rate !== null);
  const best = Math.max(...clean);
  const worst = Math.min(...clean);
  return {
    days,
    values: rates,
    best_day: clean.length ? (days[rates.indexOf(best)] as number) : null,
    worst_day: clean.length ? (days[rates.indexOf(worst)] as number) : null,
    spread: clean.length ? finite(best - worst) : null,
  };
}

/** pandas' median: the middle value, or the mean of the two middle ones. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
