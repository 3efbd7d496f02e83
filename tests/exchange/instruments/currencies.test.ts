import { describe, expect, it } from 'vitest';
import { isMultipleOf, toString } from '../../../src/domain/decimal.js';
import { currencyInstruments } from '../../../src/exchange/instruments/currencies.js';

const instruments = currencyInstruments('2026-11-24');
const find = (symbol: string) => instruments.find((i) => i.symbol === symbol);

describe('CDS futures', () => {
  it('list every pair on the next three expiries', () => {
    for (const base of ['USDINR', 'EURINR', 'GBPINR', 'JPYINR']) {
      expect(instruments.filter((i) => i.underlying === base).map((i) => i.symbol)).toEqual([
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
