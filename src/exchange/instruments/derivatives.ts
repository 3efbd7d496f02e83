// NFO and BFO futures and options on the bundled indices and F&O stocks, listed for the expiries live on a given day,
// and the series machinery MCX and CDS futures and options are listed with too.
import { add, cmp, dec, mul, roundToStep, toString, type Decimal } from '../../domain/decimal.js';
import { futureSymbol, optionSymbol, type Exchange } from '../../domain/instrument.js';
import type { InstrumentDraft } from './draft.js';
import { EQUITIES, STOCK_DERIVATIVES, equityReferencePrice, equityTickSize } from './equities.js';
import { bseMonthlyExpiries, bseWeeklyExpiries, mergeExpiries, nseMonthlyExpiries, nseWeeklyExpiries } from './expiry-calendar.js';
import { daysBetween, isExchangeHoliday, type HolidayRule, type IsoDate } from '../../domain/market-calendar.js';
import { indexLevel } from './indices.js';
import { futureReferencePrice, optionReferencePrice } from './pricing.js';

/** How an index's derivatives are listed: contract terms and how many expiries of each kind are open. */
export interface IndexDerivativeTerms {
  base: string;
  exchange: 'NFO' | 'BFO';
  lotSize: string;
  freezeQuantity: string;
  strikeStep: string;
  futures: number;
  weeklyOptions: number;
  monthlyOptions: number;
}

/** Index F&O: lot sizes and freeze quantities as the exchanges set them for 2025–26. */
export const INDEX_DERIVATIVES: readonly IndexDerivativeTerms[] = [
  { base: 'NIFTY', exchange: 'NFO', lotSize: '65', freezeQuantity: '1800', strikeStep: '50', futures: 3, weeklyOptions: 4, monthlyOptions: 3 },
  { base: 'BANKNIFTY', exchange: 'NFO', lotSize: '30', freezeQuantity: '900', strikeStep: '100', futures: 3, weeklyOptions: 0, monthlyOptions: 3 },
  { base: 'FINNIFTY', exchange: 'NFO', lotSize: '60', freezeQuantity: '1800', strikeStep: '50', futures: 3, weeklyOptions: 0, monthlyOptions: 3 },
  { base: 'MIDCPNIFTY', exchange: 'NFO', lotSize: '120', freezeQuantity: '2800', strikeStep: '25', futures: 3, weeklyOptions: 0, monthlyOptions: 3 },
  { base: 'SENSEX', exchange: 'BFO', lotSize: '20', freezeQuantity: '1000', strikeStep: '100', futures: 3, weeklyOptions: 2, monthlyOptions: 2 },
  { base: 'BANKEX', exchange: 'BFO', lotSize: '30', freezeQuantity: '900', strikeStep: '100', futures: 3, weeklyOptions: 0, monthlyOptions: 0 },
];

/** Monthly expiries open for stock futures and for stock options. */
export const STOCK_EXPIRIES = 3;
/** Strikes listed on each side of the at-the-money strike, per expiry. */
export const STRIKES_EACH_SIDE = 20;
/** Implied volatility used for reference premiums. */
export const INDEX_VOLATILITY = 0.14;
export const STOCK_VOLATILITY = 0.25;
/** Options of every underlying tick in 0.05. */
export const OPTION_TICK = dec('0.05');
/** Index futures tick in 0.10 (NSE's tick for index futures); stock futures keep their share's cash-market tick. */
export const INDEX_FUTURE_TICK = dec('0.10');
/** Stock F&O freeze quantity, simplified: twenty lots per order. */
export const STOCK_FREEZE_LOTS = 20n;

/**
 * An underlying's price at the start of session day `day`, by its symbol and the exchange it is quoted on (NSE_INDEX or
 * BSE_INDEX for an index, NSE for a share, MCX or CDS for the near-month future an option series is written on). For
 * a future, `listed` is the contract as this build lists it (the master may not list it yet). Asked once per
 * underlying per build.
 */
export type SpotOf = (symbol: string, exchange: Exchange, day: IsoDate, listed?: InstrumentDraft) => Decimal;

/**
 * Every index and stock future and option open on `today` (an IST `YYYY-MM-DD`). Without `spotOf`, underlyings stand at
 * their reference prices.
 */
export function derivativeInstruments(today: IsoDate, isHoliday: HolidayRule = isExchangeHoliday, spotOf?: SpotOf): InstrumentDraft[] {
  return [...indexSeries(today, isHoliday, spotOf), ...stockSeries(today, isHoliday, spotOf)].flatMap((series) =>
    seriesInstruments(series, today),
  );
}

/** One underlying's listed derivatives: what is needed to write out its futures and options. */
export interface DerivativeSeries {
  base: string;
  exchange: 'NFO' | 'BFO' | 'MCX' | 'CDS';
  /** The contracts' name; the base when absent. */
  name?: string;
  /** The underlying's fixed reference price (its previous close in a frozen market). */
  reference: Decimal;
  /**
   * The underlying's price at the start of the day listed: strikes are listed around it, and index and stock futures
   * and options priced from it.
   */
  spot: Decimal;
  lotSize: Decimal;
  freezeQuantity: Decimal;
  strikeStep: Decimal;
  futureTick: Decimal;
  /** Options' tick; OPTION_TICK when absent. */
  optionTick?: Decimal;
  volatility: number;
  /** Annual carry from the price the futures are priced from to theirs; the risk-free rate when absent. */
  carry?: number;
  /**
   * For options written on futures (MCX, CDS), not on a spot: the commodity's or pair's spot reference, which the
   * futures are priced from (they walk on their own). Each option's underlying is then the series' first future
   * expiring on or after it (`futureOfOption`), its premium priced from that future's reference price, and
   * `reference` and `spot` are the near-month future's (`onNearFuture`).
   */
  futuresFrom?: Decimal;
  futureExpiries: readonly IsoDate[];
  optionExpiries: readonly IsoDate[];
}

export function indexSeries(today: IsoDate, isHoliday: HolidayRule = isExchangeHoliday, spotOf?: SpotOf): DerivativeSeries[] {
  return INDEX_DERIVATIVES.map((terms) => {
    const weekly = terms.exchange === 'NFO' ? nseWeeklyExpiries : bseWeeklyExpiries;
    const monthly = terms.exchange === 'NFO' ? nseMonthlyExpiries : bseMonthlyExpiries;
    const reference = indexLevel(terms.base);
    return {
      base: terms.base,
      exchange: terms.exchange,
      reference,
      spot: spotOf ? spotOf(terms.base, terms.exchange === 'NFO' ? 'NSE_INDEX' : 'BSE_INDEX', today) : reference,
      lotSize: dec(terms.lotSize),
      freezeQuantity: dec(terms.freezeQuantity),
      strikeStep: dec(terms.strikeStep),
      futureTick: INDEX_FUTURE_TICK,
      volatility: INDEX_VOLATILITY,
      futureExpiries: monthly(today, terms.futures, isHoliday),
      optionExpiries: mergeExpiries(
        terms.weeklyOptions > 0 ? weekly(today, terms.weeklyOptions, isHoliday) : [],
        terms.monthlyOptions > 0 ? monthly(today, terms.monthlyOptions, isHoliday) : [],
      ),
    };
  });
}

export function stockSeries(today: IsoDate, isHoliday: HolidayRule = isExchangeHoliday, spotOf?: SpotOf): DerivativeSeries[] {
  const expiries = nseMonthlyExpiries(today, STOCK_EXPIRIES, isHoliday);
  return EQUITIES.flatMap((row) => {
    const terms = STOCK_DERIVATIVES[row[0]];
    if (!terms) return [];
    const reference = equityReferencePrice(row);
    const lotSize = dec(terms.lotSize);
    return [
      {
        base: row[0],
        exchange: 'NFO' as const,
        reference,
        spot: spotOf ? spotOf(row[0], 'NSE', today) : reference,
        lotSize,
        freezeQuantity: mul(lotSize, dec(STOCK_FREEZE_LOTS)),
        strikeStep: dec(terms.strikeStep),
        // The contract's tick stays the same from day to day, whatever the share does.
        futureTick: equityTickSize(reference),
        volatility: STOCK_VOLATILITY,
        futureExpiries: expiries,
        optionExpiries: expiries,
      },
    ];
  });
}

/** The at-the-money strike (spot rounded to the step) and `eachSide` strikes above and below it, all positive. */
export function strikesAround(spot: Decimal, step: Decimal, eachSide: number = STRIKES_EACH_SIDE): Decimal[] {
  const atm = roundToStep(spot, step);
  const strikes: Decimal[] = [];
  for (let k = -eachSide; k <= eachSide; k += 1) {
    const strike = add(atm, mul(step, dec(k)));
    if (strike > 0n) strikes.push(strike);
  }
  return strikes;
}

/**
 * The strikes listed for each option expiry of a series: those around the reference price and those around the day's
 * spot, ascending without repeats. Around both, so a frozen market's ladder never changes and a walking market's
 * at-the-money strike is always listed, however far the walk has gone.
 */
export function seriesStrikes(series: DerivativeSeries): Decimal[] {
  const strikes = new Set([...strikesAround(series.reference, series.strikeStep), ...strikesAround(series.spot, series.strikeStep)]);
  return [...strikes].sort(cmp);
}

/**
 * A futures-written series (`futuresFrom`) whose strikes centre on its near-month future: `reference` is that future's
 * reference price, `spot` its price at the day's start as `spotOf` gives it (the reference without `spotOf`). Asks
 * `spotOf` only for a series with options.
 */
export function onNearFuture(series: DerivativeSeries, today: IsoDate, spotOf?: SpotOf): DerivativeSeries {
  const near = seriesFutures(series, today)[0];
  if (!near) return series;
  const spot = spotOf && series.optionExpiries.length > 0 ? spotOf(near.symbol, series.exchange, today, near) : near.referencePrice;
  return { ...series, reference: near.referencePrice, spot };
}

/** The expiry of the future an option expiring `optionExpiry` is written on: the first expiring on or after it. */
export function futureOfOption(futureExpiries: readonly IsoDate[], optionExpiry: IsoDate): IsoDate | undefined {
  return [...futureExpiries].sort().find((expiry) => expiry >= optionExpiry);
}

function commonTerms(series: DerivativeSeries) {
  return {
    exchange: series.exchange,
    name: series.name ?? series.base,
    underlying: series.base,
    lotSize: series.lotSize,
    freezeQuantity: series.freezeQuantity,
  };
}

/** The series' futures, expiry ascending as listed. */
export function seriesFutures(series: DerivativeSeries, today: IsoDate): InstrumentDraft[] {
  const from = series.futuresFrom ?? series.spot;
  return series.futureExpiries.map((expiry) => {
    const symbol = futureSymbol(series.base, expiry);
    return {
      ...commonTerms(series),
      symbol,
      instrumentType: 'FUT',
      expiry,
      tickSize: series.futureTick,
      brokerSymbol: symbol,
      referencePrice: futureReferencePrice(from, daysBetween(today, expiry), series.futureTick, series.carry),
    };
  });
}

/** Futures, then options expiry by expiry (strike ascending, CE before PE). */
export function seriesInstruments(series: DerivativeSeries, today: IsoDate): InstrumentDraft[] {
  const futures = seriesFutures(series, today);
  const drafts: InstrumentDraft[] = [...futures];
  const strikes = seriesStrikes(series);
  const tick = series.optionTick ?? OPTION_TICK;
  for (const expiry of series.optionExpiries) {
    const days = daysBetween(today, expiry);
    let priceFrom = series.spot;
    if (series.futuresFrom !== undefined) {
      const futureExpiry = futureOfOption(series.futureExpiries, expiry);
      const future = futures.find((draft) => draft.expiry === futureExpiry);
      if (!future) continue;
      priceFrom = future.referencePrice;
    }
    for (const strike of strikes) {
      for (const right of ['CE', 'PE'] as const) {
        const symbol = optionSymbol(series.base, expiry, toString(strike), right);
        drafts.push({
          ...commonTerms(series),
          symbol,
          instrumentType: right,
          expiry,
          strike,
          tickSize: tick,
          brokerSymbol: symbol,
          referencePrice: optionReferencePrice(priceFrom, strike, days, series.volatility, right, tick),
        });
      }
    }
  }
  return drafts;
}
