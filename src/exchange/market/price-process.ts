// The price process of an instrument that moves on its own (stocks, indices, commodity and currency futures, crypto):
// a mean-reverting daily anchor series in log space, and within each IST day a Brownian bridge from today's anchor to
// tomorrow's in fixed steps. Lazy and cached: a query walks only the steps since the previous one.
import { normal, subKey } from './random.js';
import { dayStartOf, stepTime, stepsPerDay } from './market-time.js';
import { DAILY_REVERSION, type PriceOverride, type PriceOverrides, offsetAt } from './price-overrides.js';

/** Random lanes of a walk's stream: one per independent sequence. */
const LANE_START = 1;
const LANE_ANCHOR = 2;
const LANE_ANCHOR_BACK = 3;
const LANE_BRIDGE = 4;

/** Days in the year the volatility is quoted over: every IST calendar day carries one daily move. */
const CALENDAR_DAYS = 365;

export interface SpotSpec {
  /** Stream key of this instrument's walk (seed and instrument hashed). */
  key: number;
  /** The level the walk is pulled back to (float). */
  referencePrice: number;
  annualVolatility: number;
  stepMs: number;
}

/** Prices (floats, not yet on the tick grid) of one step of a day. */
export interface PricePoint {
  last: number;
  open: number;
  high: number;
  low: number;
  previousClose: number;
  /** The override set in this very step, whose exact price is the last price. */
  pinned?: PriceOverride;
}

/**
 * Log deviation from the reference at each day's IST midnight: x(d+1) = (1 − θ)·x(d) + σ_day·z(d), starting from the
 * stationary distribution at the epoch; days before it run the same recursion backwards on their own numbers.
 */
export class AnchorSeries {
  private readonly keep = 1 - DAILY_REVERSION;
  private readonly forward: number;
  private readonly backward: number;
  private readonly start: number;
  private day = 0;
  private value: number;

  constructor(
    key: number,
    private readonly dailyVolatility: number,
  ) {
    const stationary = dailyVolatility / Math.sqrt(1 - this.keep * this.keep);
    this.start = stationary * normal(subKey(key, LANE_START), 0);
    this.forward = subKey(key, LANE_ANCHOR);
    this.backward = subKey(key, LANE_ANCHOR_BACK);
    this.value = this.start;
  }

  at(day: number): number {
    if (day < 0) return this.before(-day);
    if (day < this.day) {
      this.day = 0;
      this.value = this.start;
    }
    while (this.day < day) {
      this.value = this.keep * this.value + this.dailyVolatility * normal(this.forward, this.day);
      this.day += 1;
    }
    return this.value;
  }

  private before(days: number): number {
    let value = this.start;
    for (let i = 0; i < days; i++) value = this.keep * value + this.dailyVolatility * normal(this.backward, i);
    return value;
  }
}

// Where the walk of one day stands: all log values are relative to the reference price.
interface DayWalk {
  day: number;
  dayStart: number;
  /** Tomorrow's anchor, where the bridge ends. */
  end: number;
  step: number;
  natural: number;
  effective: number;
  open: number;
  /** High and low of the effective path over the steps before `step`. */
  priorHigh: number;
  priorLow: number;
  active: PriceOverride | undefined;
  nextOverrideAt: number;
}

export class SpotProcess {
  private readonly anchors: AnchorSeries;
  private readonly steps: number;
  private readonly stepVolatility: number;
  private walk: DayWalk | undefined;

  constructor(
    private readonly spec: SpotSpec,
    private readonly overrides: PriceOverrides,
  ) {
    const dailyVolatility = spec.annualVolatility / Math.sqrt(CALENDAR_DAYS);
    this.anchors = new AnchorSeries(spec.key, dailyVolatility);
    this.steps = stepsPerDay(spec.stepMs);
    this.stepVolatility = dailyVolatility / Math.sqrt(this.steps);
  }

  /** The state of the step containing `at`. */
  at(at: number): PricePoint {
    const walk = this.walkTo(at);
    const reference = this.spec.referencePrice;
    const stepStart = walk.dayStart + walk.step * this.spec.stepMs;
    const pinned = walk.active && walk.active.at === stepStart ? walk.active : undefined;
    return {
      last: reference * Math.exp(walk.effective),
      open: reference * Math.exp(walk.open),
      high: reference * Math.exp(Math.max(walk.priorHigh, walk.effective)),
      low: reference * Math.exp(Math.min(walk.priorLow, walk.effective)),
      previousClose: reference * Math.exp(walk.open),
      ...(pinned ? { pinned } : {}),
    };
  }

  /** ln(natural price / reference) at the step containing `at`: the walk with no override applied. */
  naturalLogAt(at: number): number {
    return this.walkTo(at).natural;
  }

  /** Must be called after an override is added, so the cached walk takes it into account. */
  overridden(override: PriceOverride): void {
    const walk = this.walk;
    if (!walk) return;
    const current = walk.dayStart + walk.step * this.spec.stepMs;
    if (current > override.at) {
      this.walk = undefined;
    } else if (current === override.at) {
      walk.active = this.overrides.latest(current);
      walk.nextOverrideAt = this.overrides.nextAfter(current);
      walk.effective = walk.natural + offsetAt(walk.active, current);
      if (walk.step === 0) walk.open = walk.effective;
    } else {
      walk.nextOverrideAt = Math.min(walk.nextOverrideAt, override.at);
    }
  }

  private walkTo(at: number): DayWalk {
    const { day, step } = stepTime(at, this.spec.stepMs);
    let walk = this.walk;
    if (!walk || walk.day !== day || walk.step > step) walk = this.startDay(day);
    this.advance(walk, Math.min(step, this.steps - 1));
    this.walk = walk;
    return walk;
  }

  private startDay(day: number): DayWalk {
    const dayStart = dayStartOf(day);
    const natural = this.anchors.at(day);
    const end = this.anchors.at(day + 1);
    const active = this.overrides.latest(dayStart);
    const effective = natural + offsetAt(active, dayStart);
    return {
      day,
      dayStart,
      end,
      step: 0,
      natural,
      effective,
      open: effective,
      priorHigh: -Infinity,
      priorLow: Infinity,
      active,
      nextOverrideAt: this.overrides.nextAfter(dayStart),
    };
  }

  // The hot loop: one normal number and a few flops per step.
  private advance(walk: DayWalk, target: number): void {
    const key = subKey(this.spec.key, LANE_BRIDGE, walk.day);
    const { stepMs } = this.spec;
    const steps = this.steps;
    const volatility = this.stepVolatility;
    let { step, natural, effective, priorHigh, priorLow, active, nextOverrideAt } = walk;
    while (step < target) {
      if (effective > priorHigh) priorHigh = effective;
      if (effective < priorLow) priorLow = effective;
      const remaining = steps - step;
      natural += (walk.end - natural) / remaining + volatility * Math.sqrt((remaining - 1) / remaining) * normal(key, step);
      step += 1;
      const stepStart = walk.dayStart + step * stepMs;
      if (stepStart >= nextOverrideAt) {
        active = this.overrides.latest(stepStart);
        nextOverrideAt = this.overrides.nextAfter(stepStart);
      }
      effective = active ? natural + offsetAt(active, stepStart) : natural;
    }
    Object.assign(walk, { step, natural, effective, priorHigh, priorLow, active, nextOverrideAt });
  }
}
