// Quote-only indices of NSE and BSE: the underlyings of index derivatives and the market's headline levels.
// Reference levels are approximate closes of late 2025.
import { dec, ONE, ZERO, type Decimal } from '../../domain/decimal.js';
import type { InstrumentDraft } from './draft.js';

export interface IndexRow {
  symbol: string;
  exchange: 'NSE_INDEX' | 'BSE_INDEX';
  name: string;
  level: string;
}

export const INDICES: readonly IndexRow[] = [
  { symbol: 'NIFTY', exchange: 'NSE_INDEX', name: 'Nifty 50', level: '26000' },
  { symbol: 'BANKNIFTY', exchange: 'NSE_INDEX', name: 'Nifty Bank', level: '59000' },
  { symbol: 'FINNIFTY', exchange: 'NSE_INDEX', name: 'Nifty Financial Services', level: '27500' },
  { symbol: 'MIDCPNIFTY', exchange: 'NSE_INDEX', name: 'Nifty Midcap Select', level: '13500' },
  { symbol: 'NIFTYNXT50', exchange: 'NSE_INDEX', name: 'Nifty Next 50', level: '69000' },
  { symbol: 'INDIAVIX', exchange: 'NSE_INDEX', name: 'India VIX', level: '12' },
  { symbol: 'NIFTYIT', exchange: 'NSE_INDEX', name: 'Nifty IT', level: '37000' },
  { symbol: 'NIFTYAUTO', exchange: 'NSE_INDEX', name: 'Nifty Auto', level: '27500' },
  { symbol: 'NIFTYFMCG', exchange: 'NSE_INDEX', name: 'Nifty FMCG', level: '55000' },
  { symbol: 'NIFTYPHARMA', exchange: 'NSE_INDEX', name: 'Nifty Pharma', level: '22500' },
  { symbol: 'NIFTYMETAL', exchange: 'NSE_INDEX', name: 'Nifty Metal', level: '10300' },
  { symbol: 'NIFTYPSUBANK', exchange: 'NSE_INDEX', name: 'Nifty PSU Bank', level: '8200' },
  { symbol: 'SENSEX', exchange: 'BSE_INDEX', name: 'S&P BSE Sensex', level: '85000' },
  { symbol: 'BANKEX', exchange: 'BSE_INDEX', name: 'S&P BSE Bankex', level: '66000' },
  { symbol: 'SENSEX50', exchange: 'BSE_INDEX', name: 'S&P BSE Sensex 50', level: '27000' },
];

/** Index levels are published to two decimals. */
export const INDEX_TICK = dec('0.01');

/** The level of an index by symbol (throws for an unknown index: the derivative tables must match this list). */
export function indexLevel(symbol: string): Decimal {
  const row = INDICES.find((index) => index.symbol === symbol);
  if (!row) throw new RangeError(`no bundled index ${symbol}`);
  return dec(row.level);
}

/** Indices as instruments: lot 1; freeze quantity 0, since no order can be placed on a quote-only exchange. */
export function indexInstruments(): InstrumentDraft[] {
  return INDICES.map((index) => ({
    symbol: index.symbol,
    exchange: index.exchange,
    name: index.name,
    instrumentType: 'INDEX',
    underlying: index.symbol,
    lotSize: ONE,
    tickSize: INDEX_TICK,
    freezeQuantity: ZERO,
    brokerSymbol: index.symbol,
    referencePrice: dec(index.level),
  }));
}
