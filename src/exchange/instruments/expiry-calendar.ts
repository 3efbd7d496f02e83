// Contract expiry days computed from the exchanges' calendar rules relative to a given IST date, so the master never goes stale.
// Dates are `YYYY-MM-DD` strings throughout; nothing here reads the system clock.

/** A calendar day as `YYYY-MM-DD` (IST). */
export type IsoDate = string;

/** Tells whether an exchange is closed on a weekday (weekends are always closed and need not be listed). */
export type HolidayRule = (date: IsoDate) => boolean;

export const SUNDAY = 0;
export const TUESDAY = 2;
export const THURSDAY = 4;
export const SATURDAY = 6;

/**
 * Trading holidays of NSE and BSE falling on weekdays (the exchanges' published lists for 2025 and 2026).
 * One list serves every segment here, MCX and currency included: a simplification, as MCX keeps its evening
 * session open on some of these days and the currency segment adds a few bank holidays.
 */
export const KNOWN_HOLIDAYS: readonly IsoDate[] = [
  // 2025
  '2025-02-26', // Mahashivratri
  '2025-03-14', // Holi
  '2025-03-31', // Id-ul-Fitr
  '2025-04-10', // Shri Mahavir Jayanti
  '2025-04-14', // Dr. Baba Saheb Ambedkar Jayanti
  '2025-04-18', // Good Friday
  '2025-05-01', // Maharashtra Day
  '2025-08-15', // Independence Day
  '2025-08-27', // Ganesh Chaturthi
  '2025-10-02', // Mahatma Gandhi Jayanti / Dussehra
  '2025-10-21', // Diwali Laxmi Pujan (only the evening muhurat session trades)
  '2025-10-22', // Diwali Balipratipada
  '2025-11-05', // Guru Nanak Jayanti
  '2025-12-25', // Christmas
  // 2026
  '2026-01-26', // Republic Day
  '2026-03-03', // Holi
  '2026-03-26', // Shri Ram Navami
  '2026-03-31', // Shri Mahavir Jayanti
  '2026-04-03', // Good Friday
  '2026-04-14', // Dr. Baba Saheb Ambedkar Jayanti
  '2026-05-01', // Maharashtra Day
  '2026-05-28', // Bakri Id
  '2026-06-26', // Muharram
  '2026-09-14', // Ganesh Chaturthi
  '2026-10-02', // Mahatma Gandhi Jayanti
  '2026-10-20', // Dussehra
  '2026-11-10', // Diwali Balipratipada
  '2026-11-24', // Guru Nanak Jayanti
  '2026-12-25', // Christmas
];

/**
 * Fixed-date holidays (`MM-DD`) that the exchanges close for every year, so years without a published list
 * still get them: Republic Day, Maharashtra Day, Independence Day, Gandhi Jayanti, Christmas.
 */
export const RECURRING_HOLIDAYS: readonly string[] = ['01-26', '05-01', '08-15', '10-02', '12-25'];

const knownHolidays: ReadonlySet<IsoDate> = new Set(KNOWN_HOLIDAYS);
const recurringHolidays: ReadonlySet<string> = new Set(RECURRING_HOLIDAYS);

/** The default holiday rule: the known dated holidays plus the recurring fixed-date ones. */
export const isExchangeHoliday: HolidayRule = (date) => knownHolidays.has(date) || recurringHolidays.has(date.slice(5));

/** A rule with no holidays, for computing the plain calendar rule. */
export const noHolidays: HolidayRule = () => false;

// ---- calendar arithmetic -------------------------------------------------------------------------------

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of a `YYYY-MM-DD` date; throws on anything that is not a real calendar day. */
export function dayNumber(date: IsoDate): number {
  const match = ISO_DATE.exec(date);
  if (!match) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const ms = Date.UTC(year, month - 1, day);
  if (new Date(ms).getUTCDate() !== day || month < 1 || month > 12) throw new RangeError(`not a calendar day: ${date}`);
  return ms / MS_PER_DAY;
}

function fromDayNumber(days: number): IsoDate {
  return new Date(days * MS_PER_DAY).toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(dayNumber(date) + days);
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(to) - dayNumber(from);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: IsoDate): number {
  return (((dayNumber(date) + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

function isoDate(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function isTradingDay(date: IsoDate, isHoliday: HolidayRule = isExchangeHoliday): boolean {
  const day = weekday(date);
  return day !== SATURDAY && day !== SUNDAY && !isHoliday(date);
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
