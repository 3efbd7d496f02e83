// Square off every open position with MARKET orders (OpenAlgo closeposition): the domain's closing orders of each,
// sliced above the exchange's freeze limit into several orders of whole lots. A position is closed when every one of
// its orders was accepted; one refused or rejected order fails the position, and the others are still sent.
import { closingOrders } from '../domain/closing-orders.js';
import { isZero } from '../domain/decimal.js';
import { DomainError } from '../domain/errors.js';
import type { Exchange, InstrumentLookup } from '../domain/instrument.js';
import type { Order, Product } from '../domain/order.js';
import type { TradingService } from './trading.js';

/** A position some closing order of which failed, and the first reason given. */
export interface PositionCloseFailure {
  symbol: string;
  exchange: Exchange;
  product: Product;
  reason: string;
}

export interface ClosePositionsResult {
  /** Positions that had a non-zero quantity. */
  positions: number;
  /** Of those, the ones every closing order of which was accepted. */
  closed: number;
  /** The closing orders accepted. */
  orders: Order[];
  /** The positions not closed, in position-book order. */
  failures: PositionCloseFailure[];
}

export async function closeAllPositions(
  trading: TradingService,
  instruments: InstrumentLookup,
  accountId: string,
): Promise<ClosePositionsResult> {
  const result: ClosePositionsResult = { positions: 0, closed: 0, orders: [], failures: [] };
  for (const position of await trading.listPositions(accountId)) {
    if (isZero(position.quantity)) continue;
    result.positions++;
    const instrument = instruments.require(position.symbol, position.exchange);
    let reason: string | undefined;
    for (const request of closingOrders(accountId, position, instrument)) {
      try {
        const order = await trading.placeOrder(request);
        if (order.status === 'rejected') reason ??= order.rejectReason ?? 'rejected';
        else result.orders.push(order);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        reason ??= error.message;
      }
    }
    const { symbol, exchange, product } = position;
    if (reason === undefined) result.closed++;
    else result.failures.push({ symbol, exchange, product, reason });
  }
  return result;
}
