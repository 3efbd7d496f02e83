// The Broker port (DESIGN §3.2): what the core asks of any broker, paper or real. Adapters raise the domain's errors.
import type { Decimal } from '../domain/decimal.js';
import type { Exchange } from '../domain/instrument.js';
import type { Fill, Order, OrderChanges, OrderRequest, Product } from '../domain/order.js';

export interface PositionView {
  symbol: string;
  exchange: Exchange;
  product: Product;
  /** Signed net quantity. */
  quantity: Decimal;
  /** Average price of the open quantity; zero when flat. */
  averagePrice: Decimal;
  lastPrice: Decimal;
  realizedPnl: Decimal;
  unrealizedPnl: Decimal;
}

export interface HoldingView {
  symbol: string;
  exchange: Exchange;
  quantity: Decimal;
  /** Exact cost of the shares held. */
  cost: Decimal;
  averagePrice: Decimal;
  lastPrice: Decimal;
}

export interface FundsView {
  /** Cash free for new orders: deposits + realized P&L − margin in use. */
  availableCash: Decimal;
  collateral: Decimal;
  realizedPnl: Decimal;
  unrealizedPnl: Decimal;
  /** Margin blocked by working orders and held by open positions. */
  usedMargin: Decimal;
}

export interface BrokerCapabilities {
  /** The broker honours client order ids, so a retried placement cannot duplicate an order. */
  idempotentPlacement: boolean;
  fractionalQuantity: boolean;
}

export interface Broker {
  readonly name: string;
  capabilities(): BrokerCapabilities;
  placeOrder(request: OrderRequest): Promise<Order>;
  modifyOrder(accountId: string, orderId: string, changes: OrderChanges): Promise<Order>;
  cancelOrder(accountId: string, orderId: string): Promise<Order>;
  getOrder(accountId: string, orderId: string): Promise<Order>;
  listOrders(accountId: string): Promise<Order[]>;
  listTrades(accountId: string): Promise<Fill[]>;
  listPositions(accountId: string): Promise<PositionView[]>;
  listHoldings(accountId: string): Promise<HoldingView[]>;
  getFunds(accountId: string): Promise<FundsView>;
}
