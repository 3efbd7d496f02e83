// Reads OHLCV bars from CSV text (the bundled series, an upload, a file given to the CLI) into columns. Times are
// read as UTC and computed arithmetically, so the result never depends on the machine's time zone.
import { allocateBars, type BarColumns } from './bars.js';
import { DAY_MS, daysFromCivil } from './utc-days.js';

/** A CSV that cannot be read as bars; `line` is 1-based and counts the header. */
export class InvalidBarCsv extends Error {
  readonly code = 'INVALID_BAR_CSV';
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`CSV line ${line}: ${message}`);
    this.name = new.target.name;
  }
}

/**
 * The bars of a CSV whose header names the columns: a time column (named `time`, `date`, `datetime` or `timestamp`,
 * or unnamed in the first place, as in backtesting.py's files), then `Open`, `High`, `Low`, `Close` and optionally
 * `Volume`, in any case and order; other columns are ignored. Times are dates (`2004-08-19`), date-times
 * (`2017-04-19 09:00:00`, ISO with `T`, fractions, `Z` or an offset; without an offset UTC) or epoch seconds (numbers
 * of 10^11 and above are epoch milliseconds). Rows must be in time order; an empty volume is NaN.
 */
export function parseBarCsv(text: string): BarColumns {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerIndex = lines.findIndex((line) => line.trim() !== '');
  if (headerIndex < 0) throw new InvalidBarCsv(1, 'the CSV is empty; expected a header such as time,open,high,low,close,volume');
  const columns = headerColumns(lines[headerIndex]!, headerIndex + 1);
  let count = 0;
  for (let i = headerIndex + 1; i < lines.length; i++) if (lines[i]!.trim() !== '') count++;
  if (count === 0) throw new InvalidBarCsv(headerIndex + 2, 'the CSV has a header but no bars');

  const bars = allocateBars(count);
  let row = 0;
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const lineNumber = i + 1;
    const fields = line.split(',');
    if (fields.length < columns.width) {
      throw new InvalidBarCsv(lineNumber, `expected ${columns.width} fields, found ${fields.length}`);
    }
    const time = parseTime(unquote(fields[columns.time]!), lineNumber);
    if (row > 0 && time < bars.time[row - 1]!) {
      throw new InvalidBarCsv(lineNumber, `${unquote(fields[columns.time]!)} is earlier than the row before; sort the bars by time`);
    }
    bars.time[row] = time;
    bars.open[row] = parsePrice(fields[columns.open]!, 'open', lineNumber);
    bars.high[row] = parsePrice(fields[columns.high]!, 'high', lineNumber);
    bars.low[row] = parsePrice(fields[columns.low]!, 'low', lineNumber);
    bars.close[row] = parsePrice(fields[columns.close]!, 'close', lineNumber);
    bars.volume[row] = columns.volume < 0 ? Number.NaN : parseVolume(fields[columns.volume]!, lineNumber);
    row++;
  }
  return bars;
}

interface Columns {
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** −1 when the CSV has no volume. */
  readonly volume: number;
  /** Fields a row needs to reach every column read. */
  readonly width: number;
}

const TIME_NAMES = new Set(['time', 'date', 'datetime', 'timestamp']);

function headerColumns(header: string, lineNumber: number): Columns {
  const names = header.split(',').map((name) => unquote(name).toLowerCase());
  const find = (name: string): number => names.indexOf(name);
  let time = names.findIndex((name) => TIME_NAMES.has(name));
  if (time < 0 && names[0] === '') time = 0;
  if (time < 0) {
    throw new InvalidBarCsv(lineNumber, `no time column: name it time, date, datetime or timestamp, or leave the first column's name empty (header: ${header.trim()})`);
  }
  const required = { open: find('open'), high: find('high'), low: find('low'), close: find('close') };
  const missing = Object.entries(required).filter(([, index]) => index < 0).map(([name]) => name);
  if (missing.length > 0) throw new InvalidBarCsv(lineNumber, `the header has no ${missing.join(', ')} column (header: ${header.trim()})`);
  const volume = find('volume');
  return { time, ...required, volume, width: Math.max(time, volume, ...Object.values(required)) + 1 };
}

function unquote(field: string): string {
  const trimmed = field.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1).trim() : trimmed;
}

function parsePrice(field: string, name: string, lineNumber: number): number {
  const text = unquote(field);
  const value = text === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value)) throw new InvalidBarCsv(lineNumber, `${name} is ${text === '' ? 'empty' : `not a number: ${text}`}`);
  return value;
}

function parseVolume(field: string, lineNumber: number): number {
  const text = unquote(field);
  if (text === '') return Number.NaN;
  const value = Number(text);
  if (Number.isNaN(value)) throw new InvalidBarCsv(lineNumber, `volume is not a number: ${text}`);
  return value;
}

const EPOCH_MS_FROM = 1e11;
const DATE_TIME =
  /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

function parseTime(text: string, lineNumber: number): number {
  const common = commonDateTime(text);
  if (!Number.isNaN(common)) return common;
  if (/^\d+(\.\d+)?$/.test(text)) {
    const value = Number(text);
    return value >= EPOCH_MS_FROM ? Math.round(value) : Math.round(value * 1000);
  }
  const match = DATE_TIME.exec(text);
  if (match === null) {
    throw new InvalidBarCsv(lineNumber, `time ${text === '' ? 'is empty' : `is not a date, date-time or epoch seconds: ${text}`}`);
  }
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zone] = match;
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m) || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) {
    throw new InvalidBarCsv(lineNumber, `time is not a valid date-time: ${text}`);
  }
  const ms = Math.round(Number(`0.${fraction || '0'}`) * 1000);
  const local = daysFromCivil(y, m, d) * DAY_MS + ((Number(hour) * 60 + Number(minute)) * 60 + Number(second)) * 1000 + ms;
  return local - zoneOffsetMs(zone);
}

/**
 * The two forms of the bundled files, `YYYY-MM-DD` and `YYYY-MM-DD hh:mm:ss`, read digit by digit (a CSV of a
 * million bars spends its time here); NaN for anything else, which the general parser then reads or refuses.
 */
function commonDateTime(text: string): number {
  if ((text.length !== 10 && text.length !== 19) || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return Number.NaN;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  let seconds = 0;
  if (text.length === 19) {
    const separator = text.charCodeAt(10);
    if ((separator !== 32 && separator !== 84) || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return Number.NaN;
    const hour = digits(text, 11, 2);
    const minute = digits(text, 14, 2);
    const second = digits(text, 17, 2);
    if (hour > 23 || minute > 59 || second > 59) return Number.NaN;
    seconds = (hour * 60 + minute) * 60 + second;
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return Number.NaN;
  return daysFromCivil(year, month, day) * DAY_MS + seconds * 1000;
}

/** The decimal number in `length` characters from `from`; NaN if one is not a digit. */
function digits(text: string, from: number, length: number): number {
  let value = 0;
  for (let k = from; k < from + length; k++) {
    const digit = text.charCodeAt(k) - 48;
    if (digit < 0 || digit > 9) return Number.NaN;
    value = value * 10 + digit;
  }
  return value;
}

function zoneOffsetMs(zone: string | undefined): number {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0;
  const digits = zone.replace(':', '');
  const sign = digits.startsWith('-') ? -1 : 1;
  return sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5))) * 60_000;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
