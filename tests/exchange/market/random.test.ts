import { describe, expect, it } from 'vitest';
import { hash, inverseNormalCdf, normal, streamKey, subKey, uniform } from '../../../src/exchange/market/random.js';

describe('counter-based random numbers', () => {
  const key = streamKey(42, 'walk:NSE:SBIN');

  it('gives the same value for the same (key, index) whatever was drawn before', () => {
    const first = uniform(key, 1000);
    for (let i = 0; i < 50; i++) uniform(key, i);
    expect(uniform(key, 1000)).toBe(first);
    expect(normal(key, 7)).toBe(normal(key, 7));
  });

  it('keys differ by seed and by name', () => {
    expect(streamKey(1, 'a')).not.toBe(streamKey(2, 'a'));
    expect(streamKey(1, 'a')).not.toBe(streamKey(1, 'b'));
    expect(streamKey(1, 'ab')).not.toBe(streamKey(1, 'ba'));
    expect(subKey(key, 1, 0)).not.toBe(subKey(key, 0, 1));
  });

  it('indices beyond 32 bits are distinct', () => {
    expect(hash(key, 5)).not.toBe(hash(key, 5 + 2 ** 32));
  });

  it('uniforms lie strictly inside (0, 1) with mean ½ and variance 1/12', () => {
    let sum = 0;
    let squares = 0;
    let outside = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const u = uniform(key, i);
      if (!(u > 0 && u < 1)) outside += 1;
      sum += u;
      squares += u * u;
    }
    const mean = sum / n;
    expect(outside).toBe(0);
    expect(mean).toBeCloseTo(0.5, 2);
    expect(squares / n - mean * mean).toBeCloseTo(1 / 12, 3);
  });

  it('normals have mean 0, stdev 1 and no lag-1 correlation', () => {
    const n = 200_000;
    let sum = 0;
    let squares = 0;
    let lagged = 0;
    let previous = normal(key, 0);
    for (let i = 1; i <= n; i++) {
      const z = normal(key, i);
      sum += z;
      squares += z * z;
      lagged += z * previous;
      previous = z;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.01);
    expect(Math.sqrt(squares / n)).toBeCloseTo(1, 2);
    expect(Math.abs(lagged / n)).toBeLessThan(0.01);
  });

  it('streams of neighbouring sub-keys are uncorrelated', () => {
    const a = subKey(key, 4, 2000);
    const b = subKey(key, 4, 2001);
    let product = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) product += normal(a, i) * normal(b, i);
    expect(Math.abs(product / n)).toBeLessThan(0.015);
  });

  it('inverts the normal CDF at known quantiles', () => {
    expect(inverseNormalCdf(0.5)).toBeCloseTo(0, 9);
    expect(inverseNormalCdf(0.975)).toBeCloseTo(1.959964, 5);
    expect(inverseNormalCdf(0.01)).toBeCloseTo(-2.326348, 5);
    expect(inverseNormalCdf(1e-9)).toBeCloseTo(-5.997807, 4);
  });
});
