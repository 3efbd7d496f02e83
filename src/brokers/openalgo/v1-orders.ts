// Orders and fills between the neutral model and OpenAlgo's v1 words: the placeorder and modifyorder bodies going up,
// and order-book and trade-book rows coming back as OrderReports. The mirror image of Ordergate's own v1 mappers.
import { type Decimal, ZERO, add, cmp, div, isZero, max, mul } from '../../domain/decimal.js';
import { InvalidOrder } from '../../domain/errors.js';
import { EXCHANGES, type Exchange } from '../../domain/instrument.js';
import {
  type Fill,
  type Order,
  type OrderChanges,
  type OrderRequest,
  type OrderStatus,
  type OrderType,
  PRODUCTS,
  type Product,
  type Side,
  hasLimitPrice,
  isStopType,
} from '../../domain/order.js';
import type { OrderReport } from '../broker.js';
import type { OrderRow, TradeRow } from './v1-schemas.js';
import { UpstreamFailure, type WireBody, decimalOf, istInstant } from './wire-values.js';

/** The strategy tag of orders sent without one: OpenAlgo requires the field. */
export const DEFAULT_STRATEGY = 'Ordergate';

/** What OpenAlgo's books do not carry and the adapter remembers of the orders it placed. */
export interface PlacedTerms {
  /** Ordergate's id of the order (the client order id the core sent). */
  clientOrderId?: string;
  disclosedQuantity?: Decimal;
  strategyTag?: string;
}

/** Who reads a row: the account the adapter serves, the time now (for rows without a timestamp) and what it remembers. */
export interface RowContext {
  accountId: string;
  now: number;
  placed?: PlacedTerms;
}

export const PRICE_TYPE_OF: Record<OrderType, string> = { MARKET: 'MARKET', LIMIT: 'LIMIT', STOP_LIMIT: 'SL', STOP: 'SL-M' };
const TYPE_OF: Readonly<Record<string, OrderType>> = { MARKET: 'MARKET', LIMIT: 'LIMIT', SL: 'STOP_LIMIT', 'SL-M': 'STOP' };

/** The placeorder body of a neutral request. OpenAlgo has day orders only; other times in force are refused. */
export function placeOrderBody(request: OrderRequest): WireBody {
  if (request.timeInForce !== 'DAY') {
    throw new InvalidOrder(`An OpenAlgo upstream takes DAY orders only, not ${request.timeInForce}`);
  }
  return {
    strategy: request.strategyTag ?? DEFAULT_STRATEGY,
    exchange: request.exchange,
    symbol: request.symbol,
    action: request.side,
    quantity: request.quantity,
    pricetype: PRICE_TYPE_OF[request.type],
    product: request.product,
    price: hasLimitPrice(request.type) ? (request.limitPrice ?? ZERO) : ZERO,
    trigger_price: isStopType(request.type) ? (request.stopPrice ?? ZERO) : ZERO,
    disclosed_quantity: request.disclosedQuantity ?? ZERO,
  };
}

/** The modifyorder body: v1 wants the whole order, so the changes are laid over the order as the upstream has it. */
export function modifyOrderBody(order: Order, changes: OrderChanges): WireBody {
  const type = changes.type ?? order.type;
  return {
    strategy: order.strategyTag || DEFAULT_STRATEGY,
    exchange: order.exchange,
    symbol: order.symbol,
    orderid: order.id,
    action: order.side,
    product: order.product,
    pricetype: PRICE_TYPE_OF[type],
    price: hasLimitPrice(type) ? (changes.limitPrice ?? order.limitPrice ?? ZERO) : ZERO,
    quantity: changes.quantity ?? order.quantity,
    disclosed_quantity: changes.disclosedQuantity ?? order.disclosedQuantity ?? ZERO,
    trigger_price: isStopType(type) ? (changes.stopPrice ?? order.stopPrice ?? ZERO) : ZERO,
  };
}

/**
 * The report of one order from its book row and the trade book (every row; the order's are picked out). The row must
 * be read before the trade book: fills made in between then show in the trades, never only in the row, so the core
 * never has to stand in for fills it will be told of later.
 */
export function orderReport(row: OrderRow, trades: readonly TradeRow[], context: RowContext): OrderReport {
  const orderId = String(row.orderid);
  const fills = fillsOf(orderId, trades, context);
  return { order: orderOf(row, fills, context), fills, allFills: true };
}

/** Every order of an order book with its fills, one report each. */
export function orderReports(
  rows: readonly OrderRow[],
  trades: readonly TradeRow[],
  context: Omit<RowContext, 'placed'>,
  placed: (orderId: string) => PlacedTerms | undefined,
): OrderReport[] {
  const byOrder = groupByOrder(trades);
  return rows.map((row) => {
    const orderId = String(row.orderid);
    return orderReport(row, byOrder.get(orderId) ?? [], { ...context, placed: placed(orderId) });
  });
}

/**
 * The fills of one order, in trade-book order. OpenAlgo's trade rows carry no trade id: each is then named
 * `<orderid>-<n>`, n counting that order's rows from 1, which stays stable as long as the upstream lists trades in the
 * order they happened (Ordergate and OpenAlgo's sandbox do; a broker listing newest first would renumber them).
 */
export function fillsOf(orderId: string, trades: readonly TradeRow[], context: RowContext): Fill[] {
  const fills: Fill[] = [];
  for (const row of trades) {
    if (String(row.orderid) !== orderId) continue;
    const tradeId = row.tradeid !== undefined && String(row.tradeid) !== '' ? String(row.tradeid) : `${orderId}-${fills.length + 1}`;
    fills.push({
      tradeId,
      orderId,
      accountId: context.accountId,
      symbol: row.symbol,
      exchange: exchangeOf(row.exchange),
      product: productOf(row.product),
      side: sideOf(row.action),
      quantity: decimalOf(row.quantity, 'trade quantity'),
      price: decimalOf(row.average_price, 'trade average_price'),
      at: istInstant(row.timestamp) ?? context.now,
    });
  }
  return fills;
}

/**
 * The order of a book row. Filled quantity: the row's `filled_quantity` (Ordergate's), else all of it once complete,
 * else what the fills add up to, and never less than they add up to. Average: of the fills when they make the whole
 * filled quantity (exact), else the row's (rounded to 2 decimals by OpenAlgo).
 */
export function orderOf(row: OrderRow, fills: readonly Fill[], context: RowContext): Order {
  const quantity = decimalOf(row.quantity, 'quantity');
  const type = typeOf(row.pricetype);
  const reported = statusOf(row.order_status);
  const filledByFills = sumOf(fills.map((fill) => fill.quantity));
  const filledByRow =
    row.filled_quantity !== undefined ? decimalOf(row.filled_quantity, 'filled_quantity') : reported === 'filled' ? quantity : ZERO;
  const filledQuantity = max(filledByRow, filledByFills);
  const averagePrice = isZero(filledQuantity)
    ? ZERO
    : cmp(filledByFills, filledQuantity) === 0
      ? averageOf(fills)
      : decimalOf(row.average_price, 'average_price');
  const createdAt = istInstant(row.timestamp) ?? context.now;
  const order: Order = {
    id: String(row.orderid),
    accountId: context.accountId,
    symbol: row.symbol,
    exchange: exchangeOf(row.exchange),
    side: sideOf(row.action),
    quantity,
    type,
    product: productOf(row.product),
    timeInForce: 'DAY',
    status: workingStatus(reported, filledQuantity, quantity),
    filledQuantity,
    averagePrice,
    createdAt,
    updatedAt: fills.reduce((latest, fill) => Math.max(latest, fill.at), createdAt),
  };
  if (hasLimitPrice(type)) order.limitPrice = decimalOf(row.price, 'price');
  if (isStopType(type)) order.stopPrice = decimalOf(row.trigger_price, 'trigger_price');
  const { placed } = context;
  if (placed?.clientOrderId !== undefined) order.clientOrderId = placed.clientOrderId;
  if (placed?.disclosedQuantity !== undefined) order.disclosedQuantity = placed.disclosedQuantity;
  const strategy = row.strategy || placed?.strategyTag;
  if (strategy) order.strategyTag = strategy;
  if (row.rejection_reason && (order.status === 'rejected' || order.status === 'cancelled')) order.rejectReason = row.rejection_reason;
  return order;
}

// OpenAlgo's status words (§2.5), with the variants some adapters send. `open` with part of it filled is the neutral
// partially_filled; a word no adapter was seen to send is taken as `pending` (accepted, not yet working).
function statusOf(word: string): OrderStatus {
  switch (word.trim().toLowerCase().replace(/_/g, ' ')) {
    case 'open':
      return 'open';
    case 'complete':
    case 'completed':
    case 'filled':
      return 'filled';
    case 'cancelled':
    case 'canceled':
    case 'expired':
      return 'cancelled';
    case 'rejected':
      return 'rejected';
    case 'trigger pending':
      return 'trigger_pending';
    default:
      return 'pending';
  }
}

/** A working order's status follows its fills: all of it filled is filled, some of it partially filled. */
function workingStatus(status: OrderStatus, filled: Decimal, quantity: Decimal): OrderStatus {
  if (status === 'filled' || status === 'cancelled' || status === 'rejected' || isZero(filled)) return status;
  return cmp(filled, quantity) >= 0 ? 'filled' : 'partially_filled';
}

function groupByOrder(trades: readonly TradeRow[]): Map<string, TradeRow[]> {
  const byOrder = new Map<string, TradeRow[]>();
  for (const row of trades) {
    const orderId = String(row.orderid);
    const rows = byOrder.get(orderId);
    if (rows) rows.push(row);
    else byOrder.set(orderId, [row]);
  }
  return byOrder;
}

function sumOf(values: readonly Decimal[]): Decimal {
  return values.reduce((total, value) => add(total, value), ZERO);
}

/** Volume-weighted price of the fills (exact sums, one rounding in the division). */
function averageOf(fills: readonly Fill[]): Decimal {
  const quantity = sumOf(fills.map((fill) => fill.quantity));
  return isZero(quantity) ? ZERO : div(sumOf(fills.map((fill) => mul(fill.quantity, fill.price))), quantity);
}

export function exchangeOf(text: string): Exchange {
  if (!(EXCHANGES as readonly string[]).includes(text)) throw new UpstreamFailure(`The upstream sent an unknown exchange "${text}"`);
  return text as Exchange;
}

export function productOf(text: string): Product {
  const product = text.toUpperCase();
  if (!(PRODUCTS as readonly string[]).includes(product)) throw new UpstreamFailure(`The upstream sent an unknown product "${text}"`);
  return product as Product;
}

function sideOf(text: string): Side {
  const side = text.toUpperCase();
  if (side !== 'BUY' && side !== 'SELL') throw new UpstreamFailure(`The upstream sent an unknown action "${text}"`);
  return side;
}

function typeOf(text: string): OrderType {
  const type = TYPE_OF[text.toUpperCase()];
  if (!type) throw new UpstreamFailure(`The upstream sent an unknown pricetype "${text}"`);
  return type;
}
