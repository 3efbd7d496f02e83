// XIRR, the annual rate that zeroes the present value of dated cash flows, as OpenAlgo's sip/xirr.py solves it:
// actual/365 day count, (1 + r)^t discounting (spreadsheet XIRR), Brent's method (scipy's brentq) on [-99.99%, 10000%].
// A rate is a ratio, so it is a float; the flows are the money of a SIP already converted for discounting.
import { type IsoDate, daysBetween } from './market-calendar.js';

/** A dated flow: investments negative (money leaving the investor), redemptions and the closing value positive. */
export interface CashFlow {
  readonly date: IsoDate;
  readonly amount: number;
}

const DAYS_PER_YEAR = 365;
export const XIRR_MIN_RATE = -0.9999;
export const XIRR_MAX_RATE = 100;
/** scipy.optimize.brentq's tolerances as OpenAlgo calls it: xtol 1e-10, rtol 4 ulp, 200 iterations. */
const XTOL = 1e-10;
const RTOL = 4 * Number.EPSILON;
const MAX_ITERATIONS = 200;

/** XIRR is not defined for the given cash flows. */
export class XirrError extends RangeError {
  override readonly name = 'XirrError';
}

/** Net present value of `flows` at `rate`, discounted to `t0`. */
export function npv(rate: number, flows: readonly CashFlow[], t0: IsoDate): number {
  let total = 0;
  for (const { date, amount } of flows) total += amount / (1 + rate) ** (daysBetween(t0, date) / DAYS_PER_YEAR);
  return total;
}

/** The annualised rate as a fraction (0.142 for 14.2%); XirrError when it is undefined or outside the bracket. */
export function xirr(cashFlows: readonly CashFlow[]): number {
  const flows = cashFlows.filter((flow) => flow.amount !== 0).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  if (flows.length < 2) throw new XirrError('XIRR needs at least two non-zero cash flows');
  const t0 = (flows[0] as CashFlow).date;
  if ((flows[flows.length - 1] as CashFlow).date === t0) throw new XirrError('XIRR needs cash flows on at least two different dates');
  const hasNegative = flows.some((flow) => flow.amount < 0);
  const hasPositive = flows.some((flow) => flow.amount > 0);
  if (!hasNegative || !hasPositive) {
    throw new XirrError(`XIRR is undefined for ${hasNegative ? 'all outflows' : 'all inflows'}: the series never crosses zero`);
  }
  // A flow on the same date as t0 has t = 0: its term is the flow itself, whatever the rate.
  const f = (rate: number): number => npv(rate, flows, t0);
  const atLow = f(XIRR_MIN_RATE);
  const atHigh = f(XIRR_MAX_RATE);
  if (!Number.isFinite(atLow) || !Number.isFinite(atHigh)) throw new XirrError('NPV is not finite at the bracket edges');
  if (atLow * atHigh > 0) {
    throw new XirrError(
      'no rate between -100% and 10000% zeroes the NPV; the cash flows are likely degenerate (a very short period, or a near-total loss)',
    );
  }
  return brentq(f, XIRR_MIN_RATE, XIRR_MAX_RATE, atLow, atHigh);
}

/** `xirr`, or null where it is undefined (a blank grid cell rather than a failed request). */
export function xirrOrNull(cashFlows: readonly CashFlow[]): number | null {
  try {
    return xirr(cashFlows);
  } catch (error) {
    if (error instanceof XirrError) return null;
    throw error;
  }
}

/** Total gain as a fraction of what was put in; 0 when nothing was. */
export function absoluteReturn(invested: number, currentValue: number): number {
  return invested <= 0 ? 0 : (currentValue - invested) / invested;
}

/** scipy's brentq (Brent 1973, as scipy/optimize/Zeros/brentq.c writes it), on a bracket known to change sign. */
function brentq(f: (x: number) => number, a: number, b: number, fa: number, fb: number): number {
  let xpre = a;
  let xcur = b;
  let fpre = fa;
  let fcur = fb;
  let xblk = 0;
  let fblk = 0;
  let spre = 0;
  let scur = 0;
  if (fpre === 0) return xpre;
  if (fcur === 0) return xcur;
  for (let i = 0; i < MAX_ITERATIONS; i += 1) {
    if (fpre !== 0 && fcur !== 0 && Math.sign(fpre) !== Math.sign(fcur)) {
      xblk = xpre;
      fblk = fpre;
      spre = scur = xcur - xpre;
    }
    if (Math.abs(fblk) < Math.abs(fcur)) {
      xpre = xcur;
      xcur = xblk;
      xblk = xpre;
      fpre = fcur;
      fcur = fblk;
      fblk = fpre;
    }
    const delta = (XTOL + RTOL * Math.abs(xcur)) / 2;
    const sbis = (xblk - xcur) / 2;
    if (fcur === 0 || Math.abs(sbis) < delta) return xcur;
    if (Math.abs(spre) > delta && Math.abs(fcur) < Math.abs(fpre)) {
      let stry: number;
      if (xpre === xblk) {
        stry = (-fcur * (xcur - xpre)) / (fcur - fpre); // secant
      } else {
        const dpre = (fpre - fcur) / (xpre - xcur);
        const dblk = (fblk - fcur) / (xblk - xcur);
        stry = (-fcur * (fblk * dblk - fpre * dpre)) / (dblk * dpre * (fblk - fpre)); // inverse quadratic
      }
      if (2 * Math.abs(stry) < Math.min(Math.abs(spre), 3 * Math.abs(sbis) - delta)) {
        spre = scur;
        scur = stry;
      } else {
        spre = sbis;
        scur = sbis;
      }
    } else {
      spre = sbis;
      scur = sbis;
    }
    xpre = xcur;
    fpre = fcur;
    xcur += Math.abs(scur) > delta ? scur : sbis > 0 ? delta : -delta;
    fcur = f(xcur);
  }
  throw new XirrError('solver failed to converge');
}
