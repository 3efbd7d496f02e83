import { describe, expect, it } from 'vitest';
import { isMultipleOf, toString } from '../../../src/domain/decimal.js';
import { currencyInstruments } from '../../../src/exchange/instruments/currencies.js';

const instruments = currencyInstruments('2026-11-24');
const find = (symbol: string) => instruments.find((i) => i.symbol === symbol);

describe('CDS futures', () => {
  it('list every pair on the next three expiries', () => {
    for (const base of ['USDINR', 'EURINR', 'GBPINR', 'JPYINR']) {
      expect(instruments.filter((i) => i.underlying === base && i.instrumentType === 'FUT').map((i) => i.symbol)).toEqual([
        `${base}26NOV26FUT`,
        `${base}29DEC26FUT`,
        `${base}27JAN27FUT`,
      ]);
    }
  });

  it('describe USDINR26NOV26FUT', () => {
    const future = find('USDINR26NOV26FUT');
    expect(future).toMatchObject({ exchange: 'CDS', instrumentType: 'FUT', underlying: 'USDINR', expiry: '2026-11-26' });
    expect(future && toString(future.lotSize)).toBe('1000');
    expect(future && toString(future.tickSize)).toBe('0.0025');
    expect(future && toString(future.freezeQuantity)).toBe('10000000');
    // 88.5 × (1 + 0.025 × 2 / 365) = 88.5121…, nearest 0.0025
    expect(future && toString(future.referencePrice)).toBe('88.5125');
  });

  it('price every contract at a positive multiple of its tick', () => {
    for (const i of instruments) {
      expect(i.referencePrice > 0n && isMultipleOf(i.referencePrice, i.tickSize), i.symbol).toBe(true);
    }
  });
});

describe('CDS options', () => {
  const options = instruments.filter((i) => i.instrumentType === 'CE' || i.instrumentType === 'PE');

  it('are listed on USDINR alone, expiring with its futures', () => {
    expect([...new Set(options.map((i) => i.underlying))]).toEqual(['USDINR']);
    expect([...new Set(options.map((i) => i.expiry))]).toEqual(['2026-11-26', '2026-12-29', '2027-01-27']);
  });

  it('list 83.5 to 93.5 a quarter rupee apart, strikes printed as they are', () => {
    const strikes = options.filter((i) => i.expiry === '2026-12-29' && i.instrumentType === 'CE').map((i) => toString(i.strike!));
    expect(strikes).toHaveLength(41);
    expect(strikes.slice(0, 5)).toEqual(['83.5', '83.75', '84', '84.25', '84.5']);
    expect(strikes.at(-1)).toBe('93.5');
    expect(find('USDINR29DEC2684CE')).toMatchObject({ exchange: 'CDS', instrumentType: 'CE', underlying: 'USDINR' });
    expect(find('USDINR29DEC2684.25PE')).toMatchObject({ exchange: 'CDS', instrumentType: 'PE', underlying: 'USDINR' });
  });

  it('describe USDINR26NOV2688.5CE: lot 1000, tick 0.0025, the future\'s freeze quantity', () => {
    const option = find('USDINR26NOV2688.5CE');
    expect(option).toMatchObject({ exchange: 'CDS', name: 'US Dollar / Indian Rupee', expiry: '2026-11-26', brokerSymbol: 'USDINR26NOV2688.5CE' });
    expect(option && toString(option.lotSize)).toBe('1000');
    expect(option && toString(option.tickSize)).toBe('0.0025');
    expect(option && toString(option.freezeQuantity)).toBe('10000000');
    expect(option && toString(option.referencePrice)).toBe('0.18');
  });
});
