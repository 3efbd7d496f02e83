// OpenAlgo v1 words ↔ the neutral model: pricetype/action/trigger_price live here and nowhere below. Answers format
// what the core valued (core/portfolio.ts): prices at the instrument's precision, money with its currency.
import { type HoldingsTotal, fundsIn, holdingsTotalIn, orderedFunds, valueHoldings, valuePosition } from '../../core/portfolio.js';
import { istTimestamp } from '../../domain/clock.js';
import { type Currency, HOME_CURRENCY, currencyOf } from '../../domain/currency.js';
import { type Decimal, TooPrecise, ZERO, exactDec, isZero, mul, sub, toFixed, toNumber, toRoundedNumber } from '../../domain/decimal.js';
import type { Funds } from '../../domain/funds.js';
import { type Exchange, type Instrument, priceDecimals } from '../../domain/instrument.js';
import type { HoldingView, PositionView } from '../../domain/position.js';
import { allowsFractionalQuantity, fractionalQuantityMessage } from '../../domain/order-rules.js';
import type { Fill, Order, OrderChanges, OrderRequest, OrderStatus, OrderType, Product } from '../../domain/order.js';
import type { OrderStatusWord } from './schemas.js';

export type PriceType = 'MARKET' | 'LIMIT' | 'SL' | 'SL-M';

const TYPE_OF: Record<PriceType, OrderType> = { MARKET: 'MARKET', LIMIT: 'LIMIT', SL: 'STOP_LIMIT', 'SL-M': 'STOP' };
const PRICE_TYPE_OF: Record<OrderType, PriceType> = { MARKET: 'MARKET', LIMIT: 'LIMIT', STOP_LIMIT: 'SL', STOP: 'SL-M' };
const STATUS_OF: Record<OrderStatus, OrderStatusWord> = {
  pending: 'open',
  open: 'open',
  partially_filled: 'open',
  trigger_pending: 'trigger pending',
  filled: 'complete',
  cancelled: 'cancelled',
  rejected: 'rejected',
};

/** OpenAlgo's word for an order status (`complete`, `trigger pending`, …). */
export const wireStatus = (status: OrderStatus): OrderStatusWord => STATUS_OF[status];

/** A field-level validation failure that the route reports in OpenAlgo's validation-error shape. */
export class FieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export interface WireOrderFields {
  exchange: string;
  symbol: string;
  action: string;
  quantity: number;
  pricetype?: string;
  product?: string;
  price?: number;
  trigger_price?: number;
  disclosed_quantity?: number;
  strategy?: string;
}

/**
 * A client's price or size as an exact decimal. Ordergate keeps 8 decimal places, finer than any tick or lot; a value
 * with more is refused (400 on `field`), never rounded into a valid one.
 */
export function wireDecimal(field: string, value: number): Decimal {
  try {
    return exactDec(value);
  } catch (error) {
    if (error instanceof TooPrecise) throw new FieldError(field, `${error.message}.`);
    throw error;
  }
}

/** Quantity as a decimal; fractional only where the domain allows it, with OpenAlgo's own message otherwise. */
export function wireQuantity(quantity: number, exchange: string): Decimal {
  if (!Number.isInteger(quantity) && !allowsFractionalQuantity(exchange as Exchange)) {
    throw new FieldError('quantity', fractionalQuantityMessage(String(quantity)));
  }
  return wireDecimal('quantity', quantity);
}

/**
 * The neutral request of a v1 order body. `clientOrderId` (the request's Idempotency-Key) lets the broker recognise a
 * retried placement of this order.
 */
export function toOrderRequest(accountId: string, body: WireOrderFields, clientOrderId?: string): OrderRequest {
  const type = TYPE_OF[(body.pricetype ?? 'MARKET') as PriceType];
  return {
    accountId,
    symbol: body.symbol,
    exchange: body.exchange as Exchange,
    side: body.action.toUpperCase() === 'SELL' ? 'SELL' : 'BUY',
    quantity: wireQuantity(body.quantity, body.exchange),
    type,
    ...orderPrices(type, body.price, body.trigger_price),
    product: (body.product ?? 'MIS') as Product,
    timeInForce: 'DAY',
    disclosedQuantity: wireDecimal('disclosed_quantity', body.disclosed_quantity ?? 0),
    strategyTag: body.strategy,
    clientOrderId,
  };
}

/** The changes a modifyorder body asks for, against the order as it stands. */
export function toOrderChanges(body: WireOrderFields): OrderChanges {
  const type = TYPE_OF[(body.pricetype ?? 'MARKET') as PriceType];
  const prices = orderPrices(type, body.price, body.trigger_price);
  return {
    quantity: wireQuantity(body.quantity, body.exchange),
    type,
    limitPrice: prices.limitPrice,
    stopPrice: prices.stopPrice,
    disclosedQuantity: wireDecimal('disclosed_quantity', body.disclosed_quantity ?? 0),
  };
}

// MARKET orders carry no price; only LIMIT and SL have a limit, only SL and SL-M a trigger.
function orderPrices(type: OrderType, price = 0, trigger = 0): { limitPrice?: Decimal; stopPrice?: Decimal } {
  return {
    limitPrice: type === 'LIMIT' || type === 'STOP_LIMIT' ? wireDecimal('price', price) : undefined,
    stopPrice: type === 'STOP' || type === 'STOP_LIMIT' ? wireDecimal('trigger_price', trigger) : undefined,
  };
}

/** Does the modifyorder body describe the order it names (same symbol, exchange, side, product)? */
export function describesOrder(body: WireOrderFields, order: Order): string | undefined {
  if (body.symbol !== order.symbol || body.exchange !== order.exchange) {
    return `Order ${order.id} is for ${order.symbol} on ${order.exchange}, not ${body.symbol} on ${body.exchange}`;
  }
  if (body.action.toUpperCase() !== order.side) return `Order ${order.id} is a ${order.side} order; action cannot change`;
  if (body.product !== undefined && body.product !== order.product) {
    return `Order ${order.id} has product ${order.product}; product cannot change`;
  }
  return undefined;
}

const num = (value: Decimal): number => toNumber(value);

/**
 * How many decimal places prices of (symbol, exchange) are shown with: the instrument's tick decimals, at least 2
 * (`priceDecimals`). The route passes it in, from the instrument master of the account's broker.
 */
export type PriceDigits = (symbol: string, exchange: Exchange) => number;

/** Price digits from an instrument lookup; 2 (rupees and paise) for an instrument it does not know. */
export function priceDigitsFrom(instruments: { get(symbol: string, exchange: Exchange): Instrument | undefined }): PriceDigits {
  return (symbol, exchange) => {
    const instrument = instruments.get(symbol, exchange);
    return instrument ? priceDecimals(instrument) : 2;
  };
}

/** Money of one instrument: rupees to the paisa; other currencies at the instrument's price precision. */
export const moneyDigits = (currency: Currency, priceDigits: number): number => (currency === HOME_CURRENCY ? 2 : priceDigits);
/** Account-level amounts (funds, holdings totals): 2 decimals in every currency. */
const money = (value: Decimal): number => toRoundedNumber(value, 2);

export function orderRow(order: Order, digits: PriceDigits) {
  const pending = order.status === 'open' || order.status === 'trigger_pending' || order.status === 'partially_filled';
  return {
    action: order.side,
    symbol: order.symbol,
    exchange: order.exchange,
    orderid: order.id,
    product: order.product,
    quantity: num(order.quantity),
    price: num(order.limitPrice ?? ZERO),
    pricetype: PRICE_TYPE_OF[order.type],
    order_status: wireStatus(order.status),
    trigger_price: num(order.stopPrice ?? ZERO),
    average_price: toRoundedNumber(order.averagePrice, digits(order.symbol, order.exchange)),
    filled_quantity: num(order.filledQuantity),
    pending_quantity: pending ? num(sub(order.quantity, order.filledQuantity)) : 0,
    rejection_reason: order.status === 'rejected' || order.status === 'cancelled' ? (order.rejectReason ?? '') : '',
    timestamp: istTimestamp(order.createdAt),
    strategy: order.strategyTag ?? '',
  };
}

export function orderStatistics(orders: readonly Order[]) {
  const count = (predicate: (o: Order) => boolean) => orders.filter(predicate).length;
  return {
    total_buy_orders: count((o) => o.side === 'BUY'),
    total_sell_orders: count((o) => o.side === 'SELL'),
    total_completed_orders: count((o) => o.status === 'filled'),
    total_open_orders: count((o) => o.status === 'open' || o.status === 'partially_filled'),
    total_rejected_orders: count((o) => o.status === 'rejected'),
    total_trigger_pending_orders: count((o) => o.status === 'trigger_pending'),
  };
}

export function tradeRow(fill: Fill, digits: PriceDigits) {
  return {
    action: fill.side,
    symbol: fill.symbol,
    exchange: fill.exchange,
    orderid: fill.orderId,
    tradeid: fill.tradeId,
    product: fill.product,
    quantity: num(fill.quantity),
    average_price: num(fill.price),
    timestamp: istTimestamp(fill.at),
    trade_value: toRoundedNumber(mul(fill.quantity, fill.price), moneyDigits(currencyOf(fill), digits(fill.symbol, fill.exchange))),
  };
}

export function positionRow(position: PositionView, digits: PriceDigits) {
  const valued = valuePosition(position);
  const priceDigits = digits(position.symbol, position.exchange);
  return {
    symbol: position.symbol,
    exchange: position.exchange,
    product: position.product,
    currency: position.currency,
    quantity: num(position.quantity),
    average_price: isZero(position.quantity) ? 0 : toRoundedNumber(position.averagePrice, priceDigits),
    ltp: num(position.lastPrice),
    pnl: toRoundedNumber(valued.totalPnl, moneyDigits(position.currency, priceDigits)),
  };
}

/** Holdings rows and OpenAlgo's statistics, which are the rupee totals; `by_currency` adds each currency's when others are held. */
export function holdingsData(holdings: readonly HoldingView[], digits: PriceDigits) {
  const valuation = valueHoldings(holdings);
  const rows = valuation.holdings.map((holding) => {
    const priceDigits = digits(holding.symbol, holding.exchange);
    return {
      symbol: holding.symbol,
      exchange: holding.exchange,
      product: 'CNC' as const,
      currency: holding.currency,
      quantity: num(holding.quantity),
      average_price: toRoundedNumber(holding.averagePrice, priceDigits),
      ltp: num(holding.lastPrice),
      pnl: toRoundedNumber(holding.pnl, moneyDigits(holding.currency, priceDigits)),
      pnlpercent: money(holding.pnlPercent),
    };
  });
  const foreign = valuation.totals.some((total) => total.currency !== HOME_CURRENCY);
  return {
    holdings: rows,
    statistics: {
      ...holdingsStatistics(holdingsTotalIn(valuation, HOME_CURRENCY)),
      currency: HOME_CURRENCY,
      ...(foreign ? { by_currency: Object.fromEntries(valuation.totals.map((total) => [total.currency, holdingsStatistics(total)])) } : {}),
    },
  };
}

function holdingsStatistics(total: HoldingsTotal) {
  return {
    totalholdingvalue: money(total.value),
    totalinvvalue: money(total.invested),
    totalprofitandloss: money(total.pnl),
    totalpnlpercentage: money(total.pnlPercent),
  };
}

/** OpenAlgo's funds fields for the rupee balance; `balances` lists every currency's (rupees first) when there are others. */
export function fundsData(funds: readonly Funds[]) {
  const home = fundsIn(funds, HOME_CURRENCY);
  const others = orderedFunds(funds).filter((each) => each.currency !== HOME_CURRENCY);
  return {
    ...fundsFields(home),
    currency: HOME_CURRENCY,
    ...(others.length > 0 ? { balances: [home, ...others].map((each) => ({ currency: each.currency, ...fundsFields(each) })) } : {}),
  };
}

function fundsFields(funds: Funds) {
  return {
    availablecash: toFixed(funds.availableCash, 2),
    collateral: toFixed(funds.collateral, 2),
    m2mrealized: toFixed(funds.realizedPnl, 2),
    m2munrealized: toFixed(funds.unrealizedPnl, 2),
    utiliseddebits: toFixed(funds.usedMargin, 2),
  };
}
