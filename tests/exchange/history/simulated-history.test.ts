// History of listed instruments: bars of the same price process the exchange quotes, checked against its quotes.
import { describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../../src/domain/clock.js';
import { type Decimal, ZERO, add, cmp, dec, max, min, sub } from '../../../src/domain/decimal.js';
import type { Instrument } from '../../../src/domain/instrument.js';
import type { Bar, BarInterval } from '../../../src/domain/market.js';
import { aggregate } from '../../../src/exchange/history/bars.js';
import { SimulatedHistory } from '../../../src/exchange/history/simulated-history.js';
import { MarketSimulator, type MarketOptions } from '../../../src/exchange/market/market-simulator.js';
import { MONDAY_10AM, equity, index, niftyUnderlying, option } from '../market/market-builders.js';

const ist = (text: string) => Date.parse(`${text}+05:30`);
const MIDNIGHT = ist('2025-12-01T00:00:00');
const DAY_MS = 86_400_000;
const minutes = (count: number): BarInterval => ({ unit: 'minute', count });
const DAY: BarInterval = { unit: 'day', count: 1 };

function world(options: Partial<Omit<MarketOptions, 'clock'>> & { at?: number } = {}) {
  const { at = MONDAY_10AM, ...rest } = options;
  const clock = new ManualClock(at);
  const marketOptions: MarketOptions = { seed: 7, clock, underlyingOf: niftyUnderlying, ...rest };
  const market = new MarketSimulator(marketOptions);
  let pauses = 0;
  const history = new SimulatedHistory({
    market,
    marketOptions,
    pause: async () => {
      pauses += 1;
    },
  });
  return { market, clock, history, pauses: () => pauses };
}

const sumVolume = (bars: Bar[]): Decimal => bars.reduce((total, bar) => add(total, bar.volume), ZERO);
const highest = (bars: Bar[]): Decimal => bars.reduce((top, bar) => max(top, bar.high), bars[0]!.high);
const lowest = (bars: Bar[]): Decimal => bars.reduce((bottom, bar) => min(bottom, bar.low), bars[0]!.low);

describe('intraday bars', () => {
  it('are flat at the reference price in a frozen market, with the volume the quotes report', async () => {
    const { market, history } = world({ frozen: true });
    const sbin = equity('SBIN', { referencePrice: dec('812.35') });
    const bars = await history.bars(sbin, minutes(1), MIDNIGHT, MIDNIGHT + DAY_MS);
    expect(bars).toHaveLength(601); // 00:00 … 10:00, the last one holding only the step at 10:00:00
    expect(bars[0]!.time).toBe(MIDNIGHT);
    expect(bars.at(-1)!.time).toBe(MONDAY_10AM);
    for (const bar of bars) expect([bar.open, bar.high, bar.low, bar.close]).toEqual(Array(4).fill(dec('812.35')));
    const at = (time: string) => market.quoteAt(sbin, ist(`2025-12-01T${time}`)).volume;
    expect(bars[0]!.volume).toBe(at('00:00:59'));
    expect(bars[61]!.volume).toBe(sub(at('01:01:59'), at('01:00:59')));
    expect(sumVolume(bars)).toBe(market.quote(sbin).volume);
  });

  it("are the step path's OHLC, and the current bar closes at the current quote", async () => {
    const { market, history } = world();
    const sbin = equity();
    const bars = await history.bars(sbin, minutes(1), MIDNIGHT, MIDNIGHT + DAY_MS);
    expect(bars).toHaveLength(601);
    for (const [n, bar] of bars.entries()) {
      expect(bar.time).toBe(MIDNIGHT + n * 60_000);
      expect(cmp(bar.high, max(bar.open, bar.close))).toBeGreaterThanOrEqual(0);
      expect(cmp(bar.low, min(bar.open, bar.close))).toBeLessThanOrEqual(0);
    }
    expect(bars[600]!.close).toBe(market.quote(sbin).lastPrice);
    expect(bars[137]!.open).toBe(market.quoteAt(sbin, bars[137]!.time).lastPrice);
    expect(bars[137]!.close).toBe(market.quoteAt(sbin, bars[137]!.time + 59_000).lastPrice);
    expect(sumVolume(bars)).toBe(market.quote(sbin).volume);
    // The day's running high and low are the extremes of the bars so far.
    expect(highest(bars)).toBe(market.quote(sbin).high);
    expect(lowest(bars)).toBe(market.quote(sbin).low);
  });

  it('of an option follow its Black-Scholes path and close at its quote', async () => {
    const { market, history } = world();
    const call = option('CE', '25000');
    const bars = await history.bars(call, minutes(15), MIDNIGHT, MIDNIGHT + DAY_MS);
    expect(bars).toHaveLength(41);
    expect(bars[40]!.close).toBe(market.quote(call).lastPrice);
    expect(bars[3]!.close).toBe(market.quoteAt(call, ist('2025-12-01T00:59:59')).lastPrice);
  });

  it('aggregate exactly: 1s into 1m, 1m into 5m and 1h into 4h', async () => {
    const { history } = world();
    const sbin = equity();
    const from = ist('2025-12-01T08:00:00');
    const oneSecond = await history.bars(sbin, { unit: 'second', count: 1 }, from, from + 3_600_000);
    expect(oneSecond).toHaveLength(3600);
    expect(aggregate(oneSecond, minutes(1))).toEqual(await history.bars(sbin, minutes(1), from, from + 3_600_000));
    const oneMinute = await history.bars(sbin, minutes(1), MIDNIGHT - 2 * DAY_MS, MIDNIGHT + DAY_MS);
    expect(aggregate(oneMinute, minutes(5))).toEqual(await history.bars(sbin, minutes(5), MIDNIGHT - 2 * DAY_MS, MIDNIGHT + DAY_MS));
    const hours = await history.bars(sbin, { unit: 'hour', count: 1 }, MIDNIGHT - DAY_MS, MIDNIGHT + DAY_MS);
    expect(aggregate(hours, { unit: 'hour', count: 4 })).toEqual(
      await history.bars(sbin, { unit: 'hour', count: 4 }, MIDNIGHT - DAY_MS, MIDNIGHT + DAY_MS),
    );
  });

  it('start at the first period boundary at or after `from`, and stop at now', async () => {
    const { history } = world();
    const bars = await history.bars(equity(), minutes(30), ist('2025-12-01T08:10:00'), MIDNIGHT + 3 * DAY_MS);
    expect(bars.map((bar) => bar.time)).toEqual([ist('2025-12-01T08:30:00'), ist('2025-12-01T09:00:00'), ist('2025-12-01T09:30:00'), MONDAY_10AM]);
    expect(await history.bars(equity(), minutes(1), MIDNIGHT + DAY_MS, MIDNIGHT + 2 * DAY_MS)).toEqual([]);
  });

  it('let other work run every four market hours', async () => {
    const { history, pauses } = world();
    const bars = await history.bars(index(), minutes(60), MIDNIGHT - 3 * DAY_MS, MIDNIGHT + DAY_MS);
    expect(bars).toHaveLength(83); // 3 days and 00:00 … 10:00 today: 21 slices of 4 hours
    expect(pauses()).toBe(20);
  });

  it('close the current bar at a price set in this step', async () => {
    const { market, history } = world();
    const sbin = equity();
    market.setPrice(sbin, dec('950'));
    const bars = await history.bars(sbin, minutes(1), MIDNIGHT, MIDNIGHT + DAY_MS);
    expect(bars.at(-1)).toMatchObject({ close: dec('950'), high: dec('950') });
  });

  it('after a price is set, every step is the quote: bars carry the set price on in a walk and in a frozen market', async () => {
    for (const frozen of [false, true]) {
      const { market, clock, history } = world({ frozen });
      const sbin = equity();
      const underlying = index('NIFTY');
      const call = option('CE', '26000');
      market.setPrice(sbin, dec('700'));
      market.setPrice(underlying, dec('26500'));
      clock.set(MONDAY_10AM + 5 * 60_000 + 30_000);
      for (const instrument of [sbin, call]) {
        const bars = await history.bars(instrument, minutes(1), MONDAY_10AM - 60_000, MONDAY_10AM + DAY_MS);
        expect(bars.map((bar) => bar.time)).toEqual([0, 1, 2, 3, 4, 5, 6].map((n) => MONDAY_10AM + (n - 1) * 60_000));
        for (const bar of bars.slice(1)) {
          // Each bar's close is the quote at its last step; opens are the quote at the bar's first step.
          const last = Math.min(bar.time + 59_000, clock.now());
          expect(bar.close).toBe(market.quoteAt(instrument, last).lastPrice);
          expect(bar.open).toBe(market.quoteAt(instrument, bar.time).lastPrice);
        }
        if (instrument === sbin) expect(bars[1]!.open).toBe(dec('700'));
      }
    }
  });

  it('do not exist before 2000', async () => {
    const { history } = world();
    const from = ist('1999-12-31T00:00:00');
    const bars = await history.bars(equity(), { unit: 'hour', count: 4 }, from, from + 2 * DAY_MS);
    expect(bars.map((bar) => bar.time)).toEqual([0, 4, 8, 12, 16, 20].map((h) => ist('2000-01-01T00:00:00') + h * 3_600_000));
  });

  it('come in every interval whose length is whole steps', () => {
    const words = (h: SimulatedHistory) => h.intervals.map((i) => `${i.count}${i.unit[0]}`);
    expect(words(world().history)).toEqual(['1s', '5s', '10s', '15s', '30s', '45s', '1m', '2m', '3m', '5m', '10m', '15m', '20m', '30m', '1h', '2h', '3h', '4h', '1d', '1w', '1m', '3m', '12m']);
    expect(words(world({ stepMs: 5000 }).history).slice(0, 5)).toEqual(['5s', '10s', '15s', '30s', '45s']);
  });
});

describe('daily bars', () => {
  it("close each day at the next day's open, which is the previous close its quotes report", async () => {
    const { market, history } = world();
    const sbin = equity();
    const days = await history.bars(sbin, DAY, MIDNIGHT - 6 * DAY_MS, MIDNIGHT + DAY_MS);
    expect(days.map((d) => d.time)).toEqual([6, 5, 4, 3, 2, 1, 0].map((n) => MIDNIGHT - n * DAY_MS));
    for (let n = 0; n < days.length - 1; n++) {
      expect(days[n]!.close).toBe(days[n + 1]!.open);
      expect(days[n]!.close).toBe(market.quoteAt(sbin, days[n + 1]!.time).previousClose);
    }
  });

  it("today's bar is the current quote", async () => {
    const { market, history } = world();
    const sbin = equity();
    const [today] = await history.bars(sbin, DAY, MIDNIGHT, MIDNIGHT + DAY_MS);
    const quote = market.quote(sbin);
    expect(today).toEqual({ time: MIDNIGHT, open: quote.open, high: quote.high, low: quote.low, close: quote.lastPrice, volume: quote.volume });
  });

  it("sum up a completed day's 1-minute bars, closing at midnight's price", async () => {
    const { history } = world();
    const sbin = equity();
    const yesterday = MIDNIGHT - DAY_MS;
    const [day] = await history.bars(sbin, DAY, yesterday, MIDNIGHT);
    const bars = await history.bars(sbin, minutes(1), yesterday, MIDNIGHT);
    expect(bars).toHaveLength(1440);
    expect(day!.open).toBe(bars[0]!.open);
    expect(day!.volume).toBe(sumVolume(bars));
    expect(day!.high).toBe(max(highest(bars), day!.close));
    expect(day!.low).toBe(min(lowest(bars), day!.close));
  });

  it('are kept once complete: asking again costs one quote, for today', async () => {
    const { market, history } = world();
    const sbin = equity();
    const first = await history.bars(sbin, DAY, MIDNIGHT - 10 * DAY_MS, MIDNIGHT + DAY_MS);
    const quoteAt = vi.spyOn(market, 'quoteAt');
    expect(await history.bars(sbin, DAY, MIDNIGHT - 10 * DAY_MS, MIDNIGHT + DAY_MS)).toEqual(first);
    expect(quoteAt).toHaveBeenCalledTimes(1);
  });

  it('aggregate into weeks from Monday and into months', async () => {
    const { history } = world({ at: ist('2025-12-10T12:00:00') });
    const sbin = equity();
    const from = ist('2025-11-20T00:00:00');
    const to = ist('2025-12-11T00:00:00');
    const days = await history.bars(sbin, DAY, from, to);
    const weeks = await history.bars(sbin, { unit: 'week', count: 1 }, from, to);
    expect(weeks.map((w) => w.time)).toEqual(['11-17', '11-24', '12-01', '12-08'].map((d) => ist(`2025-${d}T00:00:00`)));
    expect(weeks).toEqual(aggregate(days, { unit: 'week', count: 1 }));
    const months = await history.bars(sbin, { unit: 'month', count: 1 }, from, to);
    expect(months).toEqual(aggregate(days, { unit: 'month', count: 1 }));
    expect(months[1]).toMatchObject({ time: ist('2025-12-01T00:00:00'), close: days.at(-1)!.close });
  });
});

describe('derived and frozen instruments', () => {
  it('an index trades nothing: zero volume', async () => {
    const { history } = world();
    const bars = await history.bars(index(), minutes(30), MIDNIGHT, MIDNIGHT + DAY_MS);
    expect(bars.every((bar: Bar) => bar.volume === ZERO)).toBe(true);
  });

  it('instruments are independent of one another and of the order asked', async () => {
    const a = world();
    const b = world();
    await b.history.bars(index(), minutes(5), MIDNIGHT - DAY_MS, MIDNIGHT);
    const nifty = (h: SimulatedHistory, i: Instrument) => h.bars(i, minutes(5), MIDNIGHT, MIDNIGHT + DAY_MS);
    expect(await nifty(a.history, option('PE', '25500'))).toEqual(await nifty(b.history, option('PE', '25500')));
  });
});
