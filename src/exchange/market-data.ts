// What the paper exchange needs of its market (the simulator, or a test's pinned prices): quotes, the book to show,
// and the liquidity a marketable order sweeps.
import type { DepthLevel, MarketQuote } from '../domain/market.js';
import type { Instrument } from '../domain/instrument.js';
import type { Level } from './matching.js';

export interface MarketData {
  quote(instrument: Instrument): MarketQuote;
  book(instrument: Instrument): { bids: DepthLevel[]; asks: DepthLevel[] };
  liquidity(instrument: Instrument, side: 'bid' | 'ask'): Iterable<Level>;
}
