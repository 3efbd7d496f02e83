// The scalar values of OpenAlgo's wire as the adapter reads and writes them: numbers that may come as JSON numbers or
// numeric text, request bodies whose decimals are written digit for digit, and IST timestamps in the formats brokers use.
import { IST_OFFSET_MS } from '../../domain/clock.js';
import { type Decimal, ZERO, dec, isDecimalText, toString } from '../../domain/decimal.js';

/** A number on the wire: OpenAlgo answers JSON numbers, some brokers' adapters numeric text ("100000.00"). */
export type WireNumber = number | string;

/**
 * A value of a request body: text, a whole number, or a Decimal (a bigint at run time), written digit for digit; or a
 * list of objects of such values (the legs of /margin).
 */
export type WireValue = string | number | boolean | Decimal | readonly WireObject[];
export interface WireObject {
  readonly [field: string]: WireValue;
}
export type WireBody = Readonly<Record<string, WireValue>>;

/** An answer the adapter cannot read: not a DomainError, so the resilience layer counts it as the upstream failing. */
export class UpstreamFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UpstreamFailure';
  }
}

/** A wire number as an exact decimal (JSON numbers by their shortest text, so 960.05 is 960.05); absent or empty is 0. */
export function decimalOf(value: WireNumber | null | undefined, field: string): Decimal {
  if (value === undefined || value === null || value === '') return ZERO;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new UpstreamFailure(`The upstream sent ${field} ${value}, not a number`);
    return dec(value);
  }
  if (!isDecimalText(value)) throw new UpstreamFailure(`The upstream sent ${field} "${value}", not a number`);
  return dec(value);
}

/**
 * The JSON text of a flat request body. JSON.stringify cannot write a bigint, and a Decimal turned into a JS number
 * could come out with binary-float digits; each Decimal is written as its exact decimal text instead (a JSON number).
 */
export function encodeBody(body: WireBody): string {
  const members = Object.entries(body).map(([key, value]) => `${JSON.stringify(key)}:${encodeValue(value)}`);
  return `{${members.join(',')}}`;
}

function encodeValue(value: WireValue): string {
  if (typeof value === 'bigint') return toString(value);
  if (Array.isArray(value)) return `[${value.map((item: WireObject) => encodeBody(item)).join(',')}]`;
  return JSON.stringify(value);
}

const MONTHS: Readonly<Record<string, number>> = {
  JAN: 1, FEB: 2, MAR: 3, APR: 4, MAY: 5, JUN: 6, JUL: 7, AUG: 8, SEP: 9, OCT: 10, NOV: 11, DEC: 12,
};

// Upstreams pass their broker's words through: Ordergate and OpenAlgo's sandbox write `YYYY-MM-DD HH:MM:SS`; others
// `DD-MM-YYYY HH:MM:SS`, `HH:MM:SS DD-MM-YYYY` or `DD-Mon-YYYY HH:MM:SS`. All of them are IST wall-clock times.
const YEAR_FIRST = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?$/;
const DAY_FIRST = /^(\d{2})[-/](\d{2}|[A-Za-z]{3})[-/](\d{4}) (\d{2}):(\d{2}):(\d{2})$/;
const TIME_FIRST = /^(\d{2}):(\d{2}):(\d{2}) (\d{2})-(\d{2})-(\d{4})$/;
const WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})$/;

/** Epoch ms of an upstream timestamp, or undefined when it is absent or in no format known here. */
export function istInstant(text: string | undefined): number | undefined {
  const trimmed = text?.trim();
  if (!trimmed) return undefined;
  if (WITH_ZONE.test(trimmed)) return Date.parse(trimmed);
  let match = YEAR_FIRST.exec(trimmed);
  if (match) return wallClock(match[1], match[2], match[3], match[4], match[5], match[6]);
  match = DAY_FIRST.exec(trimmed);
  if (match) {
    const month = /^\d+$/.test(match[2] ?? '') ? match[2] : MONTHS[(match[2] ?? '').toUpperCase()];
    return wallClock(match[3], month, match[1], match[4], match[5], match[6]);
  }
  match = TIME_FIRST.exec(trimmed);
  if (match) return wallClock(match[6], match[5], match[4], match[1], match[2], match[3]);
  return undefined;
}

type Part = string | number | undefined;

function wallClock(year: Part, month: Part, day: Part, hour: Part, minute: Part, second: Part): number | undefined {
  const [y, mo, d, h, mi, s] = [year, month, day, hour, minute, second].map(Number) as [number, number, number, number, number, number];
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(utc);
  // Date.UTC rolls 31-02 over into March: such a text is no date.
  if (Number.isNaN(utc) || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  return utc - IST_OFFSET_MS;
}
