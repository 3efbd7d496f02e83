// Square off every open position with MARKET orders (OpenAlgo closeposition): the domain's closing orders of each,
// sliced above the exchange's freeze limit into several orders of whole lots.
import { closingOrders } from '../domain/closing-orders.js';
import { isZero } from '../domain/decimal.js';
import { DomainError } from '../domain/errors.js';
import type { InstrumentLookup } from '../domain/instrument.js';
import type { Order } from '../domain/order.js';
import type { TradingService } from './trading.js';

export interface ClosePositionsResult {
  /** Positions that had a non-zero quantity. */
  positions: number;
  orders: Order[];
  failures: string[];
}

export async function closeAllPositions(
  trading: TradingService,
  instruments: InstrumentLookup,
  accountId: string,
): Promise<ClosePositionsResult> {
  const result: ClosePositionsResult = { positions: 0, orders: [], failures: [] };
  for (const position of await trading.listPositions(accountId)) {
    if (isZero(position.quantity)) continue;
    result.positions++;
    const instrument = instruments.require(position.symbol, position.exchange);
    for (const request of closingOrders(accountId, position, instrument)) {
      try {
        const order = await trading.placeOrder(request);
        if (order.status === 'rejected') result.failures.push(`${position.symbol}: ${order.rejectReason ?? 'rejected'}`);
        else result.orders.push(order);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        result.failures.push(`${position.symbol}: ${error.message}`);
      }
    }
  }
  return result;
}
