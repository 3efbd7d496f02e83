// How each kind of instrument trades in the simulated market: volatility, spread in ticks and the sizes of its book
// and its trades. One table, so the numbers that make the market realistic live in one place.
import { toNumber } from '../../domain/decimal.js';
import { INDEX_EXCHANGES, type Instrument, isOption } from '../../domain/instrument.js';

export type MarketClass = 'index' | 'equity' | 'future' | 'option' | 'crypto';

export interface MarketProfile {
  kind: MarketClass;
  /** Annual volatility of the instrument's own price process (and the implied volatility of options on it). */
  annualVolatility: number;
  /** Ticks from the last price to the best bid and to the best ask (the half-spread) in a quiet market. */
  halfSpreadTicks: number;
  /** Mean lots resting at the best level of a walking market's book. */
  levelLots: number;
  /** Mean lots of one trade print (0: the instrument does not trade, e.g. an index). */
  tradeLots: number;
  /** Lots per level step of a frozen market's fixed ladder: level n (1-based) holds n × this. */
  frozenLevelLots: number;
}

/** Cash equity (INR) resting at the best level, and traded per print, in a walking market. */
const EQUITY_LEVEL_NOTIONAL = 500_000;
const EQUITY_TRADE_NOTIONAL = 75_000;
/** Crypto (USD) resting at the best level, and traded per print. */
const CRYPTO_LEVEL_NOTIONAL = 50_000;
const CRYPTO_TRADE_NOTIONAL = 2_000;
/** Bound on sizes derived from value, for instruments with a zero or absurd reference price. */
const MAX_LOTS = 1_000_000;

export function marketClass(instrument: Instrument): MarketClass {
  if (instrument.exchange === 'CRYPTO') return 'crypto';
  if (isOption(instrument)) return 'option';
  if (instrument.instrumentType === 'INDEX' || INDEX_EXCHANGES.has(instrument.exchange)) return 'index';
  if (instrument.instrumentType === 'EQ') return 'equity';
  return 'future';
}

export function marketProfile(instrument: Instrument): MarketProfile {
  const kind = marketClass(instrument);
  const price = Math.max(toNumber(instrument.referencePrice), toNumber(instrument.tickSize), Number.MIN_VALUE);
  const lot = Math.max(toNumber(instrument.lotSize), Number.MIN_VALUE);
  const lotsFor = (notional: number): number => Math.min(MAX_LOTS, Math.max(1, Math.round(notional / price / lot)));
  switch (kind) {
    case 'index':
      return { kind, annualVolatility: 0.14, halfSpreadTicks: 1, levelLots: lotsFor(EQUITY_LEVEL_NOTIONAL), tradeLots: 0, frozenLevelLots: 100 };
    case 'equity':
      return {
        kind,
        annualVolatility: 0.2 + 0.1 * symbolFraction(instrument.symbol),
        halfSpreadTicks: 1,
        levelLots: lotsFor(EQUITY_LEVEL_NOTIONAL),
        tradeLots: lotsFor(EQUITY_TRADE_NOTIONAL),
        frozenLevelLots: 100,
      };
    case 'crypto':
      return {
        kind,
        annualVolatility: 0.6,
        halfSpreadTicks: 1,
        levelLots: lotsFor(CRYPTO_LEVEL_NOTIONAL),
        tradeLots: lotsFor(CRYPTO_TRADE_NOTIONAL),
        frozenLevelLots: 100,
      };
    case 'future':
      return { kind, annualVolatility: futureVolatility(instrument), halfSpreadTicks: 1, levelLots: 8, tradeLots: 2, frozenLevelLots: 10 };
    case 'option':
      // An option's own walk is only a fallback when no underlying is known; options normally follow Black-Scholes.
      return { kind, annualVolatility: 0.8, halfSpreadTicks: 2, levelLots: 12, tradeLots: 3, frozenLevelLots: 10 };
  }
}

// Futures that walk on their own (no underlying): commodities and currencies.
function futureVolatility(instrument: Instrument): number {
  if (instrument.exchange === 'MCX' || instrument.exchange === 'NCDEX' || instrument.exchange === 'NCO') return 0.22;
  if (instrument.exchange === 'CDS' || instrument.exchange === 'BCD') return 0.06;
  return 0.25;
}

// A stable number in [0, 1) from a symbol (FNV-1a), so each stock keeps its own volatility whatever the seed.
function symbolFraction(symbol: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < symbol.length; i++) h = Math.imul(h ^ symbol.charCodeAt(i), 0x01000193);
  return (h >>> 0) / 0x1_0000_0000;
}
