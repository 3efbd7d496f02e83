// What a broker reports of the market: quotes and depth, in the neutral model.
import type { Decimal } from './decimal.js';

/** An instrument's market at one instant, as a market source reports it. */
export interface MarketQuote {
  lastPrice: Decimal;
  bid: Decimal;
  ask: Decimal;
  open: Decimal;
  high: Decimal;
  low: Decimal;
  previousClose: Decimal;
  volume: Decimal;
  lastQuantity: Decimal;
  /** Epoch milliseconds. */
  at: number;
}

/** A quote as a broker reports it to clients. */
export interface QuoteView extends MarketQuote {
  openInterest: Decimal;
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
