// Margin by product and instrument (DESIGN §4 Ledger): the share of notional value an exposure blocks.
import { type Decimal, ONE, ZERO, abs, dec, mul } from '../domain/decimal.js';
import { type Instrument, isFuture, isOption } from '../domain/instrument.js';
import type { Product, Side } from '../domain/order.js';

export interface MarginRates {
  /** Equity delivery: full value (1×). */
  cnc: Decimal;
  /** Equity intraday: 5× leverage → 20 %. */
  mis: Decimal;
  /** Futures (and option writing, on strike notional): 10× → 10 %. */
  futures: Decimal;
}

export const DEFAULT_MARGIN_RATES: MarginRates = { cnc: ONE, mis: dec('0.2'), futures: dec('0.1') };

/**
 * Margin for `quantity` of a new exposure on `side` at `price`. Option buyers pay the full premium; option writers
 * block the futures rate on strike × quantity; futures block the futures rate on notional; equity by product.
 */
export function exposureMargin(
  rates: MarginRates,
  instrument: Instrument,
  product: Product,
  side: Side,
  quantity: Decimal,
  price: Decimal,
): Decimal {
  if (isOption(instrument)) {
    if (side === 'BUY') return mul(quantity, price);
    return mul(mul(quantity, instrument.strike ?? price), rates.futures);
  }
  if (isFuture(instrument)) return mul(mul(quantity, price), rates.futures);
  const rate = product === 'MIS' ? rates.mis : rates.cnc;
  return mul(mul(quantity, price), rate);
}

/** Margin an open position holds: the same rule on its exact open cost, so it never drifts through the average. */
export function positionMargin(
  rates: MarginRates,
  instrument: Instrument,
  product: Product,
  quantity: Decimal,
  openCost: Decimal,
): Decimal {
  const size = abs(quantity);
  const notional = abs(openCost);
  if (isOption(instrument)) {
    if (quantity > 0n) return notional;
    return mul(mul(size, instrument.strike ?? ZERO), rates.futures);
  }
  if (isFuture(instrument)) return mul(notional, rates.futures);
  return mul(notional, product === 'MIS' ? rates.mis : rates.cnc);
}
