// The history of one instrument at an OpenAlgo upstream, as a HistorySeries: each request for bars is one /history call
// for the IST days the range covers, cut to the range. OpenAlgo says which intervals a broker serves, not how far back
// each one reaches: the limits here are those Ordergate upstreams keep on their simulated market.
import { istDate } from '../../domain/clock.js';
import type { Exchange } from '../../domain/instrument.js';
import type { Bar, BarInterval, HistorySeries } from '../../domain/market.js';
import { intervalWord } from '../../domain/interval-words.js';
import { barOf } from './v1-market.js';
import type { BarRow } from './v1-schemas.js';

/** Reads the bars of (symbol, exchange) in `interval` (OpenAlgo's word) over IST days [startDate, endDate]. */
export type HistoryFetch = (interval: string, startDate: string, endDate: string) => Promise<readonly BarRow[]>;

/** Days one request may reach back, per unit: one for seconds bars, 30 for minutes and hours, a year beyond. */
const DAYS_BACK: Readonly<Record<BarInterval['unit'], number>> = {
  second: 1,
  minute: 30,
  hour: 30,
  day: 365,
  week: 365,
  month: 365,
};

export class UpstreamHistory implements HistorySeries {
  readonly source: string;

  constructor(
    readonly symbol: string,
    readonly exchange: Exchange,
    /** The upstream's intervals: OpenAlgo lists them per broker, not per instrument. */
    readonly intervals: readonly BarInterval[],
    private readonly fetchBars: HistoryFetch,
    upstream: string,
  ) {
    this.source = `bars from the upstream ${upstream}`;
  }

  maxDaysBack(interval: BarInterval): number {
    return DAYS_BACK[interval.unit];
  }

  async bars(interval: BarInterval, from: number, to: number): Promise<Bar[]> {
    if (to <= from) return [];
    const rows = await this.fetchBars(intervalWord(interval), istDate(from), istDate(to - 1));
    return rows.map((row) => barOf(row, interval)).filter((bar) => bar.time >= from && bar.time < to);
  }
}
