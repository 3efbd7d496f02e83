// The simulated book around a last price: price levels on the tick grid, quantities in whole lots from a volume
// profile, deeper levels larger. A side is a lazy ladder that ends 20% from its touch (or at one tick for bids).
import { type Decimal, add, cmp, dec, mul, sub } from '../../domain/decimal.js';
import type { MarketProfile } from './market-profile.js';
import { normal, subKey, uniform } from './random.js';

export interface BookLevel {
  price: Decimal;
  quantity: Decimal;
  orders: number;
}

/** Both sides, best level first. */
export interface Book {
  bids: BookLevel[];
  asks: BookLevel[];
  at: number;
}

export type BookSide = 'bid' | 'ask';

/** How far from the touch a side reaches: liquidity ends beyond touch × (1 ∓ this). */
export const DEPTH_BAND = '0.2';
const BID_BAND_FACTOR = sub(dec(1), dec(DEPTH_BAND));
const ASK_BAND_FACTOR = add(dec(1), dec(DEPTH_BAND));
export const DISPLAYED_LEVELS = 5;
const MAX_ORDERS_PER_LEVEL = 50;

/** The shape of one side: where the levels sit and how much rests on each. */
export interface LadderShape {
  /** Ticks from the last price to the best level. */
  halfSpreadTicks: number;
  /** Ticks between level n − 1 and level n (n ≥ 1, 0-based levels). */
  gapTicks(level: number): number;
  /** Lots at level n given the lots of level n − 1 (0 for the best level). */
  lots(level: number, previousLots: number): number;
  orders(level: number, lots: number): number;
}

export interface LadderGrid {
  last: Decimal;
  tickSize: Decimal;
  lotSize: Decimal;
}

/**
 * One side of the book, best first, as deep as the depth band allows. The best bid is last − half-spread ticks but
 * never below one tick; bid levels that would fall below one tick are not there.
 */
export function* ladder(side: BookSide, grid: LadderGrid, shape: LadderShape): Generator<BookLevel> {
  const { last, tickSize, lotSize } = grid;
  const down = side === 'bid';
  let price = moveTicks(last, tickSize, shape.halfSpreadTicks, down);
  if (down && cmp(price, tickSize) < 0) price = tickSize;
  const bound = mul(price, down ? BID_BAND_FACTOR : ASK_BAND_FACTOR);
  let lots = 0;
  for (let level = 0; ; level++) {
    if (level > 0) {
      price = moveTicks(price, tickSize, Math.max(1, shape.gapTicks(level)), down);
      if (down ? cmp(price, tickSize) < 0 || cmp(price, bound) < 0 : cmp(price, bound) > 0) return;
    }
    lots = Math.max(1, shape.lots(level, lots));
    const orders = Math.max(1, Math.min(lots, shape.orders(level, lots)));
    yield { price, quantity: mul(lotSize, dec(BigInt(lots))), orders };
  }
}

// Module-level helpers and shape classes rather than closures made per call: ladders are walked on every order.
function moveTicks(price: Decimal, tickSize: Decimal, ticks: number, down: boolean): Decimal {
  const distance = mul(tickSize, dec(BigInt(ticks)));
  return down ? sub(price, distance) : add(price, distance);
}

/** The first `count` levels of a ladder. */
export function firstLevels(levels: Iterable<BookLevel>, count: number): BookLevel[] {
  const taken: BookLevel[] = [];
  if (count <= 0) return taken;
  for (const level of levels) {
    taken.push(level);
    if (taken.length >= count) break;
  }
  return taken;
}

/**
 * A frozen market's fixed ladder, the same for every seed: the best level sits `halfSpreadTicks` from the last
 * price, each further level one tick beyond, and level n (1-based) holds n × `frozenLevelLots` lots in n orders.
 */
export function frozenShape(profile: MarketProfile): LadderShape {
  let shape = frozenShapes.get(profile);
  if (!shape) frozenShapes.set(profile, (shape = new FrozenShape(profile)));
  return shape;
}

const frozenShapes = new WeakMap<MarketProfile, LadderShape>();

class FrozenShape implements LadderShape {
  readonly halfSpreadTicks: number;

  constructor(private readonly profile: MarketProfile) {
    this.halfSpreadTicks = profile.halfSpreadTicks;
  }

  gapTicks(): number {
    return 1;
  }

  lots(level: number): number {
    return (level + 1) * this.profile.frozenLevelLots;
  }

  orders(level: number): number {
    return level + 1;
  }
}

const LANE_SPREAD = 10;
const LANE_GAP = 12;
const LANE_LOTS = 14;
const LANE_ORDERS = 16;

/** Half-spread of a walking market at one step: the profile's, one tick wider in about one step of five. */
export function walkingHalfSpread(profile: MarketProfile, stepKey: number): number {
  return profile.halfSpreadTicks + (uniform(subKey(stepKey, LANE_SPREAD), 0) < 0.2 ? 1 : 0);
}

/**
 * A walking market's side at one step (`stepKey` names the step): gaps of one tick, sometimes two; the best level
 * holds a log-normal amount around the profile's `levelLots`, and each deeper level adds about half that again.
 */
export function walkingShape(profile: MarketProfile, stepKey: number, side: BookSide): LadderShape {
  return new WalkingShape(profile, stepKey, side);
}

class WalkingShape implements LadderShape {
  readonly halfSpreadTicks: number;
  private readonly gapKey: number;
  private readonly lotsKey: number;
  private readonly ordersKey: number;
  private readonly mean: number;

  constructor(profile: MarketProfile, stepKey: number, side: BookSide) {
    const lane = side === 'bid' ? 0 : 1;
    this.halfSpreadTicks = walkingHalfSpread(profile, stepKey);
    this.gapKey = subKey(stepKey, LANE_GAP + lane);
    this.lotsKey = subKey(stepKey, LANE_LOTS + lane);
    this.ordersKey = subKey(stepKey, LANE_ORDERS + lane);
    this.mean = profile.levelLots;
  }

  gapTicks(level: number): number {
    return uniform(this.gapKey, level) < 0.25 ? 2 : 1;
  }

  lots(level: number, previousLots: number): number {
    return level === 0
      ? Math.round(this.mean * Math.exp(0.5 * normal(this.lotsKey, level) - 0.125))
      : previousLots + Math.max(1, Math.round(this.mean * (0.25 + 0.5 * uniform(this.lotsKey, level))));
  }

  orders(level: number, lots: number): number {
    return Math.min(lots, MAX_ORDERS_PER_LEVEL, 1 + Math.floor(uniform(this.ordersKey, level) * (2 + 2 * level)));
  }
}
