// NSE currency futures (CDS) on the rupee pairs and options on USDINR, with the expiries open on a given day.
// Reference rates are approximate late-2025 spot levels, carried by the interest-rate differential to each expiry.
import { dec, mul } from '../../domain/decimal.js';
import { type DerivativeSeries, type SpotOf, seriesInstruments, onNearFuture } from './derivatives.js';
import type { InstrumentDraft } from './draft.js';
import { currencyExpiries } from './expiry-calendar.js';
import { isExchangeHoliday, type HolidayRule, type IsoDate } from '../../domain/market-calendar.js';

export interface CurrencyRow {
  base: string;
  name: string;
  /** Spot in INR per unit (JPYINR per 100 yen, as NSE quotes it). */
  price: string;
  /** Annual forward premium: the rupee rate (6.5%) minus the foreign currency's rate. */
  carry: number;
}

export const CURRENCIES: readonly CurrencyRow[] = [
  { base: 'USDINR', name: 'US Dollar / Indian Rupee', price: '88.50', carry: 0.025 },
  { base: 'EURINR', name: 'Euro / Indian Rupee', price: '102.50', carry: 0.045 },
  { base: 'GBPINR', name: 'Pound Sterling / Indian Rupee', price: '116.50', carry: 0.025 },
  { base: 'JPYINR', name: 'Japanese Yen (100) / Indian Rupee', price: '57.00', carry: 0.06 },
];

/** One contract is 1,000 units of quotation (USD 1,000; ¥100,000 for JPYINR, quoted per ¥100). */
export const CURRENCY_LOT = dec('1000');
export const CURRENCY_TICK = dec('0.0025');
/** Freeze quantity: 10,000 lots (about USD 10 million), NSE's per-order limit for rupee pairs. */
export const CURRENCY_FREEZE_QUANTITY = mul(CURRENCY_LOT, dec(10_000));
export const CURRENCY_EXPIRIES = 3;

/** Pairs with options listed, and their strike step (NSE lists USDINR options a quarter rupee apart). */
export const CURRENCY_OPTIONS: Readonly<Record<string, { strikeStep: string }>> = {
  USDINR: { strikeStep: '0.25' },
};
/** Currency options tick in 0.0025, like the futures. */
export const CURRENCY_OPTION_TICK = dec('0.0025');
/** Implied volatility of reference premiums: the simulated market's for CDS. */
export const CURRENCY_VOLATILITY = 0.06;

/**
 * CDS futures open on `today` and, for the pairs in CURRENCY_OPTIONS, monthly options expiring with them (NSE's rule:
 * both expire two trading days before the month's last trading day), per pair in expiry order.
 * Strike ladders centre on the near-month future: around its reference price and, as `spotOf` gives it, its price at
 * the day's start.
 */
export function currencyInstruments(today: IsoDate, isHoliday: HolidayRule = isExchangeHoliday, spotOf?: SpotOf): InstrumentDraft[] {
  return currencySeries(today, isHoliday, spotOf).flatMap((series) => seriesInstruments(series, today));
}

export function currencySeries(today: IsoDate, isHoliday: HolidayRule = isExchangeHoliday, spotOf?: SpotOf): DerivativeSeries[] {
  const expiries = currencyExpiries(today, CURRENCY_EXPIRIES, isHoliday);
  return CURRENCIES.map((row) => {
    const options = CURRENCY_OPTIONS[row.base];
    const spot = dec(row.price);
    const series: DerivativeSeries = {
      base: row.base,
      exchange: 'CDS',
      name: row.name,
      reference: spot,
      spot,
      lotSize: CURRENCY_LOT,
      freezeQuantity: CURRENCY_FREEZE_QUANTITY,
      strikeStep: options ? dec(options.strikeStep) : CURRENCY_TICK,
      futureTick: CURRENCY_TICK,
      optionTick: CURRENCY_OPTION_TICK,
      volatility: CURRENCY_VOLATILITY,
      carry: row.carry,
      futuresFrom: spot,
      futureExpiries: expiries,
      optionExpiries: options ? expiries : [],
    };
    return onNearFuture(series, today, spotOf);
  });
}
