import { describe, expect, it } from 'vitest';
import { normalCdf, normalPdf } from '../../src/domain/normal-distribution.js';

describe('normal CDF', () => {
  it('matches tabulated values', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517796, 12);
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 12);
    expect(normalCdf(-40)).toBe(0);
    expect(normalCdf(40)).toBe(1);
  });

  it('is symmetric', () => {
    for (const x of [0.3, 1.1, 2.5, 8]) expect(normalCdf(x) + normalCdf(-x)).toBeCloseTo(1, 14);
  });
});

describe('normal density', () => {
  it('matches 1/√(2π)·e^(−x²/2)', () => {
    // Python: 1/math.sqrt(2*math.pi) and math.exp(-0.5)/math.sqrt(2*math.pi)
    expect(normalPdf(0)).toBeCloseTo(0.3989422804014327, 15);
    expect(normalPdf(1)).toBeCloseTo(0.24197072451914337, 15);
    expect(normalPdf(-1)).toBe(normalPdf(1));
  });
});
