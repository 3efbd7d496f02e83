// The dates and amounts of a SIP (systematic investment plan), as OpenAlgo's sip/schedule.py makes them: the calendar
// dates asked for, the annual step-up, and each date moved onto the next trading session of the price data.
import { type Decimal, ZERO, cmp, dec, mul } from './decimal.js';
import { type IsoDate, addDays, daysBetween } from './market-calendar.js';

export const SIP_FREQUENCIES = ['monthly', 'fortnightly', 'weekly', 'quarterly'] as const;
export type SipFrequency = (typeof SIP_FREQUENCIES)[number];

/** Days after the 28th do not exist in every month: refused rather than silently moved (OpenAlgo's rule). */
export const MAX_DAY_OF_MONTH = 28;

/** The requested SIP schedule cannot be built; the message is OpenAlgo's. */
export class SipScheduleError extends RangeError {
  override readonly name = 'SipScheduleError';
}

/** One investment: the date asked for, the session it executed on, and its amount. */
export interface Installment {
  readonly requested: IsoDate;
  readonly executed: IsoDate;
  readonly amount: Decimal;
}

export interface ScheduleOptions {
  frequency: SipFrequency;
  /** Target day of monthly and quarterly SIPs, 1 to 28. */
  dayOfMonth: number;
  /** Annual increase in percent, applied on each anniversary of the first date. */
  stepUpPercent: number;
}

/** The calendar dates a SIP targets, ignoring market holidays. */
export function requestedDates(start: IsoDate, end: IsoDate, frequency: string, dayOfMonth = 1): IsoDate[] {
  if (!(SIP_FREQUENCIES as readonly string[]).includes(frequency)) {
    throw new SipScheduleError(`frequency must be one of ${SIP_FREQUENCIES.join(', ')}, got '${frequency}'`);
  }
  if (end < start) throw new SipScheduleError('end date is before start date');
  const out: IsoDate[] = [];
  if (frequency === 'monthly' || frequency === 'quarterly') {
    if (!Number.isInteger(dayOfMonth) || dayOfMonth < 1 || dayOfMonth > MAX_DAY_OF_MONTH) {
      throw new SipScheduleError(
        `day_of_month must be between 1 and ${MAX_DAY_OF_MONTH}; days after the 28th do not exist in every month`,
      );
    }
    const step = frequency === 'monthly' ? 1 : 3;
    let anchor = `${start.slice(0, 8)}${String(dayOfMonth).padStart(2, '0')}`;
    if (anchor < start) anchor = addMonths(anchor, step);
    for (let i = 0; ; i += 1) {
      const when = addMonths(anchor, i * step);
      if (when > end) break;
      out.push(when);
    }
    return out;
  }
  const gap = frequency === 'weekly' ? 7 : 14;
  for (let when = start; when <= end; when = addDays(when, gap)) out.push(when);
  return out;
}

/**
 * The amount of each date: the base raised by `stepUpPercent` on every anniversary of the first date (whole
 * 365-day years elapsed, as OpenAlgo counts them), compounding.
 */
export function applyStepUp(dates: readonly IsoDate[], base: Decimal, stepUpPercent = 0): Decimal[] {
  const first = dates[0];
  if (first === undefined) return [];
  if (stepUpPercent < 0) throw new SipScheduleError('step_up_percent cannot be negative');
  const factor = dec(1 + stepUpPercent / 100);
  const byYears: Decimal[] = [base];
  return dates.map((when) => {
    const years = Math.floor(daysBetween(first, when) / 365);
    while (byYears.length <= years) byYears.push(mul(byYears[byYears.length - 1] as Decimal, factor));
    return byYears[years] as Decimal;
  });
}

/**
 * The installments of a SIP on the sessions of its price data (ascending `YYYY-MM-DD`): a date that is not a session
 * executes on the next one; one whose next session falls after `end` is dropped, with every later one.
 */
export function buildSchedule(
  sessions: readonly IsoDate[],
  start: IsoDate,
  end: IsoDate,
  amount: Decimal,
  options: ScheduleOptions,
): Installment[] {
  if (cmp(amount, ZERO) <= 0) throw new SipScheduleError('SIP amount must be positive');
  if (sessions.length === 0) throw new SipScheduleError('no trading sessions available for this period');
  const wanted = requestedDates(start, end, options.frequency, options.dayOfMonth);
  if (wanted.length === 0) throw new SipScheduleError('the SIP window is too short to contain a single installment');
  const amounts = applyStepUp(wanted, amount, options.stepUpPercent);
  const out: Installment[] = [];
  let cursor = 0;
  for (const [index, requested] of wanted.entries()) {
    while (cursor < sessions.length && (sessions[cursor] as IsoDate) < requested) cursor += 1;
    const executed = sessions[cursor];
    if (executed === undefined || executed > end) break;
    out.push({ requested, executed, amount: amounts[index] as Decimal });
  }
  if (out.length === 0) throw new SipScheduleError('no SIP installment could be placed on a trading session in this window');
  return out;
}

/** `date` moved by whole months, its day kept (callers keep days at 28 or below, which every month has). */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const total = Number(date.slice(5, 7)) - 1 + months;
  const year = Number(date.slice(0, 4)) + Math.floor(total / 12);
  const month = (((total % 12) + 12) % 12) + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${date.slice(8, 10)}`;
}

/** The same day `years` later; the day is held at 28 at most, as OpenAlgo's rolling windows hold it. */
export function addYearsHeld(date: IsoDate, years: number): IsoDate {
  const day = Math.min(Number(date.slice(8, 10)), MAX_DAY_OF_MONTH);
  return `${String(Number(date.slice(0, 4)) + years).padStart(4, '0')}-${date.slice(5, 7)}-${String(day).padStart(2, '0')}`;
}
