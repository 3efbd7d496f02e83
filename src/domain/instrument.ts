// Instruments and OpenAlgo symbology: what can be traded or quoted, with its lot, tick, freeze limit and contract terms.
import type { Currency } from './currency.js';
import { type Decimal, ZERO, cmp, dec, min, mul, stepsIn, sub, toString } from './decimal.js';

export const EXCHANGES = [
  'NSE',
  'NFO',
  'CDS',
  'BSE',
  'BFO',
  'BCD',
  'MCX',
  'NCDEX',
  'NCO',
  'NSE_INDEX',
  'BSE_INDEX',
  'MCX_INDEX',
  'GLOBAL_INDEX',
  'CRYPTO',
] as const;
export type Exchange = (typeof EXCHANGES)[number];

/** Exchanges with futures and options (OpenAlgo's F&O set: `/expiry` accepts only these). */
export const F_AND_O_EXCHANGES = ['NFO', 'BFO', 'MCX', 'CDS', 'NCO', 'BCD', 'NCDEX', 'CRYPTO'] as const;

/** Exchanges that only publish quotes; orders on them are refused. */
export const INDEX_EXCHANGES: ReadonlySet<Exchange> = new Set(['NSE_INDEX', 'BSE_INDEX', 'MCX_INDEX', 'GLOBAL_INDEX']);
/** The only exchange whose quantities may be fractional. */
export const FRACTIONAL_EXCHANGES: ReadonlySet<Exchange> = new Set(['CRYPTO']);

/** OpenAlgo's instrumenttype values as the master contract carries them. */
export type InstrumentType = 'EQ' | 'INDEX' | 'FUT' | 'CE' | 'PE' | 'PERPFUT';

export interface Instrument {
  /** OpenAlgo symbol, e.g. `SBIN`, `NIFTY30DEC25FUT`, `NIFTY30DEC2526000CE`, `BTCUSDFUT`. */
  symbol: string;
  exchange: Exchange;
  /** Human name (company or underlying). */
  name: string;
  instrumentType: InstrumentType;
  /** Underlying symbol for derivatives (e.g. `NIFTY`), the symbol itself otherwise. */
  underlying: string;
  /** Expiry day as `YYYY-MM-DD` (exchange date), or undefined for non-expiring instruments. */
  expiry?: string;
  /** Strike for options; undefined otherwise. */
  strike?: Decimal;
  lotSize: Decimal;
  tickSize: Decimal;
  /** Largest quantity one order may carry; exchange rejects above it. */
  freezeQuantity: Decimal;
  /** Numeric id, stable for a given master build. */
  token: string;
  /** The broker's own symbol; for the paper exchange the NSE-style trading symbol. */
  brokerSymbol: string;
  /** Reference (previous close) price the simulated market starts from. */
  referencePrice: Decimal;
  /** What its prices, margin and P&L are in (`currencyOf`: USD on CRYPTO, INR elsewhere). */
  currency: Currency;
}

/** Finds instruments by OpenAlgo symbol and exchange; `require` raises InstrumentNotFound. */
export interface InstrumentLookup {
  require(symbol: string, exchange: Exchange): Instrument;
}

/** Reference data for clients: lookup, listing, search and expiries. */
export interface InstrumentCatalog extends InstrumentLookup {
  get(symbol: string, exchange: Exchange): Instrument | undefined;
  /** All instruments, or those of one exchange. */
  list(exchange?: Exchange): readonly Instrument[];
  /** Case-insensitive; every whitespace-separated token must match (e.g. `NIFTY 26000 DEC CE`). */
  search(query: string, exchange?: Exchange): Instrument[];
  /** Expiry dates (YYYY-MM-DD, ascending) of an underlying's futures or options on an exchange. */
  expiries(underlying: string, exchange: Exchange, kind: 'futures' | 'options'): string[];
}

export const isDerivative = (i: Instrument): boolean => i.instrumentType !== 'EQ' && i.instrumentType !== 'INDEX';
export const isOption = (i: Instrument): boolean => i.instrumentType === 'CE' || i.instrumentType === 'PE';
export const isFuture = (i: Instrument): boolean => i.instrumentType === 'FUT' || i.instrumentType === 'PERPFUT';

/** Decimal places that show every price on the instrument's tick grid exactly: its tick's, and at least 2. */
export function priceDecimals(instrument: Pick<Instrument, 'tickSize'>): number {
  const fraction = toString(instrument.tickSize).split('.')[1] ?? '';
  return Math.max(2, fraction.length);
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;

/** `2025-12-30` → `30DEC25`, the expiry as it appears inside OpenAlgo symbols. */
export function symbolExpiry(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}${MONTHS[Number(month) - 1]}${year?.slice(2)}`;
}

/** 1–12 for a month's three-letter code inside OpenAlgo symbols (`DEC` → 12); 0 when it is none. */
export function monthOfCode(code: string): number {
  return (MONTHS as readonly string[]).indexOf(code) + 1;
}

/** The three-letter code of month 1–12, as OpenAlgo symbols write it (12 → `DEC`). */
export function monthCode(month: number): string {
  return MONTHS[month - 1] ?? '';
}

/** `16DEC26` (any case) → `2026-12-16`, the inverse of symbolExpiry; undefined for anything else. */
export function isoOfSymbolExpiry(text: string): string | undefined {
  const match = /^(\d{2})([A-Z]{3})(\d{2})$/.exec(text.toUpperCase());
  const month = match ? monthOfCode(match[2] as string) : 0;
  return match && month > 0 ? `20${match[3]}-${String(month).padStart(2, '0')}-${match[1]}` : undefined;
}

/** `2025-12-30` → `30-DEC-25`, the expiry as OpenAlgo's symbol and expiry endpoints print it. */
export function displayExpiry(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}-${MONTHS[Number(month) - 1]}-${year?.slice(2)}`;
}

/** `NIFTY` + `2025-12-30` → `NIFTY30DEC25FUT`. */
export function futureSymbol(base: string, expiry: string): string {
  return `${base}${symbolExpiry(expiry)}FUT`;
}

/** `NIFTY` + `2025-12-30` + `26000` + `CE` → `NIFTY30DEC2526000CE`; strikes keep real decimals (`292.5`). */
export function optionSymbol(base: string, expiry: string, strike: string, right: 'CE' | 'PE'): string {
  return `${base}${symbolExpiry(expiry)}${strike}${right}`;
}

/** Order sizes for `quantity`: as many of the largest lot multiple within the freeze limit as needed, the rest last. */
export function freezeSlices(quantity: Decimal, instrument: Pick<Instrument, 'lotSize' | 'freezeQuantity'>): Decimal[] {
  const lots = stepsIn(instrument.freezeQuantity, instrument.lotSize);
  const slice = lots > 0n ? mul(instrument.lotSize, dec(lots)) : instrument.lotSize;
  const slices: Decimal[] = [];
  for (let left = quantity; cmp(left, ZERO) > 0; left = sub(left, slices.at(-1)!)) slices.push(min(left, slice));
  return slices;
}
