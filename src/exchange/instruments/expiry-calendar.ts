// Contract expiry days computed from the exchanges' calendar rules relative to a given IST date, so the master never goes stale.
// Dates are `YYYY-MM-DD` strings throughout; nothing here reads the system clock.

import {
  type HolidayRule,
  type IsoDate,
  THURSDAY,
  TUESDAY,
  addDays,
  dayNumber,
  isExchangeHoliday,
  isTradingDay,
  weekday,
} from '../../domain/market-calendar.js';

function isoDate(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The date itself when the exchange trades on it, else the closest earlier trading day. */
export function tradingDayOnOrBefore(date: IsoDate, isHoliday: HolidayRule = isExchangeHoliday): IsoDate {
  let day = date;
  while (!isTradingDay(day, isHoliday)) day = addDays(day, -1);
  return day;
}

/** The trading day `count` trading days before `date` (which need not be a trading day itself). */
export function tradingDaysBefore(date: IsoDate, count: number, isHoliday: HolidayRule = isExchangeHoliday): IsoDate {
  let day = date;
  for (let left = count; left > 0; left -= 1) day = tradingDayOnOrBefore(addDays(day, -1), isHoliday);
  return day;
}

/** The last given weekday (0 = Sunday) of a month (1–12). */
export function lastWeekdayOfMonth(year: number, month: number, day: number): IsoDate {
  const last = isoDate(year, month, daysInMonth(year, month));
  return addDays(last, -((weekday(last) - day + 7) % 7));
}

// ---- expiry rules ---------------------------------------------------------------------------------------

/** A monthly rule: the expiry day of the contract of a month (1–12), holidays already applied. */
export type MonthlyExpiryRule = (year: number, month: number, isHoliday: HolidayRule) => IsoDate;

/** The last given weekday of the month, moved to the previous trading day when that is a holiday. */
export const lastWeekdayRule =
  (day: number): MonthlyExpiryRule =>
  (year, month, isHoliday) =>
    tradingDayOnOrBefore(lastWeekdayOfMonth(year, month, day), isHoliday);

/** A fixed day of the month, or the trading day before it when the exchange is closed on it. */
export const dayOfMonthRule =
  (dayOfMonth: number): MonthlyExpiryRule =>
  (year, month, isHoliday) =>
    tradingDayOnOrBefore(isoDate(year, month, Math.min(dayOfMonth, daysInMonth(year, month))), isHoliday);

/** Currency futures (NSE CDS): two trading days before the last trading day of the month. */
export const currencyFuturesRule: MonthlyExpiryRule = (year, month, isHoliday) =>
  tradingDaysBefore(tradingDayOnOrBefore(isoDate(year, month, daysInMonth(year, month)), isHoliday), 2, isHoliday);

/** Months searched ahead before giving up; covers bimonthly and five-a-year contract cycles. */
const MONTHS_AHEAD = 36;

/**
 * The next `count` monthly expiries on or after `today`, optionally only for the contract months listed (1–12).
 * An expiry falling on `today` is still listed: the contract trades until the close of its expiry day.
 */
export function monthlyExpiries(
  today: IsoDate,
  count: number,
  rule: MonthlyExpiryRule,
  options: { months?: readonly number[]; isHoliday?: HolidayRule } = {},
): IsoDate[] {
  const isHoliday = options.isHoliday ?? isExchangeHoliday;
  const todayNumber = dayNumber(today);
  let year = Number(today.slice(0, 4));
  let month = Number(today.slice(5, 7));
  const expiries: IsoDate[] = [];
  for (let step = 0; step < MONTHS_AHEAD && expiries.length < count; step += 1) {
    if (!options.months || options.months.includes(month)) {
      const expiry = rule(year, month, isHoliday);
      if (dayNumber(expiry) >= todayNumber) expiries.push(expiry);
    }
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return expiries;
}

/**
 * The next `count` weekly expiries on or after `today`: every given weekday, moved to the previous trading day
 * when the exchange is closed on it (so an expiry may move to before `today` and drop out).
 */
export function weeklyExpiries(
  today: IsoDate,
  count: number,
  day: number,
  isHoliday: HolidayRule = isExchangeHoliday,
): IsoDate[] {
  const todayNumber = dayNumber(today);
  const expiries: IsoDate[] = [];
  let candidate = addDays(today, (day - weekday(today) + 7) % 7);
  while (expiries.length < count) {
    const expiry = tradingDayOnOrBefore(candidate, isHoliday);
    if (dayNumber(expiry) >= todayNumber) expiries.push(expiry);
    candidate = addDays(candidate, 7);
  }
  return expiries;
}

// ---- the exchanges' rules (in force since September 2025) --------------------------------------------------

/** NSE weekly options (NIFTY): every Tuesday. */
export const nseWeeklyExpiries = (today: IsoDate, count: number, isHoliday: HolidayRule = isExchangeHoliday): IsoDate[] =>
  weeklyExpiries(today, count, TUESDAY, isHoliday);

/** NSE monthly contracts (index and stock futures and options): the last Tuesday of the month. */
export const nseMonthlyExpiries = (today: IsoDate, count: number, isHoliday: HolidayRule = isExchangeHoliday): IsoDate[] =>
  monthlyExpiries(today, count, lastWeekdayRule(TUESDAY), { isHoliday });

/** BSE weekly options (SENSEX): every Thursday. */
export const bseWeeklyExpiries = (today: IsoDate, count: number, isHoliday: HolidayRule = isExchangeHoliday): IsoDate[] =>
  weeklyExpiries(today, count, THURSDAY, isHoliday);

/** BSE monthly contracts (SENSEX, BANKEX): the last Thursday of the month. */
export const bseMonthlyExpiries = (today: IsoDate, count: number, isHoliday: HolidayRule = isExchangeHoliday): IsoDate[] =>
  monthlyExpiries(today, count, lastWeekdayRule(THURSDAY), { isHoliday });

/**
 * MCX energy futures (CRUDEOIL, CRUDEOILM, NATURALGAS), simplified: the trading day on or before the 19th of the
 * contract month. (MCX ties crude to the NYMEX expiry, which lands near the 19th; natural gas really expires
 * later in the month, around the 25th, but shares the simpler rule here.)
 */
export const mcxEnergyExpiries = (today: IsoDate, count: number, isHoliday: HolidayRule = isExchangeHoliday): IsoDate[] =>
  monthlyExpiries(today, count, dayOfMonthRule(19), { isHoliday });

/** MCX bullion futures (GOLD, GOLDM, SILVER, SILVERM): the trading day on or before the 5th of the contract month. */
export const mcxBullionExpiries = (
  today: IsoDate,
  count: number,
  months?: readonly number[],
  isHoliday: HolidayRule = isExchangeHoliday,
): IsoDate[] => monthlyExpiries(today, count, dayOfMonthRule(5), months ? { months, isHoliday } : { isHoliday });

/** NSE currency futures (USDINR, EURINR, GBPINR, JPYINR): two trading days before the month's last trading day. */
export const currencyExpiries = (today: IsoDate, count: number, isHoliday: HolidayRule = isExchangeHoliday): IsoDate[] =>
  monthlyExpiries(today, count, currencyFuturesRule, { isHoliday });

/** Sorted union of expiry lists, each day once (a weekly that is also the monthly is one contract). */
export function mergeExpiries(...lists: readonly (readonly IsoDate[])[]): IsoDate[] {
  return [...new Set(lists.flat())].sort();
}

// ---- options on futures ------------------------------------------------------------------------------------

/** MCX energy options (CRUDEOIL, NATURALGAS): two trading days before their future's expiry. */
export const mcxEnergyOptionExpiry = (futureExpiry: IsoDate, isHoliday: HolidayRule = isExchangeHoliday): IsoDate =>
  tradingDaysBefore(futureExpiry, 2, isHoliday);

/** MCX bullion options (GOLD, SILVER): the last trading day of the month before their future's expiry month. */
export const mcxBullionOptionExpiry = (futureExpiry: IsoDate, isHoliday: HolidayRule = isExchangeHoliday): IsoDate =>
  tradingDayOnOrBefore(addDays(`${futureExpiry.slice(0, 8)}01`, -1), isHoliday);
