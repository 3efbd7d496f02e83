// Basket orders (OpenAlgo §5.3): several independent legs, BUY legs sent before SELL legs (margin benefit);
// a failing leg does not stop the others. Results come back in request order. Each leg counts against the caller's
// order budget, and a basket has at most MAX_BASKET_ORDERS legs.
import { DomainError, InvalidOrder } from '../domain/errors.js';
import type { OrderRequest } from '../domain/order.js';
import type { OrderPacer } from './order-pacer.js';
import { MAX_SPLIT_ORDERS } from './split-order.js';
import type { TradingService } from './trading.js';

/** As many legs as a split order may have children: OpenAlgo caps neither, but paces both. */
export const MAX_BASKET_ORDERS = MAX_SPLIT_ORDERS;

/** A leg, or why it could not be read as an order (then reported as that leg's error). */
export type BasketLeg = { order: OrderRequest } | { symbol: string; invalid: string };

export type LegResult =
  | { symbol: string; exchange: string; product: string; orderId: string }
  | { symbol: string; error: string };

/** Refuses a basket of more than MAX_BASKET_ORDERS legs before any is placed. */
function checkBasketSize(legCount: number): void {
  if (legCount > MAX_BASKET_ORDERS) {
    throw new InvalidOrder(`Total number of orders would exceed maximum limit of ${MAX_BASKET_ORDERS}`);
  }
}

export async function placeBasketOrder(trading: TradingService, legs: readonly BasketLeg[], pace: OrderPacer): Promise<LegResult[]> {
  checkBasketSize(legs.length);
  const results: LegResult[] = new Array<LegResult>(legs.length);
  // BUY legs first; sort is stable, so request order holds within each side.
  const sendOrder = legs.map((leg, index) => ({ leg, index })).sort((a, b) => sideRank(a.leg) - sideRank(b.leg));
  for (const { leg, index } of sendOrder) {
    results[index] = 'invalid' in leg ? { symbol: leg.symbol, error: leg.invalid } : await placeLeg(trading, leg.order, pace);
  }
  return results;
}

async function placeLeg(trading: TradingService, order: OrderRequest, pace: OrderPacer): Promise<LegResult> {
  try {
    await pace();
    const placed = await trading.placeOrder(order);
    if (placed.status === 'rejected') return { symbol: order.symbol, error: placed.rejectReason ?? 'Order rejected' };
    return { symbol: order.symbol, exchange: order.exchange, product: order.product, orderId: placed.id };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { symbol: order.symbol, error: error.message };
  }
}

function sideRank(leg: BasketLeg): number {
  return 'order' in leg && leg.order.side === 'SELL' ? 1 : 0;
}
