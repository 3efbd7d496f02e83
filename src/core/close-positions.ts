// Square off every open position with MARKET orders (OpenAlgo closeposition), slicing quantities above the
// exchange's freeze limit into several orders of whole lots.
import { type Decimal, ZERO, abs, cmp, dec, isZero, min, mul, sign, stepsIn, sub } from '../domain/decimal.js';
import { DomainError } from '../domain/errors.js';
import type { Instrument, InstrumentLookup } from '../domain/instrument.js';
import type { Order } from '../domain/order.js';
import type { TradingService } from './trading.js';

export const SQUARE_OFF_TAG = 'Squareoff';

export interface ClosePositionsResult {
  /** Positions that had a non-zero quantity. */
  positions: number;
  orders: Order[];
  failures: string[];
}

/** Order sizes for `quantity`: as many full slices of the largest lot multiple within the freeze limit as needed. */
export function freezeSlices(quantity: Decimal, instrument: Pick<Instrument, 'lotSize' | 'freezeQuantity'>): Decimal[] {
  const lots = stepsIn(instrument.freezeQuantity, instrument.lotSize);
  const slice = lots > 0n ? mul(instrument.lotSize, dec(lots)) : instrument.lotSize;
  const slices: Decimal[] = [];
  let left = quantity;
  while (cmp(left, ZERO) > 0) {
    const next = min(left, slice);
    slices.push(next);
    left = sub(left, next);
  }
  return slices;
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
