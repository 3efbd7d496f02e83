// The rules an order must keep to be taken at all, from its instrument's terms (venue, lot, tick, freeze quantity,
// price and trigger relations, fractional venues) and from the market. The core checks them before any broker is
// called; the paper exchange checks them again, as an exchange guards itself.
import { type Decimal, ONE, ZERO, cmp, isMultipleOf, toReadable, toString } from './decimal.js';
import { InvalidOrder } from './errors.js';
import { type Exchange, FRACTIONAL_EXCHANGES, INDEX_EXCHANGES, type Instrument, isDerivative } from './instrument.js';
import { type Order, type Side, hasLimitPrice, isStopType } from './order.js';

/** The fields of an order (placed, or as a modification leaves it) that the rules look at. */
export type OrderTerms = Pick<Order, 'side' | 'quantity' | 'type' | 'limitPrice' | 'stopPrice' | 'product' | 'disclosedQuantity'>;

/**
 * Throws InvalidOrder when the order breaks a term of its instrument: a quote-only venue, a quantity that is not
 * positive, fractional where the venue wants whole units, off the lot or above the freeze quantity, a disclosed
 * quantity above the order's, CNC on a derivative, a missing or off-tick price or trigger, an SL limit on the wrong
 * side of its trigger.
 */
export function checkOrderTerms(order: OrderTerms, instrument: Instrument): void {
  if (INDEX_EXCHANGES.has(instrument.exchange)) {
    throw new InvalidOrder(`${instrument.exchange} is quote-only: indices cannot be traded`);
  }
  if (cmp(order.quantity, ZERO) <= 0) throw new InvalidOrder('Quantity must be a positive number.');
  if (!allowsFractionalQuantity(instrument.exchange) && !isMultipleOf(order.quantity, ONE)) {
    throw new InvalidOrder(fractionalQuantityMessage(toString(order.quantity)));
  }
  if (!isMultipleOf(order.quantity, instrument.lotSize)) {
    throw new InvalidOrder(`Quantity must be in multiples of lot size ${toString(instrument.lotSize)}`);
  }
  if (cmp(order.quantity, instrument.freezeQuantity) > 0) {
    throw new InvalidOrder(
      `Quantity ${toReadable(order.quantity)} exceeds the freeze quantity ${toString(instrument.freezeQuantity)} ` +
        `of ${instrument.symbol}; split the order`,
    );
  }
  if (order.disclosedQuantity !== undefined && cmp(order.disclosedQuantity, order.quantity) > 0) {
    throw new InvalidOrder('Disclosed quantity cannot exceed the order quantity');
  }
  if (order.product === 'CNC' && isDerivative(instrument)) {
    throw new InvalidOrder(`CNC is for equity delivery; use NRML or MIS for ${instrument.symbol}`);
  }
  if (hasLimitPrice(order.type)) checkPrice('Price', order.limitPrice, instrument);
  if (isStopType(order.type)) checkPrice('Trigger price', order.stopPrice, instrument);
  const limit = order.limitPrice;
  const stop = order.stopPrice;
  if (order.type === 'STOP_LIMIT' && limit !== undefined && stop !== undefined) {
    const wrongSide = order.side === 'BUY' ? cmp(limit, stop) < 0 : cmp(limit, stop) > 0;
    if (wrongSide) {
      throw new InvalidOrder(
        `Price ${toReadable(limit)} must be ${order.side === 'BUY' ? 'at or above' : 'at or below'} ` +
          `the trigger price ${toReadable(stop)} for a ${order.side} SL order`,
      );
    }
  }
}

/**
 * Throws InvalidOrder when a stop order's trigger is already reached at `lastPrice`: it would trigger at once, which
 * the client did not mean (a BUY stop belongs above the market, a SELL stop below). Other order types pass.
 */
export function checkStopAgainstMarket(order: Pick<Order, 'side' | 'type' | 'stopPrice'>, lastPrice: Decimal): void {
  const stop = order.stopPrice;
  if (!isStopType(order.type) || stop === undefined || !stopTriggered(order.side, stop, lastPrice)) return;
  throw new InvalidOrder(
    `Trigger price ${toReadable(stop)} must be ${order.side === 'BUY' ? 'above' : 'below'} the last price ` +
      `${toString(lastPrice)} for a ${order.side} stop order`,
  );
}

/** A stop triggers when the last price reaches the trigger (buy: last ≥ trigger; sell: last ≤ trigger). */
export function stopTriggered(side: Side, stopPrice: Decimal, lastPrice: Decimal): boolean {
  return side === 'BUY' ? cmp(lastPrice, stopPrice) >= 0 : cmp(lastPrice, stopPrice) <= 0;
}

/** Whether orders on `exchange` may carry fractional quantities (crypto); elsewhere quantities are whole units. */
export function allowsFractionalQuantity(exchange: Exchange): boolean {
  return FRACTIONAL_EXCHANGES.has(exchange);
}

/** OpenAlgo's words for a fractional quantity on a venue that wants whole units; `quantity` as the client wrote it. */
export function fractionalQuantityMessage(quantity: string): string {
  return `Fractional quantity (${quantity}) is not allowed for non-crypto exchanges.`;
}

function checkPrice(label: string, price: Decimal | undefined, instrument: Instrument): void {
  if (price === undefined || cmp(price, ZERO) <= 0) {
    throw new InvalidOrder(`${label} must be greater than 0 for this order type`);
  }
  if (!isMultipleOf(price, instrument.tickSize)) {
    throw new InvalidOrder(
      `${label} ${toReadable(price)} is not a multiple of the tick size ${toString(instrument.tickSize)}`,
    );
  }
}
