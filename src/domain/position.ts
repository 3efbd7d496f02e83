// Net positions per (account, symbol, exchange, product) and their P&L, with the average-cost method brokers use.
// The open cost is kept as an exact sum, so a position closed in full books exactly its cash flow as realized P&L.
import { copyWith } from './objects.js';
import { type Decimal, ZERO, abs, add, div, isZero, mul, neg, sign, sub } from './decimal.js';
import type { Currency } from './currency.js';
import type { Exchange } from './instrument.js';
import type { Fill, Product } from './order.js';

export interface Position {
  accountId: string;
  symbol: string;
  exchange: Exchange;
  product: Product;
  /** Signed net quantity: positive long, negative short. */
  quantity: Decimal;
  /** Cost of the open quantity (Σ quantity × price of what is still open), signed like `quantity`. */
  openCost: Decimal;
  realizedPnl: Decimal;
  buyQuantity: Decimal;
  buyValue: Decimal;
  sellQuantity: Decimal;
  sellValue: Decimal;
}

export const positionKey = (accountId: string, symbol: string, exchange: string, product: string): string =>
  `${accountId}|${exchange}|${symbol}|${product}`;

export function emptyPosition(accountId: string, symbol: string, exchange: Exchange, product: Product): Position {
  return {
    accountId,
    symbol,
    exchange,
    product,
    quantity: ZERO,
    openCost: ZERO,
    realizedPnl: ZERO,
    buyQuantity: ZERO,
    buyValue: ZERO,
    sellQuantity: ZERO,
    sellValue: ZERO,
  };
}

/** Average price of the open quantity; zero when flat. */
export function averagePrice(position: Position): Decimal {
  return isZero(position.quantity) ? ZERO : div(position.openCost, position.quantity);
}

/** Mark-to-market P&L of the open quantity at `lastPrice`. */
export function unrealizedPnl(position: Position, lastPrice: Decimal): Decimal {
  return sub(mul(position.quantity, lastPrice), position.openCost);
}

/** The position after a fill, and the P&L the fill realized. Pure: the input is not changed. */
export function applyFill(position: Position, fill: Fill): { position: Position; realized: Decimal } {
  const signedQty = fill.side === 'BUY' ? fill.quantity : neg(fill.quantity);
  const value = mul(fill.quantity, fill.price);
  const next: Position = copyWith(position, {
    buyQuantity: fill.side === 'BUY' ? add(position.buyQuantity, fill.quantity) : position.buyQuantity,
    buyValue: fill.side === 'BUY' ? add(position.buyValue, value) : position.buyValue,
    sellQuantity: fill.side === 'SELL' ? add(position.sellQuantity, fill.quantity) : position.sellQuantity,
    sellValue: fill.side === 'SELL' ? add(position.sellValue, value) : position.sellValue,
  });
  const current = position.quantity;
  const signedValue = mul(signedQty, fill.price);

  if (isZero(current) || sign(current) === sign(signedQty)) {
    next.quantity = add(current, signedQty);
    next.openCost = add(position.openCost, signedValue);
    return { position: next, realized: ZERO };
  }

  // The fill reduces (and perhaps reverses) the position.
  const closing = abs(signedQty) <= abs(current) ? abs(signedQty) : abs(current);
  const closedCost =
    closing === abs(current) ? position.openCost : div(mul(position.openCost, closing), abs(current));
  const closedProceeds = mul(sign(current) > 0 ? closing : neg(closing), fill.price);
  const realized = sub(closedProceeds, closedCost);
  const remainingQty = add(current, signedQty);
  next.quantity = remainingQty;
  if (sign(remainingQty) === sign(current) || isZero(remainingQty)) {
    next.openCost = sub(position.openCost, closedCost);
  } else {
    next.openCost = mul(remainingQty, fill.price);
  }
  next.realizedPnl = add(position.realizedPnl, realized);
  return { position: next, realized };
}

/** Delivery shares carried from earlier sessions, at their exact cost. */
export interface Holding {
  symbol: string;
  exchange: Exchange;
  quantity: Decimal;
  cost: Decimal;
}

/** Takes `quantity` out of a holding at its average cost: the holding left and the cost removed (exact when all). */
export function reduceHolding(holding: Holding, quantity: Decimal): { holding: Holding; removedCost: Decimal } {
  const removedCost = quantity === holding.quantity ? holding.cost : div(mul(holding.cost, quantity), holding.quantity);
  return {
    holding: copyWith(holding, { quantity: sub(holding.quantity, quantity), cost: sub(holding.cost, removedCost) }),
    removedCost,
  };
}

/** A position as reported to clients: marked to the last price. */
export interface PositionView {
  symbol: string;
  exchange: Exchange;
  product: Product;
  /** What its prices and P&L are in. */
  currency: Currency;
  /** Signed net quantity. */
  quantity: Decimal;
  /** Average price of the open quantity; zero when flat. */
  averagePrice: Decimal;
  lastPrice: Decimal;
  realizedPnl: Decimal;
  unrealizedPnl: Decimal;
}

/** A holding as reported to clients: marked to the last price. */
export interface HoldingView {
  symbol: string;
  exchange: Exchange;
  /** What its prices, cost and P&L are in. */
  currency: Currency;
  quantity: Decimal;
  /** Exact cost of the shares held. */
  cost: Decimal;
  averagePrice: Decimal;
  lastPrice: Decimal;
}
