import { describe, expect, it } from 'vitest';
import { isMultipleOf, toString } from '../../../src/domain/decimal.js';
import { cryptoInstruments } from '../../../src/exchange/instruments/crypto.js';

const instruments = cryptoInstruments();
const find = (symbol: string) => instruments.find((i) => i.symbol === symbol);

describe('crypto perpetuals', () => {
  it('list BTC and ETH perpetuals without expiry, with fractional lot steps', () => {
    const btc = find('BTCUSDFUT');
    expect(btc).toMatchObject({ exchange: 'CRYPTO', instrumentType: 'PERPFUT', underlying: 'BTCUSD' });
    expect(btc?.expiry).toBeUndefined();
    expect(btc && toString(btc.lotSize)).toBe('0.001');
    expect(btc && toString(btc.tickSize)).toBe('0.5');
    expect(btc && toString(btc.referencePrice)).toBe('95000');
    const eth = find('ETHUSDFUT');
    expect(eth && toString(eth.lotSize)).toBe('0.01');
    expect(eth && toString(eth.tickSize)).toBe('0.05');
  });

  it('price every perpetual on its tick and allow at least one lot per order', () => {
    for (const i of instruments) {
      expect(isMultipleOf(i.referencePrice, i.tickSize), i.symbol).toBe(true);
      expect(i.freezeQuantity >= i.lotSize && isMultipleOf(i.freezeQuantity, i.lotSize), i.symbol).toBe(true);
    }
  });
});
