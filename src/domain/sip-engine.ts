// A SIP run against a close series, as OpenAlgo's sip/engine.py runs it: each installment buys whole shares at the
// session's close (India has no fractional cash-equity units), what it cannot spend stays as cash and joins the next
// one, charges are paid per installment out of the money paid in. Cash and units are exact; the lumpsum comparison too.
import { type Decimal, ZERO, add, cmp, dec, div, mul, sub, sum, toNumber } from './decimal.js';
import type { IsoDate } from './market-calendar.js';
import type { SipCosts } from './sip-charges.js';
import { type Installment, type ScheduleOptions, buildSchedule } from './sip-schedule.js';
import type { CashFlow } from './sip-xirr.js';

/** Session closes in date order (no duplicates). */
export interface CloseSeries {
  readonly dates: readonly IsoDate[];
  readonly closes: readonly Decimal[];
}

export interface SipOptions extends ScheduleOptions {
  costs: SipCosts;
}

/** The SIP could not be simulated; the message is OpenAlgo's. */
export class SipRunError extends RangeError {
  override readonly name = 'SipRunError';
}

/** The account after one installment. */
interface Holding {
  readonly date: IsoDate;
  readonly units: Decimal;
  readonly cash: Decimal;
  readonly invested: Decimal;
}

export interface SipResult {
  /** The sessions of [start, end]. */
  readonly window: CloseSeries;
  readonly installments: readonly Installment[];
  /** Investments negative on their sessions, the final value positive on the last session. */
  readonly cashFlows: readonly CashFlow[];
  readonly totalInvested: Decimal;
  readonly finalValue: Decimal;
  readonly totalUnits: Decimal;
  /** What each share bought cost (charges and uninvested cash left out). */
  readonly averageCost: Decimal;
  /** The plain average of the closes bought at: the gap to averageCost is the rupee-cost-averaging effect. */
  readonly averagePrice: Decimal;
  /** Money paid in that bought nothing yet (a remainder smaller than a share). */
  readonly cash: Decimal;
  readonly charges: Decimal;
  /** Per-line totals of the charges (a schedule's lines, tax, slippage and total); empty without itemised costs. */
  readonly chargeBreakdown: Readonly<Record<string, Decimal>>;
  readonly holdings: readonly Holding[];
}

/** The SIP's value and money paid in at every session of its window. */
export interface ValueCurve {
  readonly dates: readonly IsoDate[];
  readonly value: readonly Decimal[];
  readonly invested: readonly Decimal[];
}

/** Runs a SIP of `amount` (before step-up) over the sessions of `prices` in [start, end]. */
export function runSip(prices: CloseSeries, symbol: string, start: IsoDate, end: IsoDate, amount: Decimal, options: SipOptions): SipResult {
  if (prices.dates.length === 0) throw new SipRunError('no price data for this symbol and period');
  const window = windowOf(prices, start, end);
  if (window.dates.length === 0) throw new SipRunError(`no trading sessions between ${start} and ${end} for ${symbol}`);
  if (window.closes.some((close) => cmp(close, ZERO) <= 0)) throw new SipRunError('price series contains non-positive closes');
  const installments = buildSchedule(window.dates, start, end, amount, options);
  const closeOn = new Map(window.dates.map((date, index) => [date, window.closes[index] as Decimal]));

  let units = ZERO;
  let cash = ZERO;
  let invested = ZERO;
  let charges = ZERO;
  const breakdown: Record<string, Decimal> = {};
  const holdings: Holding[] = [];
  const cashFlows: CashFlow[] = [];
  for (const installment of installments) {
    const price = closeOn.get(installment.executed) as Decimal;
    const budget = add(cash, installment.amount);
    const { shares, charge } = affordable(budget, price, options.costs);
    const spent = mul(shares, price);
    cash = sub(sub(budget, spent), charge);
    units = add(units, shares);
    invested = add(invested, installment.amount);
    charges = add(charges, charge);
    if (shares !== ZERO && options.costs.breakdown) {
      for (const [key, value] of Object.entries(options.costs.breakdown(spent))) breakdown[key] = add(breakdown[key] ?? ZERO, value);
    }
    holdings.push({ date: installment.executed, units, cash, invested });
    cashFlows.push({ date: installment.executed, amount: -toNumber(installment.amount) });
  }
  if (units === ZERO) {
    throw new SipRunError(
      'no installment could afford a single share: the price exceeds the amount available after charges. Increase the installment.',
    );
  }
  const lastClose = window.closes[window.closes.length - 1] as Decimal;
  const finalValue = add(mul(units, lastClose), cash);
  cashFlows.push({ date: window.dates[window.dates.length - 1] as IsoDate, amount: toNumber(finalValue) });
  const executedCloses = installments.map((installment) => closeOn.get(installment.executed) as Decimal);
  return {
    window,
    installments,
    cashFlows,
    totalInvested: invested,
    finalValue,
    totalUnits: units,
    averageCost: div(sub(sub(invested, charges), cash), units),
    averagePrice: div(sum(executedCloses), dec(executedCloses.length)),
    cash,
    charges,
    chargeBreakdown: breakdown,
    holdings,
  };
}

/** The value (units at the close plus cash) and money paid in at each session: zero before the first installment. */
export function valueCurve(result: SipResult): ValueCurve {
  const value: Decimal[] = [];
  const invested: Decimal[] = [];
  let next = 0;
  let held: Holding | undefined;
  result.window.dates.forEach((date, index) => {
    while (next < result.holdings.length && (result.holdings[next] as Holding).date <= date) held = result.holdings[next++];
    value.push(held ? add(mul(held.units, result.window.closes[index] as Decimal), held.cash) : ZERO);
    invested.push(held ? held.invested : ZERO);
  });
  return { dates: result.window.dates, value, invested };
}

export interface LumpsumResult {
  readonly invested: Decimal;
  readonly finalValue: Decimal;
  readonly units: Decimal;
  readonly entryPrice: Decimal;
  readonly entryDate: IsoDate;
  readonly cashFlows: readonly CashFlow[];
}

/** `amount` invested in whole shares at the first session's close and held to the last; the remainder kept as cash. */
export function runLumpsum(prices: CloseSeries, start: IsoDate, end: IsoDate, amount: Decimal, costs: SipCosts): LumpsumResult {
  const window = windowOf(prices, start, end);
  const entryPrice = window.closes[0];
  const entryDate = window.dates[0];
  if (entryPrice === undefined || entryDate === undefined) throw new SipRunError('no sessions available for the lumpsum comparison');
  const { shares, charge } = affordable(amount, entryPrice, costs, false);
  const residual = sub(sub(amount, mul(shares, entryPrice)), charge);
  const finalValue = add(mul(shares, window.closes[window.closes.length - 1] as Decimal), residual);
  return {
    invested: amount,
    finalValue,
    units: shares,
    entryPrice,
    entryDate,
    cashFlows: [
      { date: entryDate, amount: -toNumber(amount) },
      { date: window.dates[window.dates.length - 1] as IsoDate, amount: toNumber(finalValue) },
    ],
  };
}

/** The closes of the sessions in [start, end]. */
export function windowOf(prices: CloseSeries, start: IsoDate, end: IsoDate): CloseSeries {
  let from = 0;
  while (from < prices.dates.length && (prices.dates[from] as IsoDate) < start) from += 1;
  let to = from;
  while (to < prices.dates.length && (prices.dates[to] as IsoDate) <= end) to += 1;
  return { dates: prices.dates.slice(from, to), closes: prices.closes.slice(from, to) };
}

/**
 * The whole shares `budget` buys at `price` with their charge: as many as the price allows, one fewer while the charge
 * does not fit. An installment that buys nothing is charged nothing (OpenAlgo's lumpsum keeps a flat charge there).
 */
function affordable(budget: Decimal, price: Decimal, costs: SipCosts, freeWhenNothing = true): { shares: Decimal; charge: Decimal } {
  let count = budget / price; // scaled ÷ scaled: the whole number of shares, rounded down (budget is never negative)
  let charge = costs.charge(mul(dec(count), price));
  while (count > 0n && cmp(add(mul(dec(count), price), charge), budget) > 0) {
    count -= 1n;
    charge = costs.charge(mul(dec(count), price));
  }
  if (count === 0n && freeWhenNothing) charge = ZERO;
  return { shares: dec(count), charge };
}
