// NSE currency futures (CDS) on the rupee pairs, with the expiries open on a given day.
// Reference rates are approximate late-2025 spot levels, carried by the interest-rate differential to each expiry.
import { dec, mul } from '../../domain/decimal.js';
import { futureSymbol } from '../../domain/instrument.js';
import type { InstrumentDraft } from './draft.js';
import { currencyExpiries } from './expiry-calendar.js';
import { daysBetween, isExchangeHoliday, type HolidayRule, type IsoDate } from '../../domain/market-calendar.js';
import { futureReferencePrice } from './pricing.js';

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

/** CDS futures open on `today`, per pair in expiry order. */
export function currencyInstruments(today: IsoDate, isHoliday: HolidayRule = isExchangeHoliday): InstrumentDraft[] {
  const expiries = currencyExpiries(today, CURRENCY_EXPIRIES, isHoliday);
  return CURRENCIES.flatMap((row) =>
    expiries.map((expiry): InstrumentDraft => {
      const symbol = futureSymbol(row.base, expiry);
      return {
        symbol,
        exchange: 'CDS',
        name: row.name,
        instrumentType: 'FUT',
        underlying: row.base,
        expiry,
        lotSize: CURRENCY_LOT,
        tickSize: CURRENCY_TICK,
        freezeQuantity: CURRENCY_FREEZE_QUANTITY,
        brokerSymbol: symbol,
        referencePrice: futureReferencePrice(dec(row.price), daysBetween(today, expiry), CURRENCY_TICK, row.carry),
      };
    }),
  );
}
