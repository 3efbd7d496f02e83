// A basket of positions a client asks the margin of, and what the broker says the basket needs, all legs together.
import type { Currency } from './currency.js';
import type { Decimal } from './decimal.js';
import type { Exchange } from './instrument.js';
import type { OrderType, Product, Side } from './order.js';

/** One position of the basket, as the order that would open it. */
export interface MarginLeg {
  symbol: string;
  exchange: Exchange;
  side: Side;
  quantity: Decimal;
  product: Product;
  type: OrderType;
  /** LIMIT and STOP_LIMIT; absent (or zero) means the market price. */
  limitPrice?: Decimal;
  /** STOP and STOP_LIMIT. */
  stopPrice?: Decimal;
}

/** What the basket needs, in the currency of its legs. */
export interface BasketMargin {
  currency: Currency;
  /** All the basket needs: span + exposure + the premium of the options it buys. */
  total: Decimal;
  span: Decimal;
  exposure: Decimal;
  /** What the legs would need each on its own, less `total`; undefined when the broker does not say. */
  benefit?: Decimal;
}
