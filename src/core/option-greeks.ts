// optiongreeks and multioptiongreeks (OpenAlgo's option greeks service): an option's implied volatility and Black-76
// greeks from its last price and its underlying's forward. The forward is, as in OpenAlgo, the synthetic future of the
// option's expiry (ATM strike + ATM call − ATM put), else the underlying's last price; a client may give the forward
// itself or name another underlying (a future). The math is the domain's (domain/option-greeks.ts).
import { toNumber, toRoundedNumber } from '../domain/decimal.js';
import { DomainError, InstrumentNotFound, InvalidOptionRequest, PriceUnavailable } from '../domain/errors.js';
import { EXCHANGES, type Exchange, type InstrumentCatalog, isOption, monthCode, monthOfCode, symbolExpiry } from '../domain/instrument.js';
import {
  type Greeks,
  type OptionRight,
  type TimeOfDay,
  analyzeOption,
  expiryCutoff,
  expiryInstant,
  intrinsicValue,
  parseExpiryTime,
  roundHalfEven,
  timeToExpiry,
} from '../domain/option-greeks.js';
import { type ChainMarket, syntheticFuture } from './option-chain.js';

/** One option to analyse and where its forward comes from. */
export interface GreeksRequest {
  symbol: string;
  exchange: Exchange;
  /** Annual percent; 0 when absent (OpenAlgo's default for every exchange). */
  interestRate?: number;
  /** The forward to price on; when given (and not 0), no underlying is quoted. */
  forwardPrice?: number;
  /** Quote this instead of the option's underlying (e.g. `NIFTY30DEC25FUT`); the synthetic future is then skipped. */
  underlyingSymbol?: string;
  /** Where to quote the underlying; by default the index exchange of an index, the option's own venue for MCX, CDS and
   * the like, NSE for shares. Not checked against the exchange list until it is quoted (as OpenAlgo). */
  underlyingExchange?: string;
  /** `HH:MM` IST cut-off on the expiry day, instead of the exchange's (15:30; MCX 23:30; CDS 12:30). */
  expiryTime?: string;
}

/** What optiongreeks reports for an option (the dialect renames the fields). */
export interface GreeksReport {
  symbol: string;
  exchange: Exchange;
  underlying: string;
  strike: number;
  right: OptionRight;
  /** `DD-Mon-YYYY`, e.g. `01-Dec-2026`. */
  expiryDate: string;
  daysToExpiry: number;
  /** The forward the option was priced on (synthetic future, the underlying's last price, or the client's). */
  spotPrice: number;
  optionPrice: number;
  interestRate: number;
  /** Percent. */
  impliedVolatility: number;
  greeks: Greeks;
  /** Only with theoretical greeks (no time value to invert, or an expired option in a batch). */
  intrinsicValue?: number;
  timeValue?: number;
  note?: string;
}

/** What the greeks are computed from: the catalog, the account's market and the instant. */
export interface GreeksContext {
  catalog: InstrumentCatalog;
  market: ChainMarket;
  /** Epoch ms the time to expiry is counted from. */
  now: number;
}

/**
 * The greeks of one option. Fails as OpenAlgo does, with its words: an unreadable symbol or expiry time, an unknown
 * underlying or option (InvalidOptionRequest, 400), no last price (PriceUnavailable, 404), an expired option or a price
 * no volatility fits (InvalidOptionRequest).
 */
export async function optionGreeks(context: GreeksContext, request: GreeksRequest): Promise<GreeksReport> {
  const contract = readContract(context.catalog, request.symbol, request.exchange, request.expiryTime);
  if ('error' in contract) throw new InvalidOptionRequest(`Failed to get option Greeks: ${contract.error}`);
  const forward = request.forwardPrice ? request.forwardPrice : await underlyingForward(context, contract, request);
  const optionPrice = await lastPrice(context.market, request.symbol, request.exchange, 'option price');
  if (optionPrice === 0) throw new PriceUnavailable('Option LTP not available');
  const valued = valueOption(contract, forward, optionPrice, request.interestRate ?? 0, context.now);
  if ('failure' in valued) throw new InvalidOptionRequest(valued.failure);
  return valued;
}

/** One option of a batch: a symbol and, optionally, the underlying to quote. */
export interface BatchGreeksItem {
  symbol: string;
  exchange: Exchange;
  underlyingSymbol?: string;
  underlyingExchange?: string;
}

export type BatchGreeksEntry =
  | { ok: true; report: GreeksReport }
  | { ok: false; symbol: string; exchange: Exchange; message: string };

export interface BatchGreeksReport {
  /** `success` when none failed, `partial` when some did, `error` when all did. */
  status: 'success' | 'partial' | 'error';
  /** In request order. */
  entries: BatchGreeksEntry[];
  total: number;
  succeeded: number;
  failed: number;
  /** When some failed: how many and the first three distinct reasons. */
  message?: string;
}

/**
 * multioptiongreeks: each option as optiongreeks would value it, with the batch's rate and expiry time, reporting a
 * failure per option instead of failing the batch (OpenAlgo's words: "Option LTP not available", "Failed to fetch
 * underlying price for NIFTY"); an expired option is a success with zero greeks and a note. Each forward and each
 * underlying is fetched once per batch. A broker that does not answer fails the whole request (503), not each option.
 */
export async function batchOptionGreeks(
  context: GreeksContext,
  items: readonly BatchGreeksItem[],
  common: { interestRate?: number; expiryTime?: string },
): Promise<BatchGreeksReport> {
  const caches: BatchCaches = { forwards: new Map(), underlyings: new Map() };
  const entries: BatchGreeksEntry[] = [];
  for (const item of items) entries.push(await batchEntry(context, item, common, caches));
  return summarize(entries);
}

/** Forwards by (base, underlying exchange, expiry) and underlying prices by (symbol, exchange), fetched once a batch. */
interface BatchCaches {
  forwards: Map<string, Promise<number | undefined>>;
  underlyings: Map<string, Promise<number | undefined>>;
}

async function batchEntry(
  context: GreeksContext,
  item: BatchGreeksItem,
  common: { interestRate?: number; expiryTime?: string },
  caches: BatchCaches,
): Promise<BatchGreeksEntry> {
  const failure = (message: string): BatchGreeksEntry => ({ ok: false, symbol: item.symbol, exchange: item.exchange, message });
  const contract = readContract(context.catalog, item.symbol, item.exchange, common.expiryTime);
  if ('error' in contract) return failure(`Failed to parse option symbol: ${contract.error}`);
  const source = underlyingSource(context.catalog, contract, item);
  let forward: number | undefined;
  if (source.synthetic) {
    const key = `${contract.base}|${source.exchange}|${contract.expiry}`;
    forward = await once(caches.forwards, key, () => syntheticForward(context, contract, source.exchange));
  }
  forward ||= await once(caches.underlyings, `${source.symbol}|${source.exchange}`, () => optionalPrice(context.market, source));
  if (!forward) return failure(`Failed to fetch underlying price for ${source.symbol}`);
  const optionPrice = await optionalPrice(context.market, { symbol: item.symbol, exchange: item.exchange });
  if (!optionPrice) return failure('Option LTP not available');
  const valued = valueOption(contract, forward, optionPrice, common.interestRate ?? 0, context.now);
  if (!('failure' in valued)) return { ok: true, report: valued };
  if (valued.expired) return { ok: true, report: expiredReport(contract, forward, optionPrice, common.interestRate) };
  return failure(valued.failure);
}

function summarize(entries: BatchGreeksEntry[]): BatchGreeksReport {
  const failures = entries.filter((entry) => !entry.ok);
  const failed = failures.length;
  const succeeded = entries.length - failed;
  const status = failed === 0 ? 'success' : succeeded > 0 ? 'partial' : 'error';
  const report: BatchGreeksReport = { status, entries, total: entries.length, succeeded, failed };
  if (failed > 0) {
    const reasons = [...new Set(failures.map((entry) => entry.message))].slice(0, 3).join('; ');
    report.message =
      status === 'error'
        ? `All option Greeks calculations failed: ${reasons}`
        : `${failed} option Greeks calculation(s) failed: ${reasons}`;
  }
  return report;
}

// ---------------------------------------------------------------------------------------------------------
// The contract

/** An option's terms, from the catalog when it lists the symbol, else read from the symbol as OpenAlgo reads it. */
interface Contract {
  symbol: string;
  exchange: Exchange;
  base: string;
  /** `YYYY-MM-DD`. */
  expiry: string;
  strike: number;
  right: OptionRight;
  /** Epoch ms of the cut-off on the expiry day. */
  expiresAt: number;
}

const OPTION_SYMBOL = /^([A-Z]+)(\d{2})([A-Z]{3})(\d{2})([\d.]+)(CE|PE)/;

/**
 * The option's terms and expiry cut-off, or OpenAlgo's words for why the symbol or expiry time cannot be read
 * (`Failed to parse option symbol X: Invalid option symbol format: X`). A symbol the catalog lists as an option is
 * taken from the catalog, so shares whose names OpenAlgo's pattern cannot read (`M&M`, `BAJAJ-AUTO`) work too; any
 * other is read from its text (and fails later, when it is quoted, if it is not listed).
 */
function readContract(catalog: InstrumentCatalog, symbol: string, exchange: Exchange, expiryTime?: string): Contract | { error: string } {
  const failed = (reason: string) => ({ error: `Failed to parse option symbol ${symbol}: ${reason}` });
  const terms = listedTerms(catalog, symbol, exchange) ?? symbolTerms(symbol, exchange);
  if ('error' in terms) return failed(terms.error);
  const cutoff = cutoffOf(exchange, expiryTime);
  if ('error' in cutoff) return failed(cutoff.error);
  return { ...terms, expiresAt: expiryInstant(terms.expiry, cutoff) };
}

function listedTerms(catalog: InstrumentCatalog, symbol: string, exchange: Exchange): Omit<Contract, 'expiresAt'> | undefined {
  const listed = catalog.get(symbol, exchange);
  if (!listed || !isOption(listed) || listed.expiry === undefined || listed.strike === undefined) return undefined;
  const right = listed.instrumentType as OptionRight;
  return { symbol, exchange, base: listed.underlying, expiry: listed.expiry, strike: toNumber(listed.strike), right };
}

/** `<BASE><DD><MMM><YY><STRIKE><CE|PE>` read as OpenAlgo reads it (a prefix match on the upper-cased text). */
function symbolTerms(symbol: string, exchange: Exchange): Omit<Contract, 'expiresAt'> | { error: string } {
  const match = OPTION_SYMBOL.exec(symbol.toUpperCase());
  if (!match) return { error: `Invalid option symbol format: ${symbol}` };
  const [, base = '', day = '', monthName = '', year = '', strikeText = '', right = ''] = match;
  const month = monthOfCode(monthName);
  if (month === 0) return { error: `Invalid month in option symbol: ${symbol}` };
  const expiry = `20${year}-${String(month).padStart(2, '0')}-${day}`;
  if (!isCalendarDate(expiry)) return { error: 'day is out of range for month' };
  // Python's float(): digits with at most one point, and at least one digit.
  if (!/^(\d+\.?\d*|\.\d+)$/.test(strikeText)) return { error: `could not convert string to float: '${strikeText}'` };
  return { symbol, exchange, base, expiry, strike: Number(strikeText), right: right as OptionRight };
}

/** The client's expiry time, or the exchange's cut-off when none (or an empty one) is given. */
function cutoffOf(exchange: Exchange, expiryTime?: string): TimeOfDay | { error: string } {
  return expiryTime ? parseExpiryTime(expiryTime) : expiryCutoff(exchange);
}

function isCalendarDate(isoDate: string): boolean {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return day >= 1 && date.getUTCMonth() === month - 1;
}

// ---------------------------------------------------------------------------------------------------------
// The forward

/** Where the underlying's price comes from, and whether the synthetic future is tried first. */
interface UnderlyingSource {
  symbol: string;
  exchange: string;
  synthetic: boolean;
}

/**
 * The underlying to quote: the client's, or the option's base on its index exchange (NSE_INDEX, BSE_INDEX), on the
 * option's own venue (MCX, CDS, the other commodity and currency venues, CRYPTO) or on NSE (shares). The synthetic
 * future comes first unless the client named another underlying than the base.
 */
function underlyingSource(
  catalog: InstrumentCatalog,
  contract: Contract,
  request: Pick<GreeksRequest, 'underlyingSymbol' | 'underlyingExchange'>,
): UnderlyingSource {
  const exchange = request.underlyingExchange || defaultUnderlyingExchange(catalog, contract);
  const symbol = request.underlyingSymbol || contract.base;
  return { symbol, exchange, synthetic: !request.underlyingSymbol || request.underlyingSymbol === contract.base };
}

function defaultUnderlyingExchange(catalog: InstrumentCatalog, { base, exchange }: Contract): Exchange {
  if (catalog.get(base, 'NSE_INDEX')) return 'NSE_INDEX';
  if (catalog.get(base, 'BSE_INDEX')) return 'BSE_INDEX';
  return exchange === 'NFO' || exchange === 'BFO' ? 'NSE' : exchange;
}

/** optiongreeks' forward: the synthetic future, else the underlying's last price (its failures in OpenAlgo's words). */
async function underlyingForward(context: GreeksContext, contract: Contract, request: GreeksRequest): Promise<number> {
  const source = underlyingSource(context.catalog, contract, request);
  const synthetic = source.synthetic ? await syntheticForward(context, contract, source.exchange) : undefined;
  if (synthetic) return synthetic;
  if (!isExchange(source.exchange)) {
    throw new InvalidOptionRequest(`Failed to fetch underlying price: ${invalidExchange(source.exchange)}`);
  }
  const price = await lastPrice(context.market, source.symbol, source.exchange, 'underlying price');
  if (price === 0) throw new PriceUnavailable('Underlying LTP not available');
  return price;
}

/**
 * The synthetic future of the option's expiry (ATM strike + call − put, ATM nearest the underlying's price), or
 * undefined when it cannot be made (no such listing, an unknown underlying): the caller falls back to the underlying.
 */
async function syntheticForward(context: GreeksContext, contract: Contract, underlyingExchange: string): Promise<number | undefined> {
  if (!isExchange(underlyingExchange)) return undefined;
  try {
    const target = { underlying: contract.base, exchange: underlyingExchange, expiry: symbolExpiry(contract.expiry) };
    const synthetic = await syntheticFuture(context.catalog, context.market, target);
    return toRoundedNumber(synthetic.price, 2);
  } catch (error) {
    if (error instanceof DomainError && NOT_SYNTHESIZABLE.has(error.code)) return undefined;
    throw error;
  }
}

/** Errors that mean "no synthetic future here", as opposed to a broker or store that does not answer. */
const NOT_SYNTHESIZABLE: ReadonlySet<string> = new Set(['INSTRUMENT_NOT_FOUND', 'INVALID_OPTION_REQUEST', 'OPTION_NOT_FOUND']);

/** A last price, an unknown instrument reported as OpenAlgo reports it: `Failed to fetch option price: Symbol …`. */
async function lastPrice(market: ChainMarket, symbol: string, exchange: Exchange, what: string): Promise<number> {
  try {
    return toNumber((await market.quote(symbol, exchange)).lastPrice);
  } catch (error) {
    if (error instanceof InstrumentNotFound) throw new InvalidOptionRequest(`Failed to fetch ${what}: ${error.message}`);
    throw error;
  }
}

/** A last price, or undefined for an unknown instrument or exchange (a batch reports those per option). */
async function optionalPrice(market: ChainMarket, { symbol, exchange }: { symbol: string; exchange: string }): Promise<number | undefined> {
  if (!isExchange(exchange)) return undefined;
  try {
    return toNumber((await market.quote(symbol, exchange)).lastPrice);
  } catch (error) {
    if (error instanceof InstrumentNotFound) return undefined;
    throw error;
  }
}

function once<T>(cache: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let value = cache.get(key);
  if (!value) {
    value = make();
    cache.set(key, value);
  }
  return value;
}

function isExchange(text: string): text is Exchange {
  return (EXCHANGES as readonly string[]).includes(text);
}

/** OpenAlgo's quote service's words for an exchange outside its list. */
function invalidExchange(exchange: string): string {
  return `Invalid exchange '${exchange}'. Must be one of: ${EXCHANGES.join(', ')}`;
}

// ---------------------------------------------------------------------------------------------------------
// The valuation

type Valuation = GreeksReport | { failure: string; expired: boolean };

const NO_TIME_VALUE_NOTE = 'Deep ITM option with no time value - theoretical Greeks returned';
const NO_VOLATILITY_NOTE = 'IV calculation not possible - theoretical deep ITM Greeks returned';
const EXPIRED_NOTE = 'Option has expired - Greeks are no longer applicable';

const VOLATILITY_FAILURES = {
  'above-maximum': 'price exceeds theoretical maximum',
  'beyond-range': 'implied volatility would exceed 500%',
  'invalid-inputs': 'prices, strike and time to expiry must be positive',
} as const;

/** OpenAlgo's calculate_greeks: an expired option fails, one with no time value gets theoretical greeks. */
function valueOption(contract: Contract, forward: number, optionPrice: number, interestRate: number, now: number): Valuation {
  const time = timeToExpiry(contract.expiresAt, now);
  if (!time) return { failure: `Option has expired on ${longDate(contract.expiry)}`, expired: true };
  if (!(forward > 0 && optionPrice > 0)) return { failure: 'Spot price and option price must be positive', expired: false };
  if (contract.strike <= 0) return { failure: 'Strike price must be positive', expired: false };
  const valuation = analyzeOption({
    right: contract.right,
    underlyingPrice: forward,
    strike: contract.strike,
    years: time.years,
    ratePercent: interestRate,
    optionPrice,
  });
  const report = reportBase(contract, forward, optionPrice, interestRate, roundHalfEven(time.days, 4));
  if (valuation.kind === 'solved') {
    const { impliedVolatility, ...greeks } = valuation.analytics;
    return { ...report, impliedVolatility, greeks };
  }
  if (valuation.kind === 'no-time-value') return theoretical(report, contract, forward, optionPrice, NO_TIME_VALUE_NOTE);
  if (valuation.failure === 'below-intrinsic') return theoretical(report, contract, forward, optionPrice, NO_VOLATILITY_NOTE);
  return { failure: `Failed to calculate Implied Volatility: ${VOLATILITY_FAILURES[valuation.failure]}`, expired: false };
}

type ReportBase = Omit<GreeksReport, 'impliedVolatility' | 'greeks'>;

/** Greeks of an option that is all intrinsic value: IV 0, delta ±1, the rest 0. */
function theoretical(report: ReportBase, contract: Contract, forward: number, optionPrice: number, note: string): GreeksReport {
  const intrinsic = intrinsicValue(contract.right, forward, contract.strike);
  return {
    ...report,
    intrinsicValue: roundHalfEven(intrinsic, 2),
    timeValue: roundHalfEven(Math.max(optionPrice - intrinsic, 0), 2),
    impliedVolatility: 0,
    greeks: { delta: contract.right === 'CE' ? 1 : -1, gamma: 0, theta: 0, vega: 0, rho: 0 },
    note,
  };
}

/** A batch's answer for an expired option: its intrinsic and time value, no greeks. */
function expiredReport(contract: Contract, forward: number, optionPrice: number, interestRate = 0): GreeksReport {
  const intrinsic = intrinsicValue(contract.right, forward, contract.strike);
  return {
    ...reportBase(contract, forward, optionPrice, interestRate, 0),
    intrinsicValue: roundHalfEven(intrinsic, 2),
    timeValue: roundHalfEven(Math.max(optionPrice - intrinsic, 0), 2),
    impliedVolatility: 0,
    greeks: { delta: 0, gamma: 0, theta: 0, vega: 0, rho: 0 },
    note: EXPIRED_NOTE,
  };
}

/** What every answer about an option says of it, rounded as OpenAlgo rounds it. */
function reportBase(contract: Contract, forward: number, optionPrice: number, interestRate: number, daysToExpiry: number): ReportBase {
  return {
    symbol: contract.symbol,
    exchange: contract.exchange,
    underlying: contract.base,
    strike: roundHalfEven(contract.strike, 2),
    right: contract.right,
    expiryDate: longDate(contract.expiry),
    daysToExpiry,
    spotPrice: roundHalfEven(forward, 2),
    optionPrice: roundHalfEven(optionPrice, 2),
    interestRate: roundHalfEven(interestRate, 2),
  };
}

/** `2026-12-01` → `01-Dec-2026` (Python's `%d-%b-%Y`). */
function longDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  const name = monthCode(Number(month));
  return `${day}-${name.charAt(0)}${name.slice(1).toLowerCase()}-${year}`;
}
