// The trade prints of an instrument: one print per step with a random size in lots, summed into the day's volume.
// Lazy and cached like the price walk, and on its own random stream, so derivatives get volume without a walk.
import { subKey, uniform } from './random.js';
import { stepTime, stepsPerDay } from './market-time.js';

const LANE_TRADE = 5;

export interface TradeTally {
  /** Lots traded from the day's start through the current step. */
  volumeLots: number;
  /** Lots of the current step's print. */
  lastLots: number;
}

export class TradeFlow {
  private readonly steps: number;
  private day = Number.NaN;
  private dayKey = 0;
  private step = 0;
  private volumeLots = 0;
  private lastLots = 0;

  /** `meanLots` is the mean print size; 0 means the instrument never trades (volume stays 0). */
  constructor(
    private readonly key: number,
    private readonly meanLots: number,
    private readonly stepMs: number,
  ) {
    this.steps = stepsPerDay(stepMs);
  }

  at(at: number): TradeTally {
    if (this.meanLots <= 0) return { volumeLots: 0, lastLots: 0 };
    const { day, step } = stepTime(at, this.stepMs);
    const target = Math.min(step, this.steps - 1);
    if (day !== this.day || target < this.step) {
      this.day = day;
      this.dayKey = subKey(this.key, LANE_TRADE, day);
      this.step = 0;
      this.lastLots = this.printLots(0);
      this.volumeLots = this.lastLots;
    }
    while (this.step < target) {
      this.step += 1;
      this.lastLots = this.printLots(this.step);
      this.volumeLots += this.lastLots;
    }
    return { volumeLots: this.volumeLots, lastLots: this.lastLots };
  }

  // 1 + ⌊3·m·u²⌋ lots for uniform u: mean about m + ½, skewed to small prints with a few large ones (and no log).
  private printLots(step: number): number {
    const u = uniform(this.dayKey, step);
    return 1 + Math.floor(3 * this.meanLots * u * u);
  }
}
