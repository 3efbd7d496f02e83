// NFO and BFO futures and options on the bundled indices and F&O stocks, listed for the expiries live on a given day.
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
 * BSE_INDEX for an index, NSE for a share). Asked once per underlying per build.
 */
export type SpotOf = (symbol: string, exchange: Exchange, day: IsoDate) => Decimal;

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
  exchange: 'NFO' | 'BFO';
  /** The underlying's fixed reference price (its previous close in a frozen market). */
  reference: Decimal;
  /** The underlying's price at the start of the day listed: futures and options are priced from it. */
  spot: Decimal;
  lotSize: Decimal;
  freezeQuantity: Decimal;
  strikeStep: Decimal;
  futureTick: Decimal;
  volatility: number;
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

/** Futures, then options expiry by expiry (strike ascending, CE before PE). */
export function seriesInstruments(series: DerivativeSeries, today: IsoDate): InstrumentDraft[] {
  const common = {
    exchange: series.exchange,
    name: series.base,
    underlying: series.base,
    lotSize: series.lotSize,
    freezeQuantity: series.freezeQuantity,
  };
  const drafts: InstrumentDraft[] = [];
  for (const expiry of series.futureExpiries) {
    const symbol = futureSymbol(series.base, expiry);
    drafts.push({
      ...common,
      symbol,
      instrumentType: 'FUT',
      expiry,
      tickSize: series.futureTick,
      brokerSymbol: symbol,
      referencePrice: futureReferencePrice(series.spot, daysBetween(today, expiry), series.futureTick),
    });
  }
  const strikes = seriesStrikes(series);
  for (const expiry of series.optionExpiries) {
    const days = daysBetween(today, expiry);
    for (const strike of strikes) {
      for (const right of ['CE', 'PE'] as const) {
        const symbol = optionSymbol(series.base, expiry, toString(strike), right);
        drafts.push({
          ...common,
          symbol,
          instrumentType: right,
          expiry,
          strike,
          tickSize: OPTION_TICK,
          brokerSymbol: symbol,
          referencePrice: optionReferencePrice(series.spot, strike, days, series.volatility, right, OPTION_TICK),
        });
      }
    }
  }
  return drafts;
}
