import { describe, expect, it } from 'vitest';
import { ZERO, isMultipleOf, toString } from '../../../src/domain/decimal.js';
import { commodityInstruments } from '../../../src/exchange/instruments/commodities.js';

const TODAY = '2026-11-24';
const instruments = commodityInstruments(TODAY);
const find = (symbol: string) => instruments.find((i) => i.symbol === symbol);
const symbolsOf = (base: string) => instruments.filter((i) => i.underlying === base).map((i) => i.symbol);

describe('MCX futures', () => {
  it('list energy contracts on the trading day on or before the 19th', () => {
    expect(symbolsOf('CRUDEOIL')).toEqual(['CRUDEOIL18DEC26FUT', 'CRUDEOIL19JAN27FUT', 'CRUDEOIL19FEB27FUT']);
    expect(symbolsOf('CRUDEOILM')).toEqual(['CRUDEOILM18DEC26FUT', 'CRUDEOILM19JAN27FUT', 'CRUDEOILM19FEB27FUT']);
    expect(symbolsOf('NATURALGAS')).toEqual(['NATURALGAS18DEC26FUT', 'NATURALGAS19JAN27FUT', 'NATURALGAS19FEB27FUT']);
  });

  it('list bullion on the 5th of its contract months', () => {
    expect(symbolsOf('GOLD')).toEqual(['GOLD04DEC26FUT', 'GOLD05FEB27FUT', 'GOLD05APR27FUT']);
    expect(symbolsOf('GOLDM')).toEqual(['GOLDM04DEC26FUT', 'GOLDM05JAN27FUT', 'GOLDM05FEB27FUT']);
    expect(symbolsOf('SILVER')).toEqual(['SILVER04DEC26FUT', 'SILVER05MAR27FUT', 'SILVER05MAY27FUT']);
    expect(symbolsOf('SILVERM')).toEqual(['SILVERM04DEC26FUT', 'SILVERM05JAN27FUT', 'SILVERM05FEB27FUT']);
  });

  it.each([
    ['CRUDEOIL18DEC26FUT', '100', '1', '10000'],
    ['CRUDEOILM18DEC26FUT', '10', '1', '1000'],
    ['NATURALGAS18DEC26FUT', '1250', '0.1', '125000'],
    ['GOLD04DEC26FUT', '1', '1', '100'],
    ['SILVER04DEC26FUT', '1', '1', '100'],
  ])('give %s lot %s, tick %s and freeze %s', (symbol, lot, tick, freeze) => {
    const future = find(symbol);
    expect(future).toMatchObject({ exchange: 'MCX', instrumentType: 'FUT', brokerSymbol: symbol });
    expect(future && toString(future.lotSize)).toBe(lot);
    expect(future && toString(future.tickSize)).toBe(tick);
    expect(future && toString(future.freezeQuantity)).toBe(freeze);
  });

  it('carry the spot to expiry at 6.5% a year', () => {
    // 5300 × (1 + 0.065 × 24 / 365) = 5322.65…; 130000 × (1 + 0.065 × 10 / 365) = 130231.5…
    expect(toString(find('CRUDEOIL18DEC26FUT')?.referencePrice ?? ZERO)).toBe('5323');
    expect(toString(find('GOLD04DEC26FUT')?.referencePrice ?? ZERO)).toBe('130232');
  });

  it('price every contract at a positive multiple of its tick', () => {
    for (const i of instruments) {
      expect(i.referencePrice > 0n && isMultipleOf(i.referencePrice, i.tickSize), i.symbol).toBe(true);
    }
  });
});
