import { describe, expect, it } from 'vitest';
import { dec, isMultipleOf, toString, type Decimal } from '../../../src/domain/decimal.js';
import type { Instrument } from '../../../src/domain/instrument.js';
import {
  INDEX_DERIVATIVES,
  derivativeInstruments,
  strikesAround,
} from '../../../src/exchange/instruments/derivatives.js';
import { STOCK_DERIVATIVES } from '../../../src/exchange/instruments/equities.js';

const TODAY = '2025-12-01';
const instruments = derivativeInstruments(TODAY);
const bySymbol = new Map(instruments.map((i) => [`${i.exchange}:${i.symbol}`, i]));
const find = (symbol: string, exchange: 'NFO' | 'BFO') => bySymbol.get(`${exchange}:${symbol}`);
const of = (underlying: string, type: Instrument['instrumentType']) =>
  instruments.filter((i) => i.underlying === underlying && i.instrumentType === type);
const expiriesOf = (underlying: string, type: Instrument['instrumentType']) => [...new Set(of(underlying, type).map((i) => i.expiry))];
const text = (value: Decimal | undefined) => (value === undefined ? undefined : toString(value));

describe('index futures', () => {
  it('list the next three monthly expiries in OpenAlgo symbology', () => {
    expect(of('NIFTY', 'FUT').map((i) => i.symbol)).toEqual(['NIFTY30DEC25FUT', 'NIFTY27JAN26FUT', 'NIFTY24FEB26FUT']);
    expect(of('SENSEX', 'FUT').map((i) => i.symbol)).toEqual(['SENSEX24DEC25FUT', 'SENSEX29JAN26FUT', 'SENSEX26FEB26FUT']);
    expect(find('BANKEX24DEC25FUT', 'BFO')).toBeDefined();
  });

  it('describe NIFTY30DEC25FUT', () => {
    const future = find('NIFTY30DEC25FUT', 'NFO');
    expect(future).toMatchObject({ instrumentType: 'FUT', underlying: 'NIFTY', expiry: '2025-12-30', brokerSymbol: 'NIFTY30DEC25FUT' });
    expect(future?.strike).toBeUndefined();
    expect(text(future?.lotSize)).toBe('65');
    expect(text(future?.freezeQuantity)).toBe('1800');
    expect(text(future?.tickSize)).toBe('0.1');
    // 26000 × (1 + 0.065 × 29 / 365) = 26134.27…
    expect(text(future?.referencePrice)).toBe('26134.3');
  });

  it.each([
    ['BANKNIFTY30DEC25FUT', 'NFO', '30', '900'],
    ['FINNIFTY30DEC25FUT', 'NFO', '60', '1800'],
    ['MIDCPNIFTY30DEC25FUT', 'NFO', '120', '2800'],
    ['SENSEX24DEC25FUT', 'BFO', '20', '1000'],
    ['BANKEX24DEC25FUT', 'BFO', '30', '900'],
  ] as const)('give %s a lot of %s and a freeze of %s', (symbol, exchange, lot, freeze) => {
    const future = find(symbol, exchange);
    expect(text(future?.lotSize)).toBe(lot);
    expect(text(future?.freezeQuantity)).toBe(freeze);
  });
});

describe('index options', () => {
  it('list NIFTY on four weeklies and three monthlies', () => {
    expect(expiriesOf('NIFTY', 'CE')).toEqual(['2025-12-02', '2025-12-09', '2025-12-16', '2025-12-23', '2025-12-30', '2026-01-27', '2026-02-24']);
    expect(of('NIFTY', 'CE')).toHaveLength(7 * 41);
    expect(of('NIFTY', 'PE')).toHaveLength(7 * 41);
  });

  it('count a weekly that is also the monthly once', () => {
    const later = derivativeInstruments('2025-12-16').filter((i) => i.underlying === 'NIFTY' && i.instrumentType === 'CE');
    expect([...new Set(later.map((i) => i.expiry))]).toEqual(['2025-12-16', '2025-12-23', '2025-12-30', '2026-01-06', '2026-01-27', '2026-02-24']);
  });

  it('list BANKNIFTY, FINNIFTY and MIDCPNIFTY on three monthlies, SENSEX on two weeklies and two monthlies, BANKEX on none', () => {
    for (const base of ['BANKNIFTY', 'FINNIFTY', 'MIDCPNIFTY']) expect(expiriesOf(base, 'PE')).toEqual(['2025-12-30', '2026-01-27', '2026-02-24']);
    expect(expiriesOf('SENSEX', 'CE')).toEqual(['2025-12-04', '2025-12-11', '2025-12-24', '2026-01-29']);
    expect(of('SENSEX', 'CE').every((i) => i.exchange === 'BFO')).toBe(true);
    expect(of('BANKEX', 'CE')).toHaveLength(0);
  });

  it('put twenty strikes each side of the money at the standard step', () => {
    const strikes = (base: string) => of(base, 'CE').filter((i) => i.expiry === '2025-12-30').map((i) => text(i.strike));
    expect(strikes('NIFTY')).toHaveLength(41);
    expect(strikes('NIFTY')[0]).toBe('25000');
    expect(strikes('NIFTY')[40]).toBe('27000');
    expect(strikes('BANKNIFTY')[0]).toBe('57000');
    expect(strikes('MIDCPNIFTY').slice(0, 2)).toEqual(['13000', '13025']);
  });

  it('describe NIFTY30DEC2526000CE', () => {
    const call = find('NIFTY30DEC2526000CE', 'NFO');
    expect(call).toMatchObject({ instrumentType: 'CE', underlying: 'NIFTY', expiry: '2025-12-30', name: 'NIFTY' });
    expect(text(call?.strike)).toBe('26000');
    expect(text(call?.tickSize)).toBe('0.05');
    expect(text(call?.lotSize)).toBe('65');
    expect(find('NIFTY30DEC2526000PE', 'NFO')?.instrumentType).toBe('PE');
  });

  it('make calls cheaper and puts dearer as the strike rises', () => {
    const premium = (symbol: string) => find(symbol, 'NFO')?.referencePrice ?? 0n;
    expect(premium('NIFTY30DEC2525500CE') > premium('NIFTY30DEC2526000CE')).toBe(true);
    expect(premium('NIFTY30DEC2526000CE') > premium('NIFTY30DEC2526500CE')).toBe(true);
    expect(premium('NIFTY30DEC2525500PE') < premium('NIFTY30DEC2526000PE')).toBe(true);
  });
});

describe('stock derivatives', () => {
  it('list futures and options of the twenty F&O stocks on three monthlies', () => {
    for (const base of Object.keys(STOCK_DERIVATIVES)) {
      expect(expiriesOf(base, 'FUT'), base).toEqual(['2025-12-30', '2026-01-27', '2026-02-24']);
      expect(expiriesOf(base, 'CE'), base).toEqual(['2025-12-30', '2026-01-27', '2026-02-24']);
    }
  });

  it('give a future its share’s lot, twenty lots of freeze and the cash-market tick', () => {
    const sbin = find('SBIN30DEC25FUT', 'NFO');
    expect(text(sbin?.lotSize)).toBe('750');
    expect(text(sbin?.freezeQuantity)).toBe('15000');
    expect(text(sbin?.tickSize)).toBe('0.05');
    // 960 × (1 + 0.065 × 29 / 365) = 964.957…
    expect(text(sbin?.referencePrice)).toBe('964.95');
    expect(text(find('RELIANCE30DEC25FUT', 'NFO')?.tickSize)).toBe('0.1');
    expect(text(find('RELIANCE30DEC25FUT', 'NFO')?.lotSize)).toBe('500');
    expect(text(find('INFY30DEC25FUT', 'NFO')?.lotSize)).toBe('400');
  });

  it('print strikes without a trailing .0 but keep real decimals', () => {
    expect(text(find('WIPRO30DEC25247.5CE', 'NFO')?.strike)).toBe('247.5');
    expect(text(find('WIPRO30DEC25245CE', 'NFO')?.strike)).toBe('245');
    expect(find('WIPRO30DEC25245.0CE', 'NFO')).toBeUndefined();
    expect(find('M&M30DEC253700CE', 'NFO')).toBeDefined();
  });
});

describe('every derivative', () => {
  const steps = new Map<string, Decimal>([
    ...INDEX_DERIVATIVES.map((t) => [t.base, dec(t.strikeStep)] as const),
    ...Object.entries(STOCK_DERIVATIVES).map(([base, t]) => [base, dec(t.strikeStep)] as const),
  ]);

  it('is priced at a positive multiple of its tick', () => {
    for (const i of instruments) {
      expect(i.referencePrice > 0n, i.symbol).toBe(true);
      expect(isMultipleOf(i.referencePrice, i.tickSize), i.symbol).toBe(true);
    }
  });

  it('has a strike on its underlying’s step exactly when it is an option', () => {
    for (const i of instruments) {
      const step = steps.get(i.underlying);
      if (i.instrumentType === 'FUT') expect(i.strike, i.symbol).toBeUndefined();
      else expect(step !== undefined && i.strike !== undefined && i.strike > 0n && isMultipleOf(i.strike, step), i.symbol).toBe(true);
    }
  });

  it('expires on or after today and has a unique symbol', () => {
    expect(instruments.every((i) => i.expiry !== undefined && i.expiry >= TODAY)).toBe(true);
    expect(bySymbol.size).toBe(instruments.length);
  });
});

describe('strikesAround', () => {
  it('centres on the step nearest the spot', () => {
    expect(strikesAround(dec('246.3'), dec('2.5'), 2).map(toString)).toEqual(['242.5', '245', '247.5', '250', '252.5']);
  });

  it('leaves out strikes that would not be positive', () => {
    expect(strikesAround(dec(7), dec(5), 2).map(toString)).toEqual(['5', '10', '15']);
  });
});
