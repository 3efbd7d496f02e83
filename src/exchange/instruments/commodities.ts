// MCX commodity futures and options: energy and bullion contracts with their lot, tick and the expiries open on a given day.
// Reference prices are approximate late-2025 spot levels in INR, carried to each expiry at the risk-free rate.
import { dec, mul } from '../../domain/decimal.js';
import { type DerivativeSeries, type SpotOf, seriesInstruments, onNearFuture } from './derivatives.js';
import type { InstrumentDraft } from './draft.js';
import { mcxBullionExpiries, mcxBullionOptionExpiry, mcxEnergyExpiries, mcxEnergyOptionExpiry } from './expiry-calendar.js';
import { isExchangeHoliday, type HolidayRule, type IsoDate } from '../../domain/market-calendar.js';

export interface CommodityRow {
  base: string;
  name: string;
  /** Quantity step (the contract's lot as brokers' masters carry it). */
  lotSize: string;
  tickSize: string;
  /** Spot reference in INR per quotation unit. */
  price: string;
  rule: 'energy' | 'bullion';
  /** Contract months (1–12) when not every month has one. */
  months?: readonly number[];
}

export const COMMODITIES: readonly CommodityRow[] = [
  { base: 'CRUDEOIL', name: 'Crude Oil (per barrel)', lotSize: '100', tickSize: '1', price: '5300', rule: 'energy' },
  { base: 'CRUDEOILM', name: 'Crude Oil Mini (per barrel)', lotSize: '10', tickSize: '1', price: '5300', rule: 'energy' },
  { base: 'NATURALGAS', name: 'Natural Gas (per mmBtu)', lotSize: '1250', tickSize: '0.10', price: '400', rule: 'energy' },
  // GOLD trades the even months, SILVER March, May, July, September and December; the minis are simplified to monthly.
  { base: 'GOLD', name: 'Gold (per 10 g)', lotSize: '1', tickSize: '1', price: '130000', rule: 'bullion', months: [2, 4, 6, 8, 10, 12] },
  { base: 'GOLDM', name: 'Gold Mini (per 10 g)', lotSize: '1', tickSize: '1', price: '130000', rule: 'bullion' },
  { base: 'SILVER', name: 'Silver (per kg)', lotSize: '1', tickSize: '1', price: '160000', rule: 'bullion', months: [3, 5, 7, 9, 12] },
  { base: 'SILVERM', name: 'Silver Mini (per kg)', lotSize: '1', tickSize: '1', price: '160000', rule: 'bullion' },
];

/** Expiries open per commodity. */
export const COMMODITY_EXPIRIES = 3;
/** Freeze quantity, simplified: one hundred lots per order. */
export const COMMODITY_FREEZE_LOTS = 100n;

/** How an MCX commodity's options are listed: the strike step (INR per quotation unit). Options are on one lot of the future. */
export const COMMODITY_OPTIONS: Readonly<Record<string, { strikeStep: string }>> = {
  CRUDEOIL: { strikeStep: '50' },
  NATURALGAS: { strikeStep: '5' },
  GOLD: { strikeStep: '100' },
  SILVER: { strikeStep: '250' },
};
/** MCX options tick in 0.10 (INR per quotation unit). */
export const COMMODITY_OPTION_TICK = dec('0.10');
/** Implied volatility of reference premiums: the simulated market's for MCX. */
export const COMMODITY_VOLATILITY = 0.22;

/**
 * MCX futures open on `today` and, for the commodities in COMMODITY_OPTIONS, the options written on them (one expiry
 * per future, energy two trading days before it, bullion on the last trading day of the month before), per commodity
 * in expiry order.
 * Strike ladders centre on the near-month future: around its reference price and, as `spotOf` gives it, its price at
 * the day's start.
 */
export function commodityInstruments(today: IsoDate, isHoliday: HolidayRule = isExchangeHoliday, spotOf?: SpotOf): InstrumentDraft[] {
  return commoditySeries(today, isHoliday, spotOf).flatMap((series) => seriesInstruments(series, today));
}

export function commoditySeries(today: IsoDate, isHoliday: HolidayRule = isExchangeHoliday, spotOf?: SpotOf): DerivativeSeries[] {
  return COMMODITIES.map((row) => {
    const futureExpiries =
      row.rule === 'energy'
        ? mcxEnergyExpiries(today, COMMODITY_EXPIRIES, isHoliday)
        : mcxBullionExpiries(today, COMMODITY_EXPIRIES, row.months, isHoliday);
    const options = COMMODITY_OPTIONS[row.base];
    const optionExpiry = row.rule === 'energy' ? mcxEnergyOptionExpiry : mcxBullionOptionExpiry;
    const lotSize = dec(row.lotSize);
    const spot = dec(row.price);
    const series: DerivativeSeries = {
      base: row.base,
      exchange: 'MCX',
      name: row.name,
      reference: spot,
      spot,
      lotSize,
      freezeQuantity: mul(lotSize, dec(COMMODITY_FREEZE_LOTS)),
      strikeStep: dec(options?.strikeStep ?? row.tickSize),
      futureTick: dec(row.tickSize),
      optionTick: COMMODITY_OPTION_TICK,
      volatility: COMMODITY_VOLATILITY,
      futuresFrom: spot,
      futureExpiries,
      optionExpiries: options
        ? futureExpiries.map((expiry) => optionExpiry(expiry, isHoliday)).filter((expiry) => expiry >= today)
        : [],
    };
    return onNearFuture(series, today, spotOf);
  });
}
