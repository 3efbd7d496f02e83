// The metrics of one completed SIP, as OpenAlgo's sip/analytics.py defines them: the headline, time under water
// (value below the money paid in), drawdown from the peak, the calendar-year table, the month-by-month market move
// with contributions removed, and the same money invested as a lump sum. Ratios and rates are floats; null where
// OpenAlgo's NaN or infinity would be (JSON has neither).
import { type Decimal, cmp, sub, toNumber } from './decimal.js';
import { type IsoDate, daysBetween } from './market-calendar.js';
import type { SipCosts } from './sip-charges.js';
import { type CloseSeries, type SipResult, type ValueCurve, runLumpsum } from './sip-engine.js';
import { absoluteReturn, xirrOrNull } from './sip-xirr.js';

/** A finite number, or null (OpenAlgo's `_f`). */
export function finite(value: number | null | undefined): number | null {
  return value === null || value === undefined || !Number.isFinite(value) ? null : value;
}

export function headline(result: SipResult) {
  const invested = toNumber(result.totalInvested);
  const finalValue = toNumber(result.finalValue);
  const averageCost = toNumber(result.averageCost);
  const averagePrice = toNumber(result.averagePrice);
  const { dates } = result.window;
  const first = dates[0] as IsoDate;
  const last = dates[dates.length - 1] as IsoDate;
  return {
    invested: finite(invested),
    final_value: finite(finalValue),
    gain: finite(toNumber(sub(result.finalValue, result.totalInvested))),
    multiple: invested ? finite(finalValue / invested) : null,
    xirr: finite(xirrOrNull(result.cashFlows)),
    absolute_return: finite(absoluteReturn(invested, finalValue)),
    installments: result.installments.length,
    units: finite(toNumber(result.totalUnits)),
    average_cost: finite(averageCost),
    average_price: finite(averagePrice),
    // Negative: each unit cost less than the average close over the same dates.
    cost_advantage: averagePrice ? finite((averageCost - averagePrice) / averagePrice) : null,
    charges: finite(toNumber(result.charges)),
    cash: finite(toNumber(result.cash)),
    start: first,
    end: last,
    years: finite(daysBetween(first, last) / 365),
  };
}

/** How long the SIP was worth less than the money paid into it (not than an earlier peak). */
export function underwater(curve: ValueCurve) {
  let below = 0;
  let longest = 0;
  let current = 0;
  let longestEnded: IsoDate | null = null;
  let worst = Infinity;
  curve.dates.forEach((date, index) => {
    const value = curve.value[index] as Decimal;
    const invested = curve.invested[index] as Decimal;
    if (cmp(value, invested) < 0) {
      below += 1;
      current += 1;
      if (current > longest) [longest, longestEnded] = [current, date];
    } else {
      current = 0;
    }
    const paid = toNumber(invested);
    if (paid !== 0) worst = Math.min(worst, toNumber(sub(value, invested)) / paid);
  });
  const total = curve.dates.length;
  return {
    sessions_below: below,
    sessions_total: total,
    share_below: total ? finite(below / total) : null,
    longest_streak_sessions: longest,
    longest_streak_ended: longestEnded,
    worst_shortfall: finite(worst),
    ever_underwater: below > 0,
  };
}

/** Peak-to-trough fall of the value curve, and the sessions it took to regain the peak. */
export function drawdown(curve: ValueCurve) {
  const values = curve.value.map(toNumber);
  let peak = -Infinity;
  const peaks: number[] = [];
  const falls = values.map((value) => {
    peak = Math.max(peak, value);
    peaks.push(peak);
    return peak !== 0 ? (value - peak) / peak : NaN;
  });
  let trough = -1;
  falls.forEach((fall, index) => {
    if (!Number.isNaN(fall) && (trough < 0 || fall < (falls[trough] as number))) trough = index;
  });
  let recoverySessions: number | null = null;
  if (trough >= 0) {
    const peakValue = peaks[trough] as number;
    for (let index = trough; index < values.length; index += 1) {
      if ((values[index] as number) >= peakValue) {
        recoverySessions = index - trough;
        break;
      }
    }
  }
  return {
    max_drawdown: trough >= 0 ? finite(falls[trough]) : null,
    trough_date: trough >= 0 ? (curve.dates[trough] as IsoDate) : null,
    recovery_sessions: recoverySessions,
    recovered: recoverySessions !== null,
    curve: curve.dates.map((date, index) => ({ date, value: finite(falls[index]) })),
  };
}

/** Per calendar year: money added, paid in to date, the closing value, its gain, and the year's change beyond the money added. */
export function yearlyBreakdown(curve: ValueCurve) {
  const rows: Array<{ year: number; invested_during_year: number | null; invested_to_date: number | null; value: number | null; gain: number | null; change: number | null }> = [];
  let first = 0;
  curve.dates.forEach((date, index) => {
    const next = curve.dates[index + 1];
    if (next !== undefined && next.slice(0, 4) === date.slice(0, 4)) return;
    const openValue = curve.value[first] as Decimal;
    const openInvested = curve.invested[first] as Decimal;
    const closeValue = curve.value[index] as Decimal;
    const closeInvested = curve.invested[index] as Decimal;
    const added = sub(closeInvested, openInvested);
    rows.push({
      year: Number(date.slice(0, 4)),
      invested_during_year: finite(toNumber(added)),
      invested_to_date: finite(toNumber(closeInvested)),
      value: finite(toNumber(closeValue)),
      gain: finite(toNumber(sub(closeValue, closeInvested))),
      change: finite(toNumber(sub(sub(closeValue, openValue), added))),
    });
    first = index + 1;
  });
  return rows;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/**
 * Year down, month across: each month's close-to-close change of the value, less the money added between the two
 * closes, over the previous month's close. The first month, a month after a zero close, and a month without sessions
 * are null.
 */
export function monthlyValueHeatmap(curve: ValueCurve) {
  const monthEnds = new Map<string, { value: number; invested: number }>();
  curve.dates.forEach((date, index) => {
    monthEnds.set(date.slice(0, 7), { value: toNumber(curve.value[index] as Decimal), invested: toNumber(curve.invested[index] as Decimal) });
  });
  const grid = new Map<number, Array<number | null>>();
  const firstDate = curve.dates[0];
  const lastDate = curve.dates[curve.dates.length - 1];
  if (firstDate !== undefined && lastDate !== undefined) {
    let prior: { value: number; invested: number } | undefined;
    for (let month = monthIndex(firstDate); month <= monthIndex(lastDate); month += 1) {
      const year = Math.floor(month / 12);
      const key = `${String(year).padStart(4, '0')}-${String((month % 12) + 1).padStart(2, '0')}`;
      const end = monthEnds.get(key);
      let cell = NaN;
      if (end && prior) {
        const market = end.value - prior.value - (end.invested - prior.invested);
        cell = prior.value !== 0 ? market / prior.value : NaN;
      }
      if (!grid.has(year)) grid.set(year, new Array<number | null>(12).fill(null));
      (grid.get(year) as Array<number | null>)[month % 12] = finite(cell);
      prior = end;
    }
  }
  const years = [...grid.keys()].sort((a, b) => a - b);
  return {
    years: years.map(String),
    columns: [...MONTHS],
    values: years.map((year) => grid.get(year) as Array<number | null>),
    basis: 'close-to-close, contribution removed',
  };
}

function monthIndex(date: IsoDate): number {
  return Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
}

/** The SIP's total paid in, invested at once on the first session and held: null when it cannot be run. */
export function lumpsumComparison(prices: CloseSeries, result: SipResult, start: IsoDate, end: IsoDate, costs: SipCosts) {
  let lump;
  try {
    lump = runLumpsum(prices, start, end, result.totalInvested, costs);
  } catch {
    return null;
  }
  const lumpFinal = toNumber(lump.finalValue);
  const sipFinal = toNumber(result.finalValue);
  return {
    invested: finite(toNumber(lump.invested)),
    final_value: finite(lumpFinal),
    xirr: finite(xirrOrNull(lump.cashFlows)),
    entry_price: finite(toNumber(lump.entryPrice)),
    entry_date: lump.entryDate,
    sip_final_value: finite(sipFinal),
    difference: finite(toNumber(sub(lump.finalValue, result.finalValue))),
    sip_won: cmp(result.finalValue, lump.finalValue) > 0,
  };
}
