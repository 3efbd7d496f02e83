// Smart orders (OpenAlgo §5.1): one order that brings a position to a target size. Requests on the same position
// are serialized, so simultaneous requests for the same target never double it.
import { copyWith } from '../domain/objects.js';
import { type Decimal, isZero, neg, sign, sub } from '../domain/decimal.js';
import type { Order, OrderRequest, Side } from '../domain/order.js';
import { positionKey } from '../domain/position.js';
import type { KeyedLock } from './keyed-lock.js';
import type { TradingService } from './trading.js';

export interface SmartOrderRequest {
  /** The order to send when one is needed; its side and quantity apply only when target and position are both 0. */
  order: OrderRequest;
  targetPosition: Decimal;
}

export type SmartOrderOutcome = { placed: Order } | { placed: undefined; reason: 'matched' };

/** The order that takes `current` to `target`, or undefined when nothing is to be done. */
export function smartOrderDelta(
  side: Side,
  quantity: Decimal,
  target: Decimal,
  current: Decimal,
): { side: Side; quantity: Decimal } | undefined {
  if (isZero(target) && isZero(current)) return isZero(quantity) ? undefined : { side, quantity };
  const delta = sub(target, current);
  if (isZero(delta)) return undefined;
  return sign(delta) > 0 ? { side: 'BUY', quantity: delta } : { side: 'SELL', quantity: neg(delta) };
}

export async function placeSmartOrder(
  trading: TradingService,
  lock: KeyedLock,
  { order, targetPosition }: SmartOrderRequest,
): Promise<SmartOrderOutcome> {
  const key = positionKey(order.accountId, order.symbol, order.exchange, order.product);
  return lock.run(key, async () => {
    const current = await trading.netQuantity(order.accountId, order.symbol, order.exchange, order.product);
    const delta = smartOrderDelta(order.side, order.quantity, targetPosition, current);
    if (!delta) return { placed: undefined, reason: 'matched' as const };
    return { placed: await trading.placeOrder(copyWith(order, delta)) };
  });
}
