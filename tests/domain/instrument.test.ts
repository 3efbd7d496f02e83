import { describe, expect, it } from 'vitest';
import { dec, toString } from '../../src/domain/decimal.js';
import { freezeSlices } from '../../src/domain/instrument.js';

const slices = (quantity: number, lot: number, freeze: number) =>
  freezeSlices(dec(quantity), { lotSize: dec(lot), freezeQuantity: dec(freeze) }).map(toString);

describe('freeze-quantity slicing', () => {
  it('cuts NIFTY 3900 (lot 65, freeze 1800) into whole-lot slices of 1755 and the rest', () => {
    expect(slices(3900, 65, 1800)).toEqual(['1755', '1755', '390']);
  });

  it('keeps a quantity within the limit whole', () => {
    expect(slices(100, 1, 5000)).toEqual(['100']);
    expect(slices(1800, 75, 1800)).toEqual(['1800']);
  });

  it('falls back to one lot per order when the freeze limit is below a lot', () => {
    expect(slices(150, 75, 50)).toEqual(['75', '75']);
  });
});
