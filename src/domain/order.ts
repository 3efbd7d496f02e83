// The neutral order model (DESIGN §3.1) and its state machine; dialects translate their words onto these.
import type { Decimal } from './decimal.js';
import type { Exchange } from './instrument.js';

export type Side = 'BUY' | 'SELL';
export type OrderType = 'MARKET' | 'LIMIT' | 'STOP' | 'STOP_LIMIT';
export type Product = 'CNC' | 'MIS' | 'NRML';
export type TimeInForce = 'DAY' | 'GTC' | 'IOC' | 'FOK';
export type OrderStatus =
  | 'pending'
  | 'open'
  | 'trigger_pending'
  | 'partially_filled'
  | 'filled'
  | 'cancelled'
  | 'rejected';

export const SIDES: readonly Side[] = ['BUY', 'SELL'];

/** How long a client order id names its order (then it may be used again): as long as Idempotency-Key answers are kept. */
export const CLIENT_ORDER_ID_WINDOW_MS = 24 * 3600 * 1000;
export const PRODUCTS: readonly Product[] = ['CNC', 'MIS', 'NRML'];

/** What a client asks for; the exchange turns it into an `Order`. */
export interface OrderRequest {
  accountId: string;
  symbol: string;
  exchange: Exchange;
  side: Side;
  quantity: Decimal;
  type: OrderType;
  limitPrice?: Decimal;
  stopPrice?: Decimal;
  product: Product;
  timeInForce: TimeInForce;
  disclosedQuantity?: Decimal;
  strategyTag?: string;
  clientOrderId?: string;
}

export interface Order extends OrderRequest {
  id: string;
  status: OrderStatus;
  filledQuantity: Decimal;
  /** Volume-weighted price of the fills so far; zero before the first. */
  averagePrice: Decimal;
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
  rejectReason?: string;
  /** The broker connection the order went to, and the broker's own id of it (the core's record only). */
  broker?: string;
  brokerOrderId?: string;
}

/** The fields a modification may change; the rest of the order stays as placed. */
export interface OrderChanges {
  quantity?: Decimal;
  type?: OrderType;
  limitPrice?: Decimal;
  stopPrice?: Decimal;
  disclosedQuantity?: Decimal;
}

export interface Fill {
  tradeId: string;
  orderId: string;
  accountId: string;
  symbol: string;
  exchange: Exchange;
  product: Product;
  side: Side;
  quantity: Decimal;
  price: Decimal;
  /** Epoch milliseconds. */
  at: number;
}

const TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  pending: ['open', 'trigger_pending', 'partially_filled', 'filled', 'rejected', 'cancelled'],
  trigger_pending: ['open', 'partially_filled', 'filled', 'cancelled'],
  // A working limit order modified into a stop waits for its trigger again.
  open: ['trigger_pending', 'partially_filled', 'filled', 'cancelled'],
  partially_filled: ['partially_filled', 'filled', 'cancelled'],
  filled: [],
  cancelled: [],
  rejected: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Orders still working at the exchange: they can fill, be modified or be cancelled. */
export function isWorking(status: OrderStatus): boolean {
  return status === 'open' || status === 'trigger_pending' || status === 'partially_filled';
}

export const isStopType = (type: OrderType): boolean => type === 'STOP' || type === 'STOP_LIMIT';
export const hasLimitPrice = (type: OrderType): boolean => type === 'LIMIT' || type === 'STOP_LIMIT';
export const oppositeSide = (side: Side): Side => (side === 'BUY' ? 'SELL' : 'BUY');

/** A fill of `order`: its instrument, side and product, at `price`. */
export function fillOf(order: Order, tradeId: string, quantity: Decimal, price: Decimal, at: number): Fill {
  return {
    tradeId,
    orderId: order.id,
    accountId: order.accountId,
    symbol: order.symbol,
    exchange: order.exchange,
    product: order.product,
    side: order.side,
    quantity,
    price,
    at,
  };
}

/** Whether a placement asks for the same instrument, side and product as an earlier order (a client order id's retry). */
export function sameTarget(order: Order, request: OrderRequest): boolean {
  return (
    order.symbol === request.symbol &&
    order.exchange === request.exchange &&
    order.side === request.side &&
    order.product === request.product
  );
}
