// Small builders for the market tests: instruments of each kind, a clock at a known IST instant, simulators.
import { ManualClock } from '../../../src/domain/clock.js';
import { dec } from '../../../src/domain/decimal.js';
import type { Instrument } from '../../../src/domain/instrument.js';
import { MarketSimulator, type MarketOptions } from '../../../src/exchange/market/market-simulator.js';
import { equity as baseEquity } from '../builders.js';

export function equity(symbol = 'SBIN', overrides: Partial<Instrument> = {}): Instrument {
  return baseEquity(symbol, { referencePrice: dec(800), ...overrides });
}

export function index(symbol = 'NIFTY', overrides: Partial<Instrument> = {}): Instrument {
  return equity(symbol, {
    exchange: 'NSE_INDEX',
    instrumentType: 'INDEX',
    brokerSymbol: symbol,
    referencePrice: dec(25000),
    ...overrides,
  });
}

export function future(symbol = 'NIFTY30DEC25FUT', overrides: Partial<Instrument> = {}): Instrument {
  return equity(symbol, {
    exchange: 'NFO',
    instrumentType: 'FUT',
    underlying: 'NIFTY',
    expiry: '2025-12-30',
    lotSize: dec(75),
    tickSize: dec('0.10'),
    freezeQuantity: dec(1800),
    brokerSymbol: symbol,
    referencePrice: dec(25100),
    ...overrides,
  });
}

export function option(right: 'CE' | 'PE', strike: string, overrides: Partial<Instrument> = {}): Instrument {
  return future(`NIFTY30DEC25${strike}${right}`, {
    instrumentType: right,
    strike: dec(strike),
    tickSize: dec('0.05'),
    referencePrice: dec(120),
    ...overrides,
  });
}

export function crypto(symbol = 'BTCUSDFUT', overrides: Partial<Instrument> = {}): Instrument {
  return equity(symbol, {
    exchange: 'CRYPTO',
    instrumentType: 'PERPFUT',
    underlying: 'BTC',
    lotSize: dec('0.001'),
    tickSize: dec('0.5'),
    freezeQuantity: dec(100),
    brokerSymbol: symbol,
    referencePrice: dec(100000),
    ...overrides,
  });
}

/** 2025-12-01 10:00:00 IST, a Monday inside the session. */
export const MONDAY_10AM = Date.parse('2025-12-01T10:00:00+05:30');
export const IST_MIDNIGHT_DEC_1 = Date.parse('2025-12-01T00:00:00+05:30');

/** Derivatives of NIFTY are priced from the index; everything else walks on its own. */
export const niftyUnderlying = (i: Instrument): Instrument | undefined =>
  i.underlying === 'NIFTY' && i.instrumentType !== 'INDEX' ? index() : undefined;

/** A simulator (seed 7 unless told) on a manual clock starting at `at` (default Monday 10:00 IST). */
export function market(
  options: Partial<Omit<MarketOptions, 'clock'>> & { at?: number } = {},
): { market: MarketSimulator; clock: ManualClock } {
  const { at = MONDAY_10AM, ...rest } = options;
  const clock = new ManualClock(at);
  return { market: new MarketSimulator({ seed: 7, clock, ...rest }), clock };
}
