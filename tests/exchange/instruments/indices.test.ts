import { describe, expect, it } from 'vitest';
import { dec, toString } from '../../../src/domain/decimal.js';
import { indexInstruments, indexLevel } from '../../../src/exchange/instruments/indices.js';

const instruments = indexInstruments();
const find = (symbol: string) => instruments.find((i) => i.symbol === symbol);

describe('indices', () => {
  it.each([
    ['NIFTY', 'NSE_INDEX', '26000'],
    ['BANKNIFTY', 'NSE_INDEX', '59000'],
    ['FINNIFTY', 'NSE_INDEX', '27500'],
    ['MIDCPNIFTY', 'NSE_INDEX', '13500'],
    ['NIFTYNXT50', 'NSE_INDEX', '69000'],
    ['INDIAVIX', 'NSE_INDEX', '12'],
    ['SENSEX', 'BSE_INDEX', '85000'],
    ['BANKEX', 'BSE_INDEX', '66000'],
    ['SENSEX50', 'BSE_INDEX', '27000'],
  ])('quotes %s on %s around %s', (symbol, exchange, level) => {
    const index = find(symbol);
    expect(index).toMatchObject({ exchange, instrumentType: 'INDEX', underlying: symbol, brokerSymbol: symbol });
    expect(index && toString(index.referencePrice)).toBe(level);
    expect(index?.lotSize).toBe(dec(1));
  });

  it('takes no orders: freeze quantity 0', () => {
    for (const index of instruments) expect(index.freezeQuantity).toBe(0n);
  });

  it('looks up a level by symbol and refuses an unknown index', () => {
    expect(indexLevel('BANKNIFTY')).toBe(dec(59000));
    expect(() => indexLevel('NOPE')).toThrow(RangeError);
  });
});
