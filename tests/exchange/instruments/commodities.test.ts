import { describe, expect, it } from 'vitest';
import { ZERO, dec, isMultipleOf, toString } from '../../../src/domain/decimal.js';
import { daysBetween } from '../../../src/domain/market-calendar.js';
import { commodityInstruments } from '../../../src/exchange/instruments/commodities.js';
import { optionReferencePrice } from '../../../src/exchange/instruments/pricing.js';

const TODAY = '2026-11-24';
const instruments = commodityInstruments(TODAY);
const find = (symbol: string) => instruments.find((i) => i.symbol === symbol);
const symbolsOf = (base: string) => instruments.filter((i) => i.underlying === base && i.instrumentType === 'FUT').map((i) => i.symbol);
const optionsOf = (base: string) => instruments.filter((i) => i.underlying === base && i.instrumentType !== 'FUT');
const optionExpiriesOf = (base: string) => [...new Set(optionsOf(base).map((i) => i.expiry))];
const strikesOf = (base: string, expiry: string) =>
  optionsOf(base).filter((i) => i.expiry === expiry && i.instrumentType === 'CE').map((i) => toString(i.strike ?? ZERO));
const range = (from: number, to: number, step: number) =>
  Array.from({ length: Math.round((to - from) / step) + 1 }, (_, k) => String(from + k * step));

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

describe('MCX options', () => {
  it('expire two trading days before their energy future and on the last trading day of the month before their bullion future', () => {
    // CRUDEOIL18DEC26FUT → Wed 16 Dec; 19JAN27 (Tue) → Fri 15 Jan; 19FEB27 (Fri) → Wed 17 Feb.
    expect(optionExpiriesOf('CRUDEOIL')).toEqual(['2026-12-16', '2027-01-15', '2027-02-17']);
    expect(optionExpiriesOf('NATURALGAS')).toEqual(['2026-12-16', '2027-01-15', '2027-02-17']);
    // GOLD04DEC26FUT → Mon 30 Nov; 05FEB27 → Fri 29 Jan (the 30th and 31st a weekend); 05APR27 → Wed 31 Mar.
    expect(optionExpiriesOf('GOLD')).toEqual(['2026-11-30', '2027-01-29', '2027-03-31']);
    expect(optionExpiriesOf('SILVER')).toEqual(['2026-11-30', '2027-02-26', '2027-04-30']);
  });

  it('are not listed on the minis', () => {
    for (const base of ['CRUDEOILM', 'GOLDM', 'SILVERM']) expect(optionsOf(base)).toEqual([]);
  });

  it('drop a bullion option once it expired while its future still trades', () => {
    const december = commodityInstruments('2026-12-01').filter((i) => i.underlying === 'GOLD');
    expect(december.some((i) => i.symbol === 'GOLD04DEC26FUT')).toBe(true);
    expect([...new Set(december.filter((i) => i.instrumentType === 'CE').map((i) => i.expiry))]).toEqual(['2027-01-29', '2027-03-31']);
  });

  it.each([
    ['CRUDEOIL', '2026-12-16', 4300, 6300, 50],
    ['NATURALGAS', '2027-01-15', 300, 500, 5],
    // Around the near-month future: GOLD04DEC26FUT at 130,232 and SILVER04DEC26FUT at 160,285.
    ['GOLD', '2026-11-30', 128_200, 132_200, 100],
    ['SILVER', '2027-02-26', 155_250, 165_250, 250],
  ])('list %s %s strikes %i to %i a step of %i apart, CE and PE', (base, expiry, from, to, step) => {
    expect(strikesOf(base, expiry)).toEqual(range(from, to, step));
    expect(optionsOf(base).filter((i) => i.expiry === expiry && i.instrumentType === 'PE')).toHaveLength(41);
  });

  it.each([
    ['CRUDEOIL16DEC265300CE', 'CRUDEOIL', 'Crude Oil (per barrel)', '100', '10000'],
    ['NATURALGAS15JAN27400PE', 'NATURALGAS', 'Natural Gas (per mmBtu)', '1250', '125000'],
    ['GOLD29JAN27130200CE', 'GOLD', 'Gold (per 10 g)', '1', '100'],
    ['SILVER30NOV26160250PE', 'SILVER', 'Silver (per kg)', '1', '100'],
  ])('describe %s: one lot of its future, tick 0.10', (symbol, underlying, name, lot, freeze) => {
    const option = find(symbol);
    expect(option).toMatchObject({ exchange: 'MCX', underlying, name, brokerSymbol: symbol, instrumentType: symbol.slice(-2) });
    expect(option && toString(option.lotSize)).toBe(lot);
    expect(option && toString(option.tickSize)).toBe('0.1');
    expect(option && toString(option.freezeQuantity)).toBe(freeze);
  });

  it('price each option by Black-Scholes on the future of its month at 22% volatility', () => {
    const future = find('CRUDEOIL19JAN27FUT')!;
    const call = find('CRUDEOIL15JAN275300CE')!;
    expect(toString(call.referencePrice)).toBe(
      toString(optionReferencePrice(future.referencePrice, dec('5300'), daysBetween(TODAY, '2027-01-15'), 0.22, 'CE', dec('0.1'))),
    );
    expect(toString(call.referencePrice)).toBe('231.2');
  });
});
