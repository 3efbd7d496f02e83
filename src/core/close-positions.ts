// Square off every open position with MARKET orders (OpenAlgo closeposition), slicing quantities above the
// exchange's freeze limit into several orders of whole lots.
import { abs, isZero, sign } from '../domain/decimal.js';
import { DomainError } from '../domain/errors.js';
import { type InstrumentLookup, freezeSlices } from '../domain/instrument.js';
import type { Order } from '../domain/order.js';
import type { TradingService } from './trading.js';

export const SQUARE_OFF_TAG = 'Squareoff';

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
    for (const quantity of freezeSlices(abs(position.quantity), instrument)) {
      try {
        const order = await trading.placeOrder({
          accountId,
          symbol: position.symbol,
          exchange: position.exchange,
          side: sign(position.quantity) > 0 ? 'SELL' : 'BUY',
          quantity,
          type: 'MARKET',
          product: position.product,
          timeInForce: 'DAY',
          strategyTag: SQUARE_OFF_TAG,
        });
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
