// The step path recomputes the simulator's last price and volume outside it: they must agree at every step.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/domain/clock.js';
import { dec, mul } from '../../../src/domain/decimal.js';
import type { Instrument } from '../../../src/domain/instrument.js';
import { MarketSimulator, type MarketOptions } from '../../../src/exchange/market/market-simulator.js';
import { StepPath } from '../../../src/exchange/history/step-path.js';
import { MONDAY_10AM, crypto, equity, future, index, niftyUnderlying, option } from '../market/market-builders.js';

function twins(options: Omit<MarketOptions, 'clock'>) {
  const market = new MarketSimulator({ ...options, clock: new ManualClock(MONDAY_10AM) });
  return { market, path: (i: Instrument) => new StepPath(i, options) };
}

const priceAt = (path: StepPath, at: number) => path.priceOf(path.ticksAt(at));
const volumeAt = (path: StepPath, at: number) => path.volumeOf(path.lotsThrough(at));

describe('StepPath', () => {
  const kinds: [string, Instrument][] = [
    ['an equity', equity()],
    ['an index', index()],
    ['crypto', crypto()],
    ['a future priced from its index', future()],
    ['a call', option('CE', '25000')],
    ['a put', option('PE', '25500')],
    ['an option expiring that day', option('CE', '24900', { expiry: '2025-12-01', symbol: 'NIFTY01DEC2524900CE' })],
  ];

  it.each(kinds)("gives %s the simulator's last price and day volume at every step of half an hour", (_kind, instrument) => {
    const { market, path } = twins({ seed: 7, underlyingOf: niftyUnderlying });
    const steps = path(instrument);
    for (let at = MONDAY_10AM - 1_800_000; at < MONDAY_10AM; at += 1000) {
      const quote = market.quoteAt(instrument, at);
      expect(priceAt(steps, at)).toBe(quote.lastPrice);
      expect(volumeAt(steps, at)).toBe(quote.volume);
    }
  });

  it('agrees across midnight, with a seed and a step of 5 s', () => {
    const options = { seed: 20260101, stepMs: 5000, underlyingOf: niftyUnderlying };
    const { market, path } = twins(options);
    const steps = path(future());
    const midnight = Date.parse('2025-12-02T00:00:00+05:30');
    for (let at = midnight - 600_000; at < midnight + 600_000; at += 5000) {
      expect(priceAt(steps, at)).toBe(market.quoteAt(future(), at).lastPrice);
    }
  });

  it('stays at the reference in a frozen market, with the trade flow still printing', () => {
    const { market, path } = twins({ seed: 7, frozen: true });
    const sbin = equity('SBIN', { referencePrice: dec('812.37') });
    const steps = path(sbin);
    expect(priceAt(steps, MONDAY_10AM)).toBe(dec('812.35'));
    expect(priceAt(steps, MONDAY_10AM + 86_400_000 * 40)).toBe(dec('812.35'));
    expect(volumeAt(steps, MONDAY_10AM)).toBe(market.quoteAt(sbin, MONDAY_10AM).volume);
    expect(steps.volumeOf(3)).toBe(mul(sbin.lotSize, dec(3)));
  });
});
