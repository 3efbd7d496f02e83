import { describe, expect, it } from 'vitest';
import { DAY_MS, MARKET_EPOCH_MS, stepTime, stepsPerDay } from '../../../src/exchange/market/market-time.js';

describe('market calendar', () => {
  it('day 0 starts at midnight IST on 2020-01-01', () => {
    expect(MARKET_EPOCH_MS).toBe(Date.parse('2020-01-01T00:00:00+05:30'));
    expect(stepTime(MARKET_EPOCH_MS, 1000)).toEqual({ day: 0, dayStart: MARKET_EPOCH_MS, step: 0, stepStart: MARKET_EPOCH_MS });
  });

  it('cuts an IST day into steps: 10:00:00.750 IST is step 36000 at 1 s', () => {
    const at = Date.parse('2025-12-01T10:00:00.750+05:30');
    const time = stepTime(at, 1000);
    expect(time.dayStart).toBe(Date.parse('2025-12-01T00:00:00+05:30'));
    expect(time.step).toBe(36_000);
    expect(time.stepStart).toBe(at - 750);
    expect(time.day).toBe((time.dayStart - MARKET_EPOCH_MS) / DAY_MS);
  });

  it('counts days before the epoch as negative', () => {
    expect(stepTime(MARKET_EPOCH_MS - 1, 1000)).toMatchObject({ day: -1, step: 86_399 });
  });

  it('rounds the steps of a day up when the step does not divide it', () => {
    expect(stepsPerDay(1000)).toBe(86_400);
    expect(stepsPerDay(7000)).toBe(12_343);
  });
});
