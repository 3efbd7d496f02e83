// Option contracts by offset from the money (OpenAlgo §5.6): an underlying and its price reference, the strike ladder
// of one expiry, the at-the-money strike, and the contract ITMn/OTMn strikes away. Pure over the instrument catalog and
// a price, except `underlyingPrice`, which asks a quote source for the reference's last price.
import { type Decimal, add, cmp, dec, div, mul, sub, abs, toFixed, toString } from '../domain/decimal.js';
import { InstrumentNotFound, InvalidOptionRequest, OptionNotFound } from '../domain/errors.js';
import { type Exchange, type Instrument, type InstrumentCatalog, isoOfSymbolExpiry } from '../domain/instrument.js';
import type { QuoteView } from '../domain/market.js';

export type OptionRight = 'CE' | 'PE';

/** The underlying as a client names it: `NIFTY`, or a future carrying the expiry, `NIFTY30DEC25FUT`. */
export interface UnderlyingName {
  /** Upper-case base, e.g. `NIFTY`. */
  base: string;
  /** `DDMMMYY` when the name carries an expiry. */
  expiry?: string;
  /** The name as given, upper-cased. */
  text: string;
}

/** Where an option request points: the underlying, the exchange the client named, and the expiry of its options. */
export interface OptionTarget {
  underlying: string;
  exchange: Exchange;
  /** `DDMMMYY`; wins over an expiry inside the underlying's name. */
  expiry?: string;
  /** The old way: ATM is the price rounded to this interval and offsets step by it, listed strikes or not. */
  strikeInterval?: number;
}

/** Which contract: the offset from the money and the right. */
export interface OptionPick {
  /** `ATM`, `ITM1`…`ITM50`, `OTM1`…`OTM50` (any case). */
  offset: string;
  right: OptionRight;
}

/** The instrument whose last price places the money, and the exchange the options trade on. */
export interface UnderlyingReference {
  base: string;
  symbol: string;
  exchange: Exchange;
  optionsExchange: Exchange;
  /** The options' expiry as the request gave it (`DDMMMYY`, upper-case), if it did. */
  expiry?: string;
}

const EMBEDDED_EXPIRY = /^([A-Z]+)(\d{2}[A-Z]{3}\d{2})(?:FUT)?$/;

/** `NIFTY30DEC25FUT` → base NIFTY, expiry 30DEC25; anything else is a base without expiry. */
export function parseUnderlying(underlying: string): UnderlyingName {
  const text = underlying.toUpperCase();
  const match = EMBEDDED_EXPIRY.exec(text);
  return match ? { base: match[1] as string, expiry: match[2] as string, text } : { base: text, text };
}

/** Exchanges whose options have no spot instrument: the nearest future is the price reference. */
export const NO_SPOT_EXCHANGES: ReadonlySet<Exchange> = new Set(['MCX', 'CDS', 'BCD', 'NCDEX', 'NCO']);
/** Exchanges listing options on their own products. */
const OWN_OPTIONS_EXCHANGES: ReadonlySet<Exchange> = new Set(['MCX', 'CDS', 'NCO', 'BCD', 'NCDEX', 'CRYPTO']);
const NSE_INDICES: ReadonlySet<string> = new Set(['NIFTY', 'BANKNIFTY', 'FINNIFTY', 'MIDCPNIFTY', 'NIFTYNXT50', 'INDIAVIX']);
const BSE_INDICES: ReadonlySet<string> = new Set(['SENSEX', 'BANKEX', 'SENSEX50']);

/** NSE and NSE_INDEX options trade on NFO, BSE's on BFO; commodity, currency and crypto venues list their own; else NFO. */
export function optionsExchangeOf(exchange: Exchange): Exchange {
  if (exchange === 'NSE' || exchange === 'NSE_INDEX') return 'NFO';
  if (exchange === 'BSE' || exchange === 'BSE_INDEX') return 'BFO';
  return OWN_OPTIONS_EXCHANGES.has(exchange) ? exchange : 'NFO';
}

/**
 * The underlying's price reference. A client naming the options exchange (NFO, BFO) is quoted on the index or share
 * exchange; MCX, CDS and the other venues without spot use the future the client named, or else the future the
 * options are written on (the first listed of exactly that base expiring on or after them: GOLD never borrows GOLDM's
 * price), or else the nearest; CRYPTO uses the base's perpetual.
 */
export function underlyingReference(catalog: InstrumentCatalog, target: OptionTarget): UnderlyingReference {
  const name = parseUnderlying(target.underlying);
  const expiry = target.expiry?.toUpperCase() ?? name.expiry;
  const quoteExchange = quoteExchangeOf(name.base, target.exchange);
  const reference = { base: name.base, exchange: quoteExchange, optionsExchange: optionsExchangeOf(quoteExchange), expiry };
  if (quoteExchange === 'CRYPTO') {
    const perpetual = `${name.base}USDFUT`;
    if (!catalog.get(perpetual, 'CRYPTO')) throw new OptionNotFound(`No perpetual futures found for ${name.base} on CRYPTO`);
    return { ...reference, symbol: perpetual };
  }
  if (NO_SPOT_EXCHANGES.has(quoteExchange)) {
    if (name.expiry !== undefined && catalog.get(name.text, quoteExchange)) return { ...reference, symbol: name.text };
    const writtenOn = expiry === undefined ? undefined : isoOfSymbolExpiry(expiry);
    const future =
      (writtenOn === undefined ? undefined : nearestFuture(catalog, name.base, quoteExchange, writtenOn)) ??
      nearestFuture(catalog, name.base, quoteExchange);
    if (!future) {
      throw new OptionNotFound(
        `No unexpired futures found for ${name.base} on ${quoteExchange}. ${quoteExchange} options are priced against the ` +
          'near-month future, which this product does not currently have.',
      );
    }
    return { ...reference, symbol: future.symbol };
  }
  return { ...reference, symbol: name.expiry === undefined ? name.text : name.base };
}

function quoteExchangeOf(base: string, exchange: Exchange): Exchange {
  if (exchange !== 'NFO' && exchange !== 'BFO') return exchange;
  if (NSE_INDICES.has(base)) return 'NSE_INDEX';
  if (BSE_INDICES.has(base)) return 'BSE_INDEX';
  return exchange === 'NFO' ? 'NSE' : 'BSE';
}

/**
 * The listed future `<BASE><DDMMMYY>FUT` expiring first (the catalog lists no expired contract), or first on or after
 * `from` (`YYYY-MM-DD`).
 */
export function nearestFuture(catalog: InstrumentCatalog, base: string, exchange: Exchange, from = ''): Instrument | undefined {
  const exact = new RegExp(`^${escapeRegExp(base)}\\d{2}[A-Z]{3}\\d{2}FUT$`);
  let nearest: Instrument | undefined;
  for (const instrument of catalog.list(exchange)) {
    if (instrument.instrumentType !== 'FUT' || instrument.expiry === undefined || !exact.test(instrument.symbol)) continue;
    if (instrument.expiry < from) continue;
    if (!nearest || (nearest.expiry ?? '') > instrument.expiry) nearest = instrument;
  }
  return nearest;
}

/** The reference's last price, read once per request; an unknown reference is OpenAlgo's "Failed to fetch LTP". */
export async function underlyingPrice(
  reference: UnderlyingReference,
  quote: (symbol: string, exchange: Exchange) => Promise<QuoteView>,
): Promise<QuoteView> {
  try {
    return await quote(reference.symbol, reference.exchange);
  } catch (error) {
    if (error instanceof InstrumentNotFound) throw new InvalidOptionRequest(`Failed to fetch LTP for ${reference.symbol}. ${error.message}`);
    throw error;
  }
}

/** The expiry the options are wanted for, or OpenAlgo's 400 when neither the request nor the underlying gives one. */
export function requiredExpiry(reference: UnderlyingReference): string {
  if (reference.expiry === undefined || reference.expiry === '') {
    throw new InvalidOptionRequest(
      'Expiry date required. Provide via expiry_date parameter or embed in underlying (e.g., NIFTY28OCT25FUT).',
    );
  }
  return reference.expiry;
}

// -------------------------------------------------------------------------------------------------------------------
// The strike ladder

/** Options of one exchange listing, grouped by `<BASE><DDMMMYY><CE|PE>`, strikes ascending; rebuilt with the listing. */
const laddersByListing = new WeakMap<readonly Instrument[], Map<string, Instrument[]>>();

/**
 * The listed options of `base` expiring `expiry` (`DDMMMYY`) of one right, strike ascending: the symbol is exactly
 * `<BASE><DDMMMYY><STRIKE><RIGHT>`, so GOLD's ladder never holds GOLDM's contracts.
 */
export function strikeLadder(catalog: InstrumentCatalog, base: string, expiry: string, right: OptionRight, exchange: Exchange): readonly Instrument[] {
  const listing = catalog.list(exchange);
  let ladders = laddersByListing.get(listing);
  if (!ladders) {
    ladders = groupLadders(listing);
    laddersByListing.set(listing, ladders);
  }
  return ladders.get(`${base}${expiry.toUpperCase()}${right}`) ?? [];
}

function groupLadders(listing: readonly Instrument[]): Map<string, Instrument[]> {
  const ladders = new Map<string, Instrument[]>();
  for (const instrument of listing) {
    const right = instrument.instrumentType;
    if ((right !== 'CE' && right !== 'PE') || instrument.strike === undefined || instrument.expiry === undefined) continue;
    const tail = `${toString(instrument.strike)}${right}`;
    if (!instrument.symbol.endsWith(tail)) continue;
    const key = `${instrument.symbol.slice(0, -tail.length)}${right}`;
    const ladder = ladders.get(key);
    if (ladder) ladder.push(instrument);
    else ladders.set(key, [instrument]);
  }
  for (const ladder of ladders.values()) ladder.sort((a, b) => cmp(a.strike as Decimal, b.strike as Decimal));
  return ladders;
}

/** Position of the strike nearest `price` in an ascending ladder; of two as near, the lower. -1 for an empty ladder. */
export function atmIndex(strikes: readonly Decimal[], price: Decimal): number {
  let best = -1;
  for (const [index, strike] of strikes.entries()) {
    const bestStrike = strikes[best];
    if (bestStrike === undefined || cmp(abs(sub(strike, price)), abs(sub(bestStrike, price))) < 0) best = index;
  }
  return best;
}

/** Steps along the ladder an offset means for a right: CE is in the money below ATM, PE above. */
export function offsetSteps(offset: string, right: OptionRight): number | undefined {
  const match = /^(ATM|ITM|OTM)(\d*)$/.exec(offset.toUpperCase());
  if (!match) return undefined;
  if (match[1] === 'ATM') return match[2] === '' ? 0 : undefined;
  if (match[2] === '') return undefined;
  const steps = Number(match[2]);
  const higher = (match[1] === 'OTM') === (right === 'CE');
  return higher ? steps : -steps;
}

/** The label of the strike at `index` for a right, ATM being at `atm`: `ATM`, `ITM2`, `OTM3`. */
export function strikeLabel(index: number, atm: number, right: OptionRight): string {
  if (index === atm) return 'ATM';
  const steps = Math.abs(index - atm);
  const inTheMoney = (index < atm) === (right === 'CE');
  return `${inTheMoney ? 'ITM' : 'OTM'}${steps}`;
}

/** A contract resolved from an offset, with the price that placed the money. */
export interface ResolvedOption {
  instrument: Instrument;
  atmStrike: Decimal;
}

/**
 * The contract `pick` names on the expiry's ladder around `price`. With a strike interval the strikes are computed
 * (ATM = price rounded half-even to the interval), otherwise the listed ladder is walked; either way the resulting
 * symbol must be listed.
 */
export function resolveOption(
  catalog: InstrumentCatalog,
  reference: UnderlyingReference,
  pick: OptionPick,
  price: Decimal,
  strikeInterval?: number,
): ResolvedOption {
  const expiry = requiredExpiry(reference);
  const steps = offsetSteps(pick.offset, pick.right);
  let atmStrike: Decimal;
  let strike: Decimal;
  if (strikeInterval !== undefined) {
    if (steps === undefined) throw new InvalidOptionRequest(`Invalid offset: ${pick.offset.toUpperCase()}`);
    const interval = dec(strikeInterval);
    atmStrike = mul(dec(toFixed(div(price, interval), 0)), interval);
    strike = add(atmStrike, mul(interval, dec(steps)));
  } else {
    const ladder = strikeLadder(catalog, reference.base, expiry, pick.right, reference.optionsExchange);
    if (ladder.length === 0) {
      throw new OptionNotFound(
        `No strikes found for ${reference.base} expiring ${expiry}. Please check expiry date or update master contract.`,
      );
    }
    const strikes = ladder.map((option) => option.strike as Decimal);
    const atm = atmIndex(strikes, price);
    const target = steps === undefined ? -1 : atm + steps;
    const found = strikes[target];
    if (found === undefined) {
      throw new InvalidOptionRequest(`Offset ${pick.offset} is out of range for available strikes. Please use a smaller offset.`);
    }
    atmStrike = strikes[atm] as Decimal;
    strike = found;
  }
  const symbol = `${reference.base}${expiry}${toString(strike)}${pick.right}`;
  const instrument = catalog.get(symbol, reference.optionsExchange);
  if (!instrument) {
    throw new OptionNotFound(
      `Option symbol ${symbol} not found in ${reference.optionsExchange}. Symbol may not exist or master contract needs update.`,
    );
  }
  return { instrument, atmStrike };
}

/** The contract `pick` names now: the underlying's reference quoted once, then the offset resolved against it. */
export async function currentOption(
  catalog: InstrumentCatalog,
  quote: (symbol: string, exchange: Exchange) => Promise<QuoteView>,
  target: OptionTarget,
  pick: OptionPick,
): Promise<{ reference: UnderlyingReference; underlyingPrice: Decimal; option: ResolvedOption }> {
  const reference = underlyingReference(catalog, target);
  const { lastPrice } = await underlyingPrice(reference, quote);
  return { reference, underlyingPrice: lastPrice, option: resolveOption(catalog, reference, pick, lastPrice, target.strikeInterval) };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
