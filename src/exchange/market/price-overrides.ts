// Prices set by `setPrice`: each is pinned to the step it was set in and shifts the natural process by a log offset
// that fades with the same mean reversion as the walk, so a walking market continues from it and drifts home.
import type { Decimal } from '../../domain/decimal.js';
import { DAY_MS } from './market-time.js';

/** Daily pull of a walk back towards its reference level (half-life about two months). */
export const DAILY_REVERSION = 1 / 90;
const REVERSION_RATE = -Math.log(1 - DAILY_REVERSION);

export interface PriceOverride {
  /** Start of the step in which the price was set (epoch ms). */
  at: number;
  /** The exact price set. */
  price: Decimal;
  /** ln(set price / natural price) at `at`; 0 in a frozen market. */
  logOffset: number;
}

/** The overrides of one instrument, in time order; a later set in the same step replaces the earlier one. */
export class PriceOverrides {
  private readonly list: PriceOverride[] = [];

  get size(): number {
    return this.list.length;
  }

  /** The time of the earliest override, or Infinity when none was set. */
  get firstAt(): number {
    return this.list[0]?.at ?? Infinity;
  }

  add(override: PriceOverride): void {
    const index = this.firstAfter(override.at);
    const previous = this.list[index - 1];
    if (previous && previous.at === override.at) this.list[index - 1] = override;
    else this.list.splice(index, 0, override);
  }

  /** The override in force at `at`: the latest set at or before it. */
  latest(at: number): PriceOverride | undefined {
    return this.list[this.firstAfter(at) - 1];
  }

  /** The time of the first override set after `at`, or Infinity. */
  nextAfter(at: number): number {
    return this.list[this.firstAfter(at)]?.at ?? Infinity;
  }

  /** Overrides set in (from, to]. */
  between(from: number, to: number): PriceOverride[] {
    return this.list.slice(this.firstAfter(from), this.firstAfter(to));
  }

  // Index of the first override with `at` strictly after the given time (binary search).
  private firstAfter(at: number): number {
    let low = 0;
    let high = this.list.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.list[middle] as PriceOverride).at <= at) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

/** The log offset an override still applies at time `at` (≥ its own time). */
export function offsetAt(override: PriceOverride | undefined, at: number): number {
  if (!override || override.logOffset === 0) return 0;
  return override.logOffset * Math.exp((-REVERSION_RATE * (at - override.at)) / DAY_MS);
}
