import { describe, expect, it } from 'vitest';
import { dec, toString } from '../../src/domain/decimal.js';
import { splitQuantities } from '../../src/core/split-order.js';

const split = (total: number | string, size: number) => splitQuantities(dec(total), dec(size)).map(toString);

describe('split quantities', () => {
  it('105 in 20s is five full children then the remainder', () => {
    expect(split(105, 20)).toEqual(['20', '20', '20', '20', '20', '5']);
  });

  it('an exact multiple has no remainder child, and a size above the total is one order', () => {
    expect(split(100, 25)).toEqual(['25', '25', '25', '25']);
    expect(split(7, 50)).toEqual(['7']);
  });

  it('allows 100 children and refuses 101', () => {
    expect(split(2000, 20)).toHaveLength(100);
    expect(() => split(2001, 20)).toThrow('Total number of orders would exceed maximum limit of 100');
  });

  it('splits fractional crypto quantities exactly', () => {
    expect(split('2.5', 1)).toEqual(['1', '1', '0.5']);
  });
});
