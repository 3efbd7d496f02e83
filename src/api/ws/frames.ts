// The frames the stream pushes: `market_data` in the three modes and `order_update`, each serialized once and shared
// by every client it goes to. Numbers are JSON numbers, made from exact decimals only at this edge.
//
// Quote mode's `close` is the previous session's close, `change` and `change_percent` are measured from it, and
// `avg_trade_price` is the day's typical price (high + low + last) / 3 on the tick grid: the simulated market prints
// trades without keeping their VWAP, and the typical price is its usual stand-in.
import {
  type Decimal,
  ZERO,
  add,
  dec,
  div,
  isZero,
  mul,
  roundToStep,
  sub,
  toNumber,
  toRoundedNumber,
} from '../../domain/decimal.js';
import type { Instrument } from '../../domain/instrument.js';
import type { MarketQuote } from '../../domain/market.js';
import type { Order } from '../../domain/order.js';
import { type PriceDigits, orderRow } from '../openalgo/mappers.js';
import { type Mode, SUPPORTED_DEPTH } from './protocol.js';

export type { MarketQuote } from '../../domain/market.js';

export interface MarketLevel {
  price: Decimal;
  quantity: Decimal;
  orders: number;
}

/** The visible book, best level first on each side. */
export interface MarketBook {
  bids: MarketLevel[];
  asks: MarketLevel[];
}

const n = toNumber;
const THREE = dec(3);
const HUNDRED = dec(100);
const EMPTY_LEVEL = { price: 0, quantity: 0, orders: 0 };

/** A `market_data` frame; `book` is needed for mode 3 only. */
export function marketDataFrame(broker: string, instrument: Instrument, mode: Mode, quote: MarketQuote, book?: MarketBook): Buffer {
  const data = mode === 1 ? ltpData(quote) : mode === 2 ? quoteData(instrument, quote) : depthData(quote, book);
  return json({ type: 'market_data', symbol: instrument.symbol, exchange: instrument.exchange, mode, broker, data });
}

function ltpData(quote: MarketQuote) {
  return { ltp: n(quote.lastPrice), timestamp: quote.at };
}

function quoteData(instrument: Instrument, quote: MarketQuote) {
  const { lastPrice, previousClose } = quote;
  const change = sub(lastPrice, previousClose);
  const typical = div(add(add(quote.high, quote.low), lastPrice), THREE);
  return {
    ltp: n(lastPrice),
    open: n(quote.open),
    high: n(quote.high),
    low: n(quote.low),
    close: n(previousClose),
    volume: n(quote.volume),
    change: n(change),
    change_percent: isZero(previousClose) ? 0 : toRoundedNumber(div(mul(change, HUNDRED), previousClose), 2),
    last_trade_quantity: n(quote.lastQuantity),
    avg_trade_price: n(roundToStep(typical, instrument.tickSize)),
    bid: n(quote.bid),
    ask: n(quote.ask),
    timestamp: quote.at,
  };
}

function depthData(quote: MarketQuote, book: MarketBook | undefined) {
  return {
    ltp: n(quote.lastPrice),
    depth: { buy: levels(book?.bids ?? []), sell: levels(book?.asks ?? []) },
    timestamp: quote.at,
    broker_supported: true,
  };
}

// Exactly SUPPORTED_DEPTH levels: a side with fewer (bids near one tick) is padded with zero levels, as brokers do.
function levels(side: readonly MarketLevel[]) {
  const out = side
    .slice(0, SUPPORTED_DEPTH)
    .map((level) => ({ price: n(level.price), quantity: n(level.quantity), orders: level.orders }));
  while (out.length < SUPPORTED_DEPTH) out.push({ ...EMPTY_LEVEL });
  return out;
}

/** Where an order lives: the live exchange, or the analyzer (sandbox) one, whose answers OpenAlgo tags "analyze". */
export type OrderMode = 'live' | 'analyze';

/** An `order_update` frame: the order as it stands, in OpenAlgo's order-book words. */
export function orderUpdateFrame(broker: string, accountId: string, order: Order, digits: PriceDigits, mode: OrderMode = 'live'): Buffer {
  const row = orderRow(order, digits);
  return json({
    type: 'order_update',
    user_id: accountId,
    mode,
    broker,
    orderid: row.orderid,
    symbol: row.symbol,
    exchange: row.exchange,
    action: row.action,
    quantity: row.quantity,
    price: row.price,
    trigger_price: row.trigger_price,
    pricetype: row.pricetype,
    product: row.product,
    order_status: row.order_status,
    filled_quantity: row.filled_quantity,
    pending_quantity: row.pending_quantity,
    average_price: row.average_price,
    rejection_reason: row.rejection_reason,
  });
}

/** What makes two updates of one order the same to a client (OpenAlgo dedupes on id, status and filled quantity). */
export function orderVersion(order: Order): string {
  const { status, filledQuantity, quantity, type, limitPrice = ZERO, stopPrice = ZERO } = order;
  return [status, filledQuantity, quantity, type, limitPrice, stopPrice].join('|');
}

export function json(message: unknown): Buffer {
  return Buffer.from(JSON.stringify(message));
}
