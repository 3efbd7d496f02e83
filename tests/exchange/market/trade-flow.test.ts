import { describe, expect, it } from 'vitest';
import { TradeFlow } from '../../../src/exchange/market/trade-flow.js';
import { IST_MIDNIGHT_DEC_1 } from './market-builders.js';

describe('trade flow', () => {
  it('volume is the running sum of the prints since the day began', () => {
    const flow = new TradeFlow(11, 50, 1000);
    let previous = flow.at(IST_MIDNIGHT_DEC_1);
    expect(previous.volumeLots).toBe(previous.lastLots);
    for (let step = 1; step < 500; step++) {
      const tally = flow.at(IST_MIDNIGHT_DEC_1 + step * 1000);
      expect(tally.volumeLots).toBe(previous.volumeLots + tally.lastLots);
      expect(Number.isInteger(tally.lastLots) && tally.lastLots >= 1).toBe(true);
      previous = tally;
    }
  });

  it('is the same whatever was asked before, and starts again each day', () => {
    const later = IST_MIDNIGHT_DEC_1 + 3_600_000;
    const fresh = new TradeFlow(11, 50, 1000).at(later);
    const used = new TradeFlow(11, 50, 1000);
    used.at(later + 7_200_000);
    used.at(IST_MIDNIGHT_DEC_1 + 86_400_000 * 3);
    expect(used.at(later)).toEqual(fresh);
    const nextDay = used.at(IST_MIDNIGHT_DEC_1 + 86_400_000);
    expect(nextDay.volumeLots).toBe(nextDay.lastLots);
  });

  it('prints about the mean size plus a half', () => {
    const day = new TradeFlow(3, 20, 1000).at(IST_MIDNIGHT_DEC_1 + 86_399_000);
    expect(day.volumeLots / 86_400).toBeGreaterThan(19.5);
    expect(day.volumeLots / 86_400).toBeLessThan(21.5);
  });

  it('an instrument that does not trade has no volume', () => {
    expect(new TradeFlow(3, 0, 1000).at(IST_MIDNIGHT_DEC_1 + 5000)).toEqual({ volumeLots: 0, lastLots: 0 });
  });
});
