// Quotes, depth, history intervals and bars from OpenAlgo's quotes, depth, intervals and history answers.
import { ZERO, sign } from '../../domain/decimal.js';
import { barTimeOfOpenAlgoStamp, intervalOfWord } from '../../domain/interval-words.js';
import type { Bar, BarInterval, BarUnit, DepthLevel, DepthView, QuoteView } from '../../domain/market.js';
import type { BarRow, DepthData, IntervalsData, QuoteData } from './v1-schemas.js';
import { decimalOf } from './wire-values.js';

/** A quote; OpenAlgo's carries no time or last traded quantity, so `at` is when it was read and the quantity 0. */
export function quoteOf(data: QuoteData, at: number): QuoteView {
  const lastPrice = decimalOf(data.ltp, 'ltp');
  return {
    lastPrice,
    bid: data.bid !== undefined ? decimalOf(data.bid, 'bid') : lastPrice,
    ask: data.ask !== undefined ? decimalOf(data.ask, 'ask') : lastPrice,
    open: decimalOf(data.open, 'open'),
    high: decimalOf(data.high, 'high'),
    low: decimalOf(data.low, 'low'),
    previousClose: decimalOf(data.prev_close, 'prev_close'),
    volume: decimalOf(data.volume, 'volume'),
    lastQuantity: ZERO,
    openInterest: decimalOf(data.oi, 'oi'),
    at,
  };
}

/** A book; its best levels are the quote's bid and ask (the last price for an empty side), `orders` 0 when not sent. */
export function depthOf(data: DepthData, at: number): DepthView {
  const level = (row: DepthData['asks'][number]): DepthLevel => ({
    price: decimalOf(row.price, 'depth price'),
    quantity: decimalOf(row.quantity, 'depth quantity'),
    orders: row.orders === undefined ? 0 : Number(row.orders),
  });
  // Brokers pad a thin side with zero levels; they are no prices.
  const bids = data.bids.map(level).filter((each) => sign(each.price) > 0);
  const asks = data.asks.map(level).filter((each) => sign(each.price) > 0);
  const quote = quoteOf({ ...data, bid: undefined, ask: undefined }, at);
  return {
    ...quote,
    bid: bids[0]?.price ?? quote.lastPrice,
    ask: asks[0]?.price ?? quote.lastPrice,
    lastQuantity: decimalOf(data.ltq, 'ltq'),
    bids,
    asks,
  };
}

const UNIT_ORDER: readonly BarUnit[] = ['second', 'minute', 'hour', 'day', 'week', 'month'];

/** Every interval the intervals answer names, finest first; words outside OpenAlgo's list are left out. */
export function intervalsOf(data: IntervalsData): BarInterval[] {
  const words = [data.seconds, data.minutes, data.hours, data.days, data.weeks, data.months].flatMap((group) => group ?? []);
  const intervals = words.map(intervalOfWord).filter((interval): interval is BarInterval => interval !== undefined);
  return intervals.sort((a, b) => UNIT_ORDER.indexOf(a.unit) - UNIT_ORDER.indexOf(b.unit) || a.count - b.count);
}

/**
 * A history row of bars of `interval`: its timestamp is in epoch seconds; a D to Y bar's stamps its date (00:00 UTC
 * of it, or its IST midnight), which becomes the IST midnight that starts the bar.
 */
export function barOf(row: BarRow, interval: BarInterval): Bar {
  return {
    time: barTimeOfOpenAlgoStamp(interval, row.timestamp),
    open: decimalOf(row.open, 'open'),
    high: decimalOf(row.high, 'high'),
    low: decimalOf(row.low, 'low'),
    close: decimalOf(row.close, 'close'),
    volume: decimalOf(row.volume, 'volume'),
  };
}
