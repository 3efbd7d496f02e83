// History of a listed instrument: bars of the very price process the paper exchange quotes and fills on.
//
// - Seconds to hours: OHLC of the step path (one step = the simulator's `stepMs`, 1 s by default) inside each bar;
//   open = the first step's last price, high/low over the steps, close = the last step's; volume = the lots the
//   trade flow printed in those steps. The bar containing the clock's now ends at now, and its close is the current
//   quote's last price. Steps from an instrument's first `setPrice` on are read from the simulator's quotes, which
//   carry the prices set, so bars agree with quotes and fills then too.
// - Days: the day as the exchange's own quote summed it up at its last step (open, high, low, volume), closed at the
//   next day's open, which is the previous close the next day's quote reports; today's bar is the quote at now.
//   So a day's close may differ from its last intraday close by one step's move (it is the price at midnight).
//   Completed days are cached (they never change); a new day costs one walk of its steps inside the simulator
//   (3–4 ms: 86,400 steps of the walk and as many trade prints).
// - Weeks and months: the days inside the asked range, aggregated (weeks start on Monday).
// Work is cut into slices (4 market hours of intraday bars, 4 days of daily bars) with a pause between them, so a
// long request never holds the event loop for long.
import type { Clock } from '../../domain/clock.js';
import { max, min, stepsIn } from '../../domain/decimal.js';
import type { Instrument } from '../../domain/instrument.js';
import type { Bar, BarInterval, HistorySeries } from '../../domain/market.js';
import type { MarketOptions, MarketSimulator } from '../market/market-simulator.js';
import {
  ALL_INTERVALS,
  DAY_MS,
  aggregate,
  intradayLength,
  istDayStart,
  istMidnight,
  periodStartAtOrAfter,
} from './bars.js';
import { StepPath } from './step-path.js';

/** The simulated market has no bars before 2000-01-01 IST (earlier days would cost more and mean nothing). */
export const SIMULATED_HISTORY_START = istMidnight(2000, 1, 1);

/** Completed days kept per history, across instruments (each about 0.3 kB). */
const DEFAULT_CACHED_DAYS = 100_000;
/** Market hours of intraday bars computed between two pauses (~3 ms of steps an hour, ~50 ms of 1s bars). */
const HOURS_PER_SLICE = 4;
/** Days of daily bars computed between two pauses (3–4 ms each). */
const DAYS_PER_SLICE = 4;

/**
 * Longest range of one request, in days before its end. A day is 86,400 steps (plus as many trade prints), whatever
 * the interval: 30 days of 1m bars walk 2.6 M steps (~0.55 s here); a new day of D bars costs 3–4 ms, so a year about
 * 1–1.5 s the first time (completed days are kept). Seconds bars are 86,400 a day, so one day back.
 */
export function simulatedMaxDaysBack(interval: BarInterval): number {
  if (interval.unit === 'second') return 1;
  return intradayLength(interval) === undefined ? 365 : 30;
}

export interface SimulatedHistoryOptions {
  market: MarketSimulator;
  /** The very options the market was built with: the step path must walk with the same seed, step and pricing. */
  marketOptions: MarketOptions;
  /** Lets other work run between slices of a long computation; default: one turn of the event loop. */
  pause?: () => Promise<void>;
  cachedDays?: number;
}

export class SimulatedHistory {
  /** Intervals whose bars hold whole steps. */
  readonly intervals: readonly BarInterval[];
  private readonly market: MarketSimulator;
  private readonly options: MarketOptions;
  private readonly clock: Clock;
  private readonly pause: () => Promise<void>;
  private readonly days: DayCache;

  constructor(options: SimulatedHistoryOptions) {
    this.market = options.market;
    this.options = options.marketOptions;
    this.clock = options.marketOptions.clock;
    this.pause = options.pause ?? nextTurn;
    this.days = new DayCache(options.cachedDays ?? DEFAULT_CACHED_DAYS);
    const stepMs = options.marketOptions.stepMs ?? 1000;
    this.intervals = ALL_INTERVALS.filter((interval) => (intradayLength(interval) ?? DAY_MS) % stepMs === 0);
  }

  /** The history of one listed instrument. */
  series(instrument: Instrument): HistorySeries {
    return {
      symbol: instrument.symbol,
      exchange: instrument.exchange,
      intervals: this.intervals,
      source: 'the simulated market',
      maxDaysBack: simulatedMaxDaysBack,
      bars: (interval, from, to) => this.bars(instrument, interval, from, to),
    };
  }

  async bars(instrument: Instrument, interval: BarInterval, from: number, to: number): Promise<Bar[]> {
    const now = this.clock.now();
    const start = Math.max(from, SIMULATED_HISTORY_START);
    if (intradayLength(interval) !== undefined) return this.intraday(instrument, interval, start, to, now);
    const days = await this.daily(instrument, start, to, now);
    return interval.unit === 'day' ? days : aggregate(days, interval);
  }

  private async intraday(instrument: Instrument, interval: BarInterval, from: number, to: number, now: number): Promise<Bar[]> {
    const length = intradayLength(interval) as number;
    const path = new StepPath(instrument, this.options);
    const { stepMs } = path;
    // From the first setPrice on, the steps are the simulator's own quotes (slower, exact); before it, the path's.
    const exactFrom = this.market.firstOverrideAt(instrument);
    const ticksAt = (at: number): number =>
      at < exactFrom ? path.ticksAt(at) : Number(stepsIn(this.market.quoteAt(instrument, at).lastPrice, instrument.tickSize));
    const bars: Bar[] = [];
    let sliceEnd = -Infinity;
    for (let start = periodStartAtOrAfter(interval, from); start < to && start <= now; start += length) {
      if (start >= sliceEnd) {
        if (sliceEnd !== -Infinity) await this.pause();
        sliceEnd = start + HOURS_PER_SLICE * 3_600_000;
      }
      const open = ticksAt(start);
      let high = open;
      let low = open;
      let close = open;
      let last = start;
      for (let at = start + stepMs; at < start + length && at <= now; at += stepMs) {
        close = ticksAt(at);
        if (close > high) high = close;
        if (close < low) low = close;
        last = at;
      }
      const lotsBefore = start === istDayStart(start) ? 0 : path.lotsThrough(start - stepMs);
      const bar: Bar = {
        time: start,
        open: path.priceOf(open),
        high: path.priceOf(high),
        low: path.priceOf(low),
        close: path.priceOf(close),
        volume: path.volumeOf(path.lotsThrough(last) - lotsBefore),
      };
      if (start + length > now) this.endAtQuote(bar, instrument, now);
      bars.push(bar);
    }
    return bars;
  }

  // The bar containing now closes at the exchange's current last price.
  private endAtQuote(bar: Bar, instrument: Instrument, now: number): void {
    const last = this.market.quoteAt(instrument, now).lastPrice;
    bar.close = last;
    bar.high = max(bar.high, last);
    bar.low = min(bar.low, last);
  }

  private async daily(instrument: Instrument, from: number, to: number, now: number): Promise<Bar[]> {
    const id = `${instrument.exchange}:${instrument.symbol}`;
    const bars: Bar[] = [];
    let computed = 0;
    for (let start = periodStartAtOrAfter({ unit: 'day', count: 1 }, from); start < to && start <= now; start += DAY_MS) {
      if (start + DAY_MS > now) {
        bars.push(this.today(instrument, start, now));
        continue;
      }
      const cached = this.days.get(id, start);
      if (cached) {
        bars.push({ ...cached });
        continue;
      }
      if (computed > 0 && computed % DAYS_PER_SLICE === 0) await this.pause();
      const bar = this.completedDay(instrument, start);
      computed += 1;
      this.days.set(id, start, bar);
      bars.push({ ...bar });
    }
    return bars;
  }

  private completedDay(instrument: Instrument, start: number): Bar {
    const end = start + DAY_MS;
    const day = this.market.quoteAt(instrument, end - 1);
    const close = this.market.quoteAt(instrument, end).previousClose;
    return {
      time: start,
      open: day.open,
      high: max(day.high, close),
      low: min(day.low, close),
      close,
      volume: day.volume,
    };
  }

  private today(instrument: Instrument, start: number, now: number): Bar {
    const quote = this.market.quoteAt(instrument, now);
    return { time: start, open: quote.open, high: quote.high, low: quote.low, close: quote.lastPrice, volume: quote.volume };
  }
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

// Completed daily bars by instrument and day; when full, the instrument used longest ago is dropped whole.
class DayCache {
  private readonly byInstrument = new Map<string, Map<number, Bar>>();
  private size = 0;

  constructor(private readonly capacity: number) {}

  get(id: string, day: number): Bar | undefined {
    const days = this.byInstrument.get(id);
    if (!days) return undefined;
    this.byInstrument.delete(id);
    this.byInstrument.set(id, days);
    return days.get(day);
  }

  set(id: string, day: number, bar: Bar): void {
    let days = this.byInstrument.get(id);
    if (!days) {
      days = new Map();
      this.byInstrument.set(id, days);
    }
    if (!days.has(day)) this.size += 1;
    days.set(day, bar);
    for (const [oldest, oldDays] of this.byInstrument) {
      if (this.size <= this.capacity || oldest === id) break;
      this.byInstrument.delete(oldest);
      this.size -= oldDays.size;
    }
  }
}
