// The history the paper exchange serves: for a listed instrument, bars of the simulated market it quotes and fills on;
// for a replayed data set (a recorded CSV, e.g. GOOG daily), its recorded bars; and which intervals exist.
import type { Clock } from '../../domain/clock.js';
import type { Exchange, Instrument } from '../../domain/instrument.js';
import type { MarketOptions, MarketSimulator } from '../market/market-simulator.js';
import { type BarInterval, type HistorySeries, sameInterval } from '../../domain/market.js';
import { ALL_INTERVALS } from './bars.js';
import { ReplaySeries, type ReplaySource, replayIntervals } from './replay-series.js';
import { SimulatedHistory } from './simulated-history.js';

export interface MarketHistoryOptions {
  market: MarketSimulator;
  /** The options the market was built with (same seed, clock, step, pricing). */
  marketOptions: MarketOptions;
  instruments: { get(symbol: string, exchange: Exchange): Instrument | undefined };
  /** Recorded data sets; each is read on first use. A replay hides a listed instrument of the same key. */
  replays?: readonly ReplaySource[];
  /** Lets other work run between slices of a long computation. */
  pause?: () => Promise<void>;
}

export class MarketHistory {
  /** Every interval some series is served in, finest first. */
  readonly intervals: readonly BarInterval[];
  private readonly simulated: SimulatedHistory;
  private readonly replays = new Map<string, ReplaySource>();
  private readonly loaded = new Map<string, ReplaySeries>();

  constructor(private readonly options: MarketHistoryOptions) {
    this.simulated = new SimulatedHistory({ market: options.market, marketOptions: options.marketOptions, pause: options.pause });
    for (const replay of options.replays ?? []) this.replays.set(keyOf(replay.symbol, replay.exchange), replay);
    const served = [...this.simulated.intervals, ...[...this.replays.values()].flatMap((r) => replayIntervals(r.resolution))];
    this.intervals = ALL_INTERVALS.filter((interval) => served.some((s) => sameInterval(s, interval)));
  }

  /** The history of (symbol, exchange), or undefined when it is neither a replayed data set nor a listed instrument. */
  series(symbol: string, exchange: Exchange): HistorySeries | undefined {
    const key = keyOf(symbol, exchange);
    const replay = this.replays.get(key);
    if (replay) {
      let series = this.loaded.get(key);
      if (!series) {
        series = ReplaySeries.fromCsv(replay, replay.read(), this.clock);
        this.loaded.set(key, series);
      }
      return series;
    }
    const instrument = this.options.instruments.get(symbol, exchange);
    return instrument ? this.simulated.series(instrument) : undefined;
  }

  private get clock(): Clock {
    return this.options.marketOptions.clock;
  }
}

function keyOf(symbol: string, exchange: Exchange): string {
  return `${exchange}:${symbol}`;
}
