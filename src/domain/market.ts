// What a broker reports of the market: quotes and depth, in the neutral model.
import type { Decimal } from './decimal.js';

export interface QuoteView {
  lastPrice: Decimal;
  bid: Decimal;
  ask: Decimal;
  open: Decimal;
  high: Decimal;
  low: Decimal;
  previousClose: Decimal;
  volume: Decimal;
  lastQuantity: Decimal;
  openInterest: Decimal;
  /** Epoch milliseconds. */
  at: number;
}

export interface DepthLevel {
  price: Decimal;
  quantity: Decimal;
  orders: number;
}

export interface DepthView extends QuoteView {
  /** Best first; five levels each. */
  bids: DepthLevel[];
  asks: DepthLevel[];
}
