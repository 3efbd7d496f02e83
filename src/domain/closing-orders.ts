// The orders that close a position: MARKET orders on the opposite side, sliced to the instrument's freeze quantity
// in whole lots. One rule for a client's closeposition and the exchange's MIS square-off alike.
import { abs, isZero, sign } from './decimal.js';
import { type Instrument, freezeSlices } from './instrument.js';
import type { OrderRequest } from './order.js';
import type { Position } from './position.js';

/** The strategy tag square-off orders carry (OpenAlgo's). */
export const SQUARE_OFF_TAG = 'Squareoff';

/** The MARKET orders (DAY, tagged `Squareoff`) that bring `position` of `accountId` to zero; none when it is flat. */
export function closingOrders(
  accountId: string,
  position: Pick<Position, 'symbol' | 'exchange' | 'product' | 'quantity'>,
  instrument: Pick<Instrument, 'lotSize' | 'freezeQuantity'>,
): OrderRequest[] {
  if (isZero(position.quantity)) return [];
  const side = sign(position.quantity) > 0 ? 'SELL' : 'BUY';
  return freezeSlices(abs(position.quantity), instrument).map((quantity) => ({
    accountId,
    symbol: position.symbol,
    exchange: position.exchange,
    side,
    quantity,
    type: 'MARKET',
    product: position.product,
    timeInForce: 'DAY',
    strategyTag: SQUARE_OFF_TAG,
  }));
}
