import { describe, expect, it } from 'vitest';
import { dec, isMultipleOf, toString } from '../../../src/domain/decimal.js';
import {
  EQUITIES,
  NSE_ONLY,
  STOCK_DERIVATIVES,
  equityFreezeQuantity,
  equityInstruments,
  equityTickSize,
} from '../../../src/exchange/instruments/equities.js';

const instruments = equityInstruments();
const onNse = instruments.filter((i) => i.exchange === 'NSE');
const onBse = instruments.filter((i) => i.exchange === 'BSE');
const find = (symbol: string, exchange: 'NSE' | 'BSE') => instruments.find((i) => i.symbol === symbol && i.exchange === exchange);

describe('the equity list', () => {
  it('holds at least 150 distinct NSE equities', () => {
    expect(new Set(EQUITIES.map(([symbol]) => symbol)).size).toBe(EQUITIES.length);
    expect(onNse.length).toBe(EQUITIES.length);
    expect(onNse.length).toBeGreaterThanOrEqual(150);
  });

  it.each(['RELIANCE', 'SBIN', 'INFY', 'ITC', 'SAIL', 'IDEA', 'YESBANK', 'TATAMOTORS', 'HDFCBANK', 'TCS'])(
    'lists %s on NSE as <SYMBOL>-EQ and on BSE under its own symbol',
    (symbol) => {
      expect(find(symbol, 'NSE')?.brokerSymbol).toBe(`${symbol}-EQ`);
      expect(find(symbol, 'BSE')?.brokerSymbol).toBe(symbol);
    },
  );

  it('lists every equity on BSE except the NSE-only ones', () => {
    expect(onBse.length).toBe(EQUITIES.length - NSE_ONLY.size);
    expect(find('BSE', 'NSE')).toBeDefined();
    expect(find('BSE', 'BSE')).toBeUndefined();
  });

  it('has F&O terms for twenty listed stocks', () => {
    const symbols = Object.keys(STOCK_DERIVATIVES);
    expect(symbols).toHaveLength(20);
    for (const symbol of symbols) expect(find(symbol, 'NSE')).toBeDefined();
    expect(STOCK_DERIVATIVES.RELIANCE).toEqual({ lotSize: '500', strikeStep: '10' });
    expect(STOCK_DERIVATIVES.SBIN).toEqual({ lotSize: '750', strikeStep: '5' });
    expect(STOCK_DERIVATIVES.INFY).toEqual({ lotSize: '400', strikeStep: '20' });
  });
});

describe('equityTickSize', () => {
  it.each([
    ['10.5', '0.01'],
    ['249.99', '0.01'],
    ['250', '0.05'],
    ['999.95', '0.05'],
    ['1000', '0.1'],
    ['4999.9', '0.1'],
    ['5000', '0.5'],
    ['10000', '1'],
    ['20000', '5'],
    ['155000', '5'],
  ])('ticks a share at ₹%s in %s', (price, tick) => {
    expect(toString(equityTickSize(dec(price)))).toBe(tick);
  });
});

describe('equityFreezeQuantity', () => {
  it('caps an order at ₹10 crore of value in whole shares', () => {
    expect(toString(equityFreezeQuantity(dec(960)))).toBe('104166');
    expect(toString(equityFreezeQuantity(dec('10.5')))).toBe('9523809');
    expect(toString(equityFreezeQuantity(dec(155000)))).toBe('645');
  });

  it('never goes below one share', () => {
    expect(toString(equityFreezeQuantity(dec(200_000_000)))).toBe('1');
  });
});

describe('equity instruments', () => {
  it('describe SBIN on NSE', () => {
    const sbin = find('SBIN', 'NSE');
    expect(sbin).toMatchObject({ name: 'State Bank of India', instrumentType: 'EQ', underlying: 'SBIN' });
    expect(sbin && toString(sbin.lotSize)).toBe('1');
    expect(sbin && toString(sbin.tickSize)).toBe('0.05');
    expect(sbin && toString(sbin.referencePrice)).toBe('960');
    expect(sbin?.expiry).toBeUndefined();
    expect(sbin?.strike).toBeUndefined();
  });

  it('price every equity at a positive multiple of its tick, with lot 1', () => {
    for (const i of instruments) {
      expect(i.referencePrice > 0n, i.symbol).toBe(true);
      expect(isMultipleOf(i.referencePrice, i.tickSize), i.symbol).toBe(true);
      expect(i.lotSize).toBe(dec(1));
    }
  });
});
