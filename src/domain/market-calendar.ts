// The Indian exchanges' calendar, one for all of Ordergate: the published holidays (with the sessions some exchanges
// still hold on them: MCX's evening, Diwali's Muhurat), the regular trading hours per exchange, and the calendar
// arithmetic on `YYYY-MM-DD` days. Pure data and rules; nothing here reads the system clock.
import { IST_OFFSET_MS } from './clock.js';
import type { Exchange } from './instrument.js';

/** A calendar day as `YYYY-MM-DD` (IST). */
export type IsoDate = string;

/** Tells whether an exchange is closed on a weekday (weekends are always closed and need not be listed). */
export type HolidayRule = (date: IsoDate) => boolean;

/** The exchanges the calendar describes, in OpenAlgo's order (its market calendar's SUPPORTED_EXCHANGES). */
export const CALENDAR_EXCHANGES = ['NSE', 'BSE', 'NFO', 'BFO', 'MCX', 'BCD', 'CDS', 'NCO', 'CRYPTO'] as const;
export type CalendarExchange = (typeof CALENDAR_EXCHANGES)[number];

/**
 * What a listed day is: a trading holiday (the listed exchanges closed, the others' sessions given), a special session
 * (only the sessions given, e.g. Muhurat trading on Diwali), or a settlement holiday (trading as usual, no settlement).
 */
export type HolidayKind = 'TRADING_HOLIDAY' | 'SPECIAL_SESSION' | 'SETTLEMENT_HOLIDAY';

/** A session in ms after the IST midnight starting its day; `end` may pass the next midnight (MCX's Muhurat). */
export interface SessionWindow {
  readonly exchange: CalendarExchange;
  readonly start: number;
  readonly end: number;
}

export interface MarketHoliday {
  readonly date: IsoDate;
  readonly description: string;
  readonly kind: HolidayKind;
  /** Exchanges closed the whole day. */
  readonly closed: readonly CalendarExchange[];
  /** Exchanges holding a session of their own that day. */
  readonly sessions: readonly SessionWindow[];
}

// ---- trading hours ---------------------------------------------------------------------------------------

/** An exchange's regular session (IST `HH:MM`) and the time intraday (MIS) positions are closed at. */
export interface TradingHours {
  readonly open: string;
  readonly close: string;
  readonly squareOff: string;
}

const CASH: TradingHours = { open: '09:15', close: '15:30', squareOff: '15:15' };
// F&O trades on past the cash close since SEBI's closing auction session for the cash segment (August 2026).
const EQUITY_DERIVATIVES: TradingHours = { open: '09:15', close: '15:40', squareOff: '15:15' };
const CURRENCY: TradingHours = { open: '09:00', close: '17:00', squareOff: '16:45' };
const COMMODITY: TradingHours = { open: '09:00', close: '23:55', squareOff: '23:30' };

/** Regular hours of the exchanges that keep hours (CRYPTO trades around the clock and has none). */
export const TRADING_HOURS: Readonly<Partial<Record<Exchange, TradingHours>>> = {
  NSE: CASH,
  BSE: CASH,
  NFO: EQUITY_DERIVATIVES,
  BFO: EQUITY_DERIVATIVES,
  CDS: CURRENCY,
  BCD: CURRENCY,
  MCX: COMMODITY,
  NCO: COMMODITY,
  NCDEX: { open: '09:00', close: '17:00', squareOff: '17:00' },
};

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
/** The day CRYPTO is described by, as OpenAlgo gives it: 00:00 to 23:59:59. */
const CRYPTO_DAY = { start: 0, end: 86_399_000 };

/** Ms after midnight of an `HH:MM` time. */
export function timeOfDayMs(hhmm: string): number {
  const [hours = 0, minutes = 0] = hhmm.split(':').map(Number);
  return hours * HOUR_MS + minutes * MINUTE_MS;
}

function regularSession(exchange: CalendarExchange): SessionWindow {
  if (exchange === 'CRYPTO') return { exchange, ...CRYPTO_DAY };
  const hours = TRADING_HOURS[exchange] as TradingHours;
  return { exchange, start: timeOfDayMs(hours.open), end: timeOfDayMs(hours.close) };
}

// ---- holidays --------------------------------------------------------------------------------------------

const at = (hhmm: string): number => timeOfDayMs(hhmm);
const INDIAN_EXCHANGES: readonly CalendarExchange[] = ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD'];
/** On most equity holidays MCX holds its evening session. */
const MCX_EVENING: readonly SessionWindow[] = [{ exchange: 'MCX', start: at('17:00'), end: at('23:55') }];

/** A holiday of NSE and BSE on which MCX trades its evening session. */
function eveningOnly(date: IsoDate, description: string): MarketHoliday {
  return { date, description, kind: 'TRADING_HOLIDAY', closed: INDIAN_EXCHANGES, sessions: MCX_EVENING };
}

/** A holiday of every Indian exchange, MCX included. */
function allClosed(date: IsoDate, description: string): MarketHoliday {
  return { date, description, kind: 'TRADING_HOLIDAY', closed: [...INDIAN_EXCHANGES, 'MCX'], sessions: [] };
}

function muhurat(date: IsoDate, description: string, sessions: readonly SessionWindow[]): MarketHoliday {
  return { date, description, kind: 'SPECIAL_SESSION', closed: [], sessions };
}

const sessionsOf = (exchanges: readonly CalendarExchange[], start: string, end: number | string): SessionWindow[] =>
  exchanges.map((exchange) => ({ exchange, start: at(start), end: typeof end === 'number' ? end : at(end) }));

/**
 * The published holidays of NSE, BSE and MCX for 2025 and 2026, in date order. MCX closes on the national holidays
 * and trades its evening session on the others. Muhurat trading: 21 October 2025, 13:45–14:45 on NSE and BSE (their
 * circulars); 8 November 2026 (a Sunday), 18:00–19:15, MCX to 00:15, as OpenAlgo lists it.
 */
export const MARKET_HOLIDAYS: readonly MarketHoliday[] = [
  eveningOnly('2025-02-26', 'Mahashivratri'),
  eveningOnly('2025-03-14', 'Holi'),
  eveningOnly('2025-03-31', 'Id-Ul-Fitr (Ramadan)'),
  eveningOnly('2025-04-10', 'Shri Mahavir Jayanti'),
  eveningOnly('2025-04-14', 'Dr. Baba Saheb Ambedkar Jayanti'),
  allClosed('2025-04-18', 'Good Friday'),
  eveningOnly('2025-05-01', 'Maharashtra Day'),
  allClosed('2025-08-15', 'Independence Day'),
  eveningOnly('2025-08-27', 'Ganesh Chaturthi'),
  allClosed('2025-10-02', 'Mahatma Gandhi Jayanti / Dussehra'),
  muhurat('2025-10-21', 'Diwali Laxmi Pujan (Muhurat Trading)', sessionsOf(['NSE', 'BSE', 'NFO', 'BFO'], '13:45', '14:45')),
  eveningOnly('2025-10-22', 'Diwali Balipratipada'),
  eveningOnly('2025-11-05', 'Prakash Gurpurb Sri Guru Nanak Dev'),
  allClosed('2025-12-25', 'Christmas'),
  eveningOnly('2026-01-15', 'Municipal Corporation Election - Maharashtra'),
  allClosed('2026-01-26', 'Republic Day'),
  eveningOnly('2026-03-03', 'Holi'),
  eveningOnly('2026-03-26', 'Shri Ram Navami'),
  eveningOnly('2026-03-31', 'Shri Mahavir Jayanti'),
  allClosed('2026-04-03', 'Good Friday'),
  eveningOnly('2026-04-14', 'Dr. Baba Saheb Ambedkar Jayanti'),
  eveningOnly('2026-05-01', 'Maharashtra Day'),
  eveningOnly('2026-05-28', 'Bakri Id'),
  eveningOnly('2026-06-26', 'Muharram'),
  eveningOnly('2026-09-14', 'Ganesh Chaturthi'),
  allClosed('2026-10-02', 'Mahatma Gandhi Jayanti'),
  eveningOnly('2026-10-20', 'Dussehra'),
  muhurat('2026-11-08', 'Diwali Laxmi Pujan (Muhurat Trading)', [
    ...sessionsOf(INDIAN_EXCHANGES, '18:00', '19:15'),
    ...sessionsOf(['MCX'], '18:00', at('24:15')),
  ]),
  eveningOnly('2026-11-10', 'Diwali Balipratipada'),
  eveningOnly('2026-11-24', 'Prakash Gurpurb Sri Guru Nanak Dev'),
  allClosed('2026-12-25', 'Christmas'),
];

/**
 * Fixed-date holidays (`MM-DD`) that the exchanges close for every year, so years without a published list still
 * get them: Republic Day, Maharashtra Day, Independence Day, Gandhi Jayanti, Christmas.
 */
export const RECURRING_HOLIDAYS: readonly { monthDay: string; description: string; mcxOpen: boolean }[] = [
  { monthDay: '01-26', description: 'Republic Day', mcxOpen: false },
  { monthDay: '05-01', description: 'Maharashtra Day', mcxOpen: true },
  { monthDay: '08-15', description: 'Independence Day', mcxOpen: false },
  { monthDay: '10-02', description: 'Mahatma Gandhi Jayanti', mcxOpen: false },
  { monthDay: '12-25', description: 'Christmas', mcxOpen: false },
];

/** Years with a published list; other years get the recurring holidays only. */
const PUBLISHED_YEARS: ReadonlySet<string> = new Set(MARKET_HOLIDAYS.map((holiday) => holiday.date.slice(0, 4)));
const byDate: ReadonlyMap<IsoDate, MarketHoliday> = new Map(MARKET_HOLIDAYS.map((holiday) => [holiday.date, holiday]));

/** The listed day `date` is, if any: a published one, or (in a year without a list) a recurring one on a weekday. */
export function holidayOn(date: IsoDate): MarketHoliday | undefined {
  const year = date.slice(0, 4);
  if (PUBLISHED_YEARS.has(year)) return byDate.get(date);
  const recurring = RECURRING_HOLIDAYS.find((each) => each.monthDay === date.slice(5));
  if (!recurring || isWeekend(date)) return undefined;
  return recurring.mcxOpen ? eveningOnly(date, recurring.description) : allClosed(date, recurring.description);
}

/** Every listed day of a year, in date order. */
export function holidaysOf(year: number): MarketHoliday[] {
  const text = String(year).padStart(4, '0');
  if (PUBLISHED_YEARS.has(text)) return MARKET_HOLIDAYS.filter((holiday) => holiday.date.startsWith(`${text}-`));
  return RECURRING_HOLIDAYS.map((each) => holidayOn(`${text}-${each.monthDay}`)).filter((each): each is MarketHoliday => each !== undefined);
}

/**
 * The holiday rule of NSE and BSE, which the paper exchange keeps for every segment: a weekday on which they do not
 * hold their regular session (a listed holiday or a Muhurat day).
 */
export const isExchangeHoliday: HolidayRule = (date) => {
  const holiday = holidayOn(date);
  return holiday !== undefined && holiday.kind !== 'SETTLEMENT_HOLIDAY';
};

/** A rule with no holidays, for computing the plain calendar rule. */
export const noHolidays: HolidayRule = () => false;

/**
 * The sessions of a day, exchange by exchange in calendar order (none for an exchange that does not trade): a
 * special session's windows only; a trading holiday's sessions (its closed exchanges, and CRYPTO, left out; an empty
 * day when every exchange closes); a weekend's CRYPTO; a settlement holiday's or a weekday's regular hours. OpenAlgo's
 * market timings, rule for rule.
 */
export function sessionsOn(date: IsoDate): SessionWindow[] {
  const holiday = holidayOn(date);
  if (holiday && holiday.kind !== 'SETTLEMENT_HOLIDAY') return [...holiday.sessions];
  if (!holiday && isWeekend(date)) return [regularSession('CRYPTO')];
  return CALENDAR_EXCHANGES.map(regularSession);
}

/** Epoch ms of the IST midnight starting `date`. */
export function istMidnightOf(date: IsoDate): number {
  return dayNumber(date) * MS_PER_DAY - IST_OFFSET_MS;
}

// ---- calendar arithmetic -------------------------------------------------------------------------------

export const SUNDAY = 0;
export const TUESDAY = 2;
export const THURSDAY = 4;
export const SATURDAY = 6;

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

/** Whether `text` is a real `YYYY-MM-DD` calendar day. */
export function isCalendarDay(text: string): boolean {
  try {
    dayNumber(text);
    return true;
  } catch {
    return false;
  }
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

function isWeekend(date: IsoDate): boolean {
  const day = weekday(date);
  return day === SATURDAY || day === SUNDAY;
}

export function isTradingDay(date: IsoDate, isHoliday: HolidayRule = isExchangeHoliday): boolean {
  return !isWeekend(date) && !isHoliday(date);
}
