// Crypto perpetual futures (OpenAlgo's CRYPTO exchange): no expiry, prices in USD, fractional quantities.
import { dec } from '../../domain/decimal.js';
import type { InstrumentDraft } from './draft.js';

export interface PerpetualRow {
  /** OpenAlgo symbol, `<PAIR>FUT`. */
  symbol: string;
  /** The pair, e.g. `BTCUSD`. */
  underlying: string;
  name: string;
  price: string;
  tickSize: string;
  /** Smallest quantity step (and smallest order). */
  lotSize: string;
  /** Largest quantity per order: about USD 10 million at the reference price. */
  freezeQuantity: string;
}

export const PERPETUALS: readonly PerpetualRow[] = [
  { symbol: 'BTCUSDFUT', underlying: 'BTCUSD', name: 'Bitcoin perpetual', price: '95000', tickSize: '0.5', lotSize: '0.001', freezeQuantity: '100' },
  { symbol: 'ETHUSDFUT', underlying: 'ETHUSD', name: 'Ether perpetual', price: '3200', tickSize: '0.05', lotSize: '0.01', freezeQuantity: '3000' },
  { symbol: 'SOLUSDFUT', underlying: 'SOLUSD', name: 'Solana perpetual', price: '140', tickSize: '0.01', lotSize: '0.1', freezeQuantity: '70000' },
  { symbol: 'XRPUSDFUT', underlying: 'XRPUSD', name: 'XRP perpetual', price: '2.2', tickSize: '0.0001', lotSize: '1', freezeQuantity: '4000000' },
];

export function cryptoInstruments(): InstrumentDraft[] {
  return PERPETUALS.map((row) => ({
    symbol: row.symbol,
    exchange: 'CRYPTO',
    name: row.name,
    instrumentType: 'PERPFUT',
    underlying: row.underlying,
    lotSize: dec(row.lotSize),
    tickSize: dec(row.tickSize),
    freezeQuantity: dec(row.freezeQuantity),
    brokerSymbol: row.symbol,
    referencePrice: dec(row.price),
  }));
}
