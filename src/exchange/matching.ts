// Matching against the simulated market: sweeping book levels for marketable orders, and the crossing rules that fill
// resting limits and trigger stops. Pure functions over prices and levels; the exchange decides what to do with them.
import { type Decimal, cmp, isZero, min, sub } from '../domain/decimal.js';
import type { Side } from '../domain/order.js';

/** The trigger rule is the domain's: the core's pre-trade check and the exchange's matching must agree on it. */
export { stopTriggered } from '../domain/order-rules.js';

export interface Level {
  price: Decimal;
  quantity: Decimal;
}

export interface Execution {
  price: Decimal;
  quantity: Decimal;
}

export interface SweepResult {
  executions: Execution[];
  filled: Decimal;
  remaining: Decimal;
}

/**
 * Takes liquidity from the opposite side of the book, best level first, until `quantity` is filled, the book runs out,
 * or the next level is worse than `limitPrice` (when given). One execution per level touched.
 */
export function sweep(side: Side, quantity: Decimal, levels: Iterable<Level>, limitPrice?: Decimal): SweepResult {
  const executions: Execution[] = [];
  let remaining = quantity;
  for (const level of levels) {
    if (isZero(remaining)) break;
    if (limitPrice !== undefined && !withinLimit(side, level.price, limitPrice)) break;
    if (isZero(level.quantity)) continue;
    const taken = min(level.quantity, remaining);
    executions.push({ price: level.price, quantity: taken });
    remaining = sub(remaining, taken);
  }
  return { executions, filled: sub(quantity, remaining), remaining };
}

/** Would a `side` order with this limit accept a trade at `price`? */
export function withinLimit(side: Side, price: Decimal, limitPrice: Decimal): boolean {
  return side === 'BUY' ? cmp(price, limitPrice) <= 0 : cmp(price, limitPrice) >= 0;
}

/** A resting limit fills when the opposite best price reaches it (buy: ask ≤ limit; sell: bid ≥ limit). */
export function limitCrossed(side: Side, limitPrice: Decimal, bestBid: Decimal, bestAsk: Decimal): boolean {
  return side === 'BUY' ? cmp(bestAsk, limitPrice) <= 0 : cmp(bestBid, limitPrice) >= 0;
}
