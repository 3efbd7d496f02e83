// Split orders (OpenAlgo §5.2): one large quantity as sequential child orders of a fixed size, the remainder last,
// each child counted against the caller's order budget.
import { copyWith } from '../domain/objects.js';
import { type Decimal, ZERO, cmp, dec, isZero, mul, stepsIn, sub } from '../domain/decimal.js';
import { DomainError, InvalidOrder } from '../domain/errors.js';
import type { OrderRequest } from '../domain/order.js';
import type { OrderPacer } from './order-pacer.js';
import type { TradingService } from './trading.js';

export const MAX_SPLIT_ORDERS = 100;

export type ChildResult =
  | { orderNumber: number; quantity: Decimal; orderId: string }
  | { orderNumber: number; quantity: Decimal; error: string };

/** Full chunks of `size`, then the remainder; refuses more than 100 children. */
export function splitQuantities(total: Decimal, size: Decimal): Decimal[] {
  const full = stepsIn(total, size);
  const remainder = sub(total, mul(size, dec(full)));
  const count = Number(full) + (isZero(remainder) ? 0 : 1);
  if (count > MAX_SPLIT_ORDERS) {
    throw new InvalidOrder(`Total number of orders would exceed maximum limit of ${MAX_SPLIT_ORDERS}`);
  }
  const quantities: Decimal[] = Array.from({ length: Number(full) }, () => size);
  if (cmp(remainder, ZERO) > 0) quantities.push(remainder);
  return quantities;
}

/**
 * Places the children one after another, each when `pace` allows it; a child that fails is reported and the rest
 * still go.
 */
export async function placeSplitOrder(
  trading: TradingService,
  order: OrderRequest,
  size: Decimal,
  pace: OrderPacer,
): Promise<ChildResult[]> {
  const results: ChildResult[] = [];
  const quantities = splitQuantities(order.quantity, size);
  for (const [index, quantity] of quantities.entries()) {
    const orderNumber = index + 1;
    try {
      await pace();
      // Each child its own client order id, numbered after the parent's.
      const clientOrderId = order.clientOrderId === undefined ? undefined : `${order.clientOrderId}/${orderNumber}`;
      const child = await trading.placeOrder(copyWith(order, { quantity, clientOrderId }));
      results.push(
        child.status === 'rejected'
          ? { orderNumber, quantity, error: child.rejectReason ?? 'Order rejected' }
          : { orderNumber, quantity, orderId: child.id },
      );
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      results.push({ orderNumber, quantity, error: error.message });
    }
  }
  return results;
}
