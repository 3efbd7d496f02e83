// MCX commodity futures: energy and bullion contracts with their lot, tick and the expiries open on a given day.
// Reference prices are approximate late-2025 spot levels in INR, carried to each expiry at the risk-free rate.
import { dec, mul } from '../../domain/decimal.js';
import { futureSymbol } from '../../domain/instrument.js';
import type { InstrumentDraft } from './draft.js';
import { mcxBullionExpiries, mcxEnergyExpiries } from './expiry-calendar.js';
import { daysBetween, isExchangeHoliday, type HolidayRule, type IsoDate } from '../../domain/market-calendar.js';
import { futureReferencePrice } from './pricing.js';

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

/** MCX futures open on `today`, per commodity in expiry order. */
export function commodityInstruments(today: IsoDate, isHoliday: HolidayRule = isExchangeHoliday): InstrumentDraft[] {
  return COMMODITIES.flatMap((row) => {
    const expiries =
      row.rule === 'energy'
        ? mcxEnergyExpiries(today, COMMODITY_EXPIRIES, isHoliday)
        : mcxBullionExpiries(today, COMMODITY_EXPIRIES, row.months, isHoliday);
    const lotSize = dec(row.lotSize);
    const tickSize = dec(row.tickSize);
    return expiries.map((expiry): InstrumentDraft => {
      const symbol = futureSymbol(row.base, expiry);
      return {
        symbol,
        exchange: 'MCX',
        name: row.name,
        instrumentType: 'FUT',
        underlying: row.base,
        expiry,
        lotSize,
        tickSize,
        freezeQuantity: mul(lotSize, dec(COMMODITY_FREEZE_LOTS)),
        brokerSymbol: symbol,
        referencePrice: futureReferencePrice(dec(row.price), daysBetween(today, expiry), tickSize),
      };
    });
  });
}
