// The Broker port (DESIGN §3.2): what the core asks of any broker, paper or real. Adapters raise the domain's errors.
import type { Decimal } from '../domain/decimal.js';
import type { Fill, Order, OrderChanges, OrderRequest } from '../domain/order.js';
import type { HoldingView, PositionView } from '../domain/position.js';
import type { Exchange } from '../domain/instrument.js';
import type { BarInterval, DepthView, HistorySeries, QuoteView } from '../domain/market.js';

export type { HoldingView, PositionView };

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
  getQuote(symbol: string, exchange: Exchange): Promise<QuoteView>;
  getDepth(symbol: string, exchange: Exchange): Promise<DepthView>;
  /** Every bar interval some series of this broker is served in, finest first. */
  historyIntervals(): readonly BarInterval[];
  /** The bars of (symbol, exchange), with the intervals and range that series serves; InstrumentNotFound if unknown. */
  getHistory(symbol: string, exchange: Exchange): Promise<HistorySeries>;
}
