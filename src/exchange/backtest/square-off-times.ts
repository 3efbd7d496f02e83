// When a backtest squares off MIS: the exchange's square-off time (IST, from the domain calendar) located among the
// bars' start times, and whether the bars are intraday (shorter than a day) or daily and longer.
import { IST_OFFSET_MS } from '../../domain/clock.js';
import type { Exchange } from '../../domain/instrument.js';
import { TRADING_HOURS, timeOfDayMs } from '../../domain/market-calendar.js';

const DAY_MS = 86_400_000;

export class SquareOffTimes {
  /**
   * `squareOffMs` is the square-off time in ms after IST midnight; undefined for an exchange without trading hours
   * (CRYPTO), whose MIS positions are never squared off.
   */
  constructor(
    readonly squareOffMs: number | undefined,
    readonly intraday: boolean,
  ) {}

  static of(exchange: Exchange, times: Float64Array): SquareOffTimes {
    const hours = TRADING_HOURS[exchange];
    return new SquareOffTimes(hours ? timeOfDayMs(hours.squareOff) : undefined, hasIntradayGap(times));
  }

  /** A square-off instant lies in (previous, time]: the bar starting at `time` is the first at or after it. */
  crossed(previous: number, time: number): boolean {
    if (this.squareOffMs === undefined) return false;
    let instant = istMidnightBefore(time) + this.squareOffMs;
    if (instant > time) instant -= DAY_MS;
    return instant > previous;
  }

  /** The bar starting at `time` starts at or after its IST day's square-off time. */
  isAfterSquareOff(time: number): boolean {
    return this.squareOffMs !== undefined && time >= istMidnightBefore(time) + this.squareOffMs;
  }
}

function istMidnightBefore(time: number): number {
  return Math.floor((time + IST_OFFSET_MS) / DAY_MS) * DAY_MS - IST_OFFSET_MS;
}

/** Bars are intraday when two consecutive ones start less than a day apart. */
function hasIntradayGap(times: Float64Array): boolean {
  for (let i = 1; i < times.length; i++) {
    if ((times[i] as number) - (times[i - 1] as number) < DAY_MS) return true;
  }
  return false;
}
