// Recorded data sets replayed as history: the bars of a CSV file (date or date-time, then Open, High, Low, Close,
// Volume), served at their own resolution or aggregated to any coarser interval that nests them (hourly → 2h, D, W,
// M; daily → W, M). Times in the files carry no zone and are read as IST wall-clock time, so rows replay as written;
// every bar is labelled by the start of its period (a monthly row dated 2012-01-31 is the bar of January 2012).
// Only bars that have ended by the clock's now are served.
import fs from 'node:fs';
import { type Clock, IST_OFFSET_MS } from '../../domain/clock.js';
import { type Decimal, dec } from '../../domain/decimal.js';
import type { Exchange } from '../../domain/instrument.js';
import { type Bar, type BarInterval, type HistorySeries, sameInterval } from '../../domain/market.js';
import { ALL_INTERVALS, aggregate, nests, nextPeriodStart, periodStart } from './bars.js';

export interface ReplaySpec {
  symbol: string;
  exchange: Exchange;
  /** The interval of the file's rows. */
  resolution: BarInterval;
  /** What the data is, e.g. `GOOG.csv (daily)`. */
  origin: string;
}

/** A replayable data set: its key and how to read it (done once, on first use). */
export interface ReplaySource extends ReplaySpec {
  read(): string;
}

const REPLAY_MAX_DAYS_BACK = 3650;
const DAILY: BarInterval = { unit: 'day', count: 1 };
const HOURLY: BarInterval = { unit: 'hour', count: 1 };
const MONTHLY: BarInterval = { unit: 'month', count: 1 };

/**
 * The data sets bundled in `series/` (backtesting.py's test data, see series/README.md). They are not instruments of
 * the paper exchange: nothing quotes or trades them, so they live on GLOBAL_INDEX, OpenAlgo's quote-only exchange for
 * instruments from abroad, where no listed symbol can collide with them.
 */
export const BUNDLED_REPLAYS: readonly ReplaySource[] = [
  bundled('GOOG', DAILY, 'GOOG.csv'),
  bundled('EURUSD', HOURLY, 'EURUSD.csv'),
  bundled('BTCUSD', MONTHLY, 'BTCUSD.csv'),
];

function bundled(symbol: string, resolution: BarInterval, file: string): ReplaySource {
  return {
    symbol,
    exchange: 'GLOBAL_INDEX',
    resolution,
    origin: `${file} (${resolution.unit === 'hour' ? 'hourly' : resolution.unit === 'day' ? 'daily' : 'monthly'})`,
    read: () => fs.readFileSync(new URL(`./series/${file}`, import.meta.url), 'utf8'),
  };
}

/** The intervals a file of `resolution` rows can be served in: its own and every coarser one that nests it. */
export function replayIntervals(resolution: BarInterval): BarInterval[] {
  return ALL_INTERVALS.filter((interval) => nests(resolution, interval));
}

export class ReplaySeries implements HistorySeries {
  readonly symbol: string;
  readonly exchange: Exchange;
  readonly intervals: readonly BarInterval[];
  readonly source: string;

  constructor(
    private readonly spec: ReplaySpec,
    /** The file's bars, in time order, labelled by period start. */
    private readonly rows: readonly Bar[],
    private readonly clock: Clock,
  ) {
    this.symbol = spec.symbol;
    this.exchange = spec.exchange;
    this.source = `bars replayed from ${spec.origin}`;
    this.intervals = replayIntervals(spec.resolution);
  }

  /** Recorded bars cost nothing to serve: OpenAlgo's ten years, whatever the interval. */
  maxDaysBack(): number {
    return REPLAY_MAX_DAYS_BACK;
  }

  static fromCsv(spec: ReplaySpec, text: string, clock: Clock): ReplaySeries {
    return new ReplaySeries(spec, parseBars(text, spec.resolution, spec.origin), clock);
  }

  async bars(interval: BarInterval, from: number, to: number): Promise<Bar[]> {
    if (!this.intervals.some((supported) => sameInterval(supported, interval))) {
      throw new RangeError(`${this.symbol} has ${this.source}; it cannot be cut into ${interval.count} ${interval.unit} bars`);
    }
    const now = this.clock.now();
    const { resolution } = this.spec;
    const rows = this.rows
      .slice(firstAtOrAfter(this.rows, from))
      .filter((row) => row.time < to && nextPeriodStart(resolution, row.time) <= now)
      .map((row) => ({ ...row }));
    return sameInterval(interval, resolution) ? rows : aggregate(rows, interval);
  }
}

/** Rows `time,Open,High,Low,Close,Volume` after one header line; `time` is `YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS`. */
export function parseBars(text: string, resolution: BarInterval, origin = 'the file'): Bar[] {
  const bars: Bar[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, index) => {
    if (index === 0 || line.trim() === '') return;
    const fail = (why: string): never => {
      throw new RangeError(`${origin} line ${index + 1}: ${why}`);
    };
    const cells = line.split(',');
    if (cells.length !== 6) fail(`expected 6 cells, found ${cells.length}`);
    const [when = '', ...numbers] = cells;
    const at = parseIstTime(when) ?? fail(`not a date or date-time: ${when}`);
    const values = numbers.map((cell) => parseDecimal(cell) ?? fail(`not a number: ${cell}`));
    const [open, high, low, close, volume] = values as [Decimal, Decimal, Decimal, Decimal, Decimal];
    const time = periodStart(resolution, at);
    const previous = bars[bars.length - 1];
    if (previous && previous.time >= time) fail('rows must be in time order, one per period');
    bars.push({ time, open, high, low, close, volume });
  });
  return bars;
}

const TIME_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2}))?$/;

/** Epoch ms of a zone-less date or date-time read as IST, or undefined when it is not a real one. */
function parseIstTime(text: string): number | undefined {
  const match = TIME_PATTERN.exec(text.trim());
  if (!match) return undefined;
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = match.slice(1, 7).map((part) => Number(part ?? 0));
  const wallClock = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  const fields = [wallClock.getUTCFullYear(), wallClock.getUTCMonth() + 1, wallClock.getUTCDate(), wallClock.getUTCHours(), wallClock.getUTCMinutes(), wallClock.getUTCSeconds()];
  const real = fields.every((value, index) => value === [year, month, day, hour, minute, second][index]);
  return real ? wallClock.getTime() - IST_OFFSET_MS : undefined;
}

function parseDecimal(text: string): Decimal | undefined {
  try {
    return dec(text);
  } catch {
    return undefined;
  }
}

// Index of the first row whose period starts at or after `at` (binary search).
function firstAtOrAfter(rows: readonly Bar[], at: number): number {
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((rows[middle] as Bar).time < at) low = middle + 1;
    else high = middle;
  }
  return low;
}
