import { describe, expect, it } from 'vitest';
import { dec } from '../../../src/domain/decimal.js';
import { DAY_MS } from '../../../src/exchange/market/market-time.js';
import { PriceOverrides } from '../../../src/exchange/market/price-overrides.js';
import { AnchorSeries, SpotProcess, type SpotSpec } from '../../../src/exchange/market/price-process.js';
import { IST_MIDNIGHT_DEC_1 } from './market-builders.js';

const spec: SpotSpec = { key: 1234, referencePrice: 800, annualVolatility: 0.25, stepMs: 1000 };
const process = (overrides = new PriceOverrides()): SpotProcess => new SpotProcess(spec, overrides);

function stdev(values: number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
}

describe('daily anchor series', () => {
  it('does not depend on the order days are asked in', () => {
    const fresh = new AnchorSeries(9, 0.013).at(50);
    const used = new AnchorSeries(9, 0.013);
    used.at(400);
    used.at(-20);
    expect(used.at(50)).toBe(fresh);
  });

  it('stays near its reference for twenty years: mean reversion keeps |ln(price/reference)| small', () => {
    const anchors = new AnchorSeries(77, 0.6 / Math.sqrt(365));
    const values: number[] = [];
    for (let day = 0; day < 7300; day++) values.push(anchors.at(day));
    expect(Math.max(...values.map(Math.abs))).toBeLessThan(Math.log(3));
    const spread = stdev(values);
    expect(spread).toBeGreaterThan(0.1);
    expect(spread).toBeLessThan(0.35);
  });
});

describe('spot price process', () => {
  const tenAm = IST_MIDNIGHT_DEC_1 + 10 * 3_600_000;

  it('gives the same state at a time whatever was asked before', () => {
    const fresh = process().at(tenAm);
    const used = process();
    used.at(tenAm + 3_600_000);
    used.at(tenAm - 5 * DAY_MS);
    used.at(tenAm - 1000);
    expect(used.at(tenAm)).toEqual(fresh);
  });

  it('is constant within a step', () => {
    const walk = process();
    expect(walk.at(tenAm + 999)).toEqual(walk.at(tenAm));
  });

  it('opens at the previous close, keeps it all day, and high ≥ last ≥ low with a running high and low', () => {
    const walk = process();
    const opening = walk.at(IST_MIDNIGHT_DEC_1);
    expect(opening.open).toBe(opening.previousClose);
    expect(opening.high).toBe(opening.last);
    let high = opening.high;
    let low = opening.low;
    for (let minute = 1; minute < 24 * 60; minute += 7) {
      const point = walk.at(IST_MIDNIGHT_DEC_1 + minute * 60_000);
      expect(point.previousClose).toBe(opening.previousClose);
      expect(point.open).toBe(opening.open);
      expect(point.high).toBeGreaterThanOrEqual(Math.max(high, point.last));
      expect(point.low).toBeLessThanOrEqual(Math.min(low, point.last));
      high = point.high;
      low = point.low;
    }
  });

  it("ends each day at the next day's open", () => {
    const walk = process();
    const lastStep = walk.at(IST_MIDNIGHT_DEC_1 + DAY_MS - 1).last;
    const nextOpen = walk.at(IST_MIDNIGHT_DEC_1 + DAY_MS).open;
    expect(Math.abs(Math.log(lastStep / nextOpen))).toBeLessThan(0.002);
  });

  it('has daily log-returns with the stdev of its volatility (25%/yr → about 1.3% a day over 250 days)', () => {
    const walk = process();
    const closes: number[] = [];
    for (let day = 0; day <= 250; day++) closes.push(walk.at(IST_MIDNIGHT_DEC_1 + day * DAY_MS).previousClose);
    const returns = closes.slice(1).map((close, i) => Math.log(close / (closes[i] as number)));
    const daily = stdev(returns);
    expect(daily).toBeGreaterThan(0.0095);
    expect(daily).toBeLessThan(0.0175);
  });

  it('moves within a day like the daily volatility says (1-minute returns ≈ σ_day / √1440)', () => {
    const walk = process();
    const prices: number[] = [];
    for (let minute = 0; minute < 1440; minute++) prices.push(walk.at(IST_MIDNIGHT_DEC_1 + minute * 60_000).last);
    const returns = prices.slice(1).map((price, i) => Math.log(price / (prices[i] as number)));
    const expected = 0.25 / Math.sqrt(365) / Math.sqrt(1440);
    expect(stdev(returns) / expected).toBeGreaterThan(0.8);
    expect(stdev(returns) / expected).toBeLessThan(1.2);
  });

  it('an override makes the step exactly the price set and the walk continues from it', () => {
    const overrides = new PriceOverrides();
    const walk = process(overrides);
    const natural = walk.naturalLogAt(tenAm);
    const override = { at: tenAm, price: dec('850'), logOffset: Math.log(850 / 800) - natural };
    overrides.add(override);
    walk.overridden(override);
    const point = walk.at(tenAm);
    expect(point.pinned).toBe(override);
    expect(point.last).toBeCloseTo(850, 9);
    expect(point.high).toBeGreaterThanOrEqual(point.last);
    const next = walk.at(tenAm + 1000);
    expect(next.pinned).toBeUndefined();
    expect(Math.abs(next.last / 850 - 1)).toBeLessThan(0.002);
    // the same state is reached when the day is recomputed from its start
    const recomputed = new SpotProcess(spec, overrides);
    expect(recomputed.at(tenAm + 1000)).toEqual(next);
  });
});
