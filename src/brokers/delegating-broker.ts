// A Broker that passes every call to the broker it wraps: the base of decorators that change a few calls only.
import type { Exchange } from '../domain/instrument.js';
import type { BarInterval, DepthView, HistorySeries, QuoteView } from '../domain/market.js';
import type { Fill, Order, OrderChanges, OrderRequest } from '../domain/order.js';
import type { Broker, BrokerCapabilities, FundsView, HoldingView, PositionView } from './broker.js';

export abstract class DelegatingBroker implements Broker {
  constructor(protected readonly inner: Broker) {}

  get name(): string {
    return this.inner.name;
  }

  capabilities(): BrokerCapabilities {
    return this.inner.capabilities();
  }

  placeOrder(request: OrderRequest): Promise<Order> {
    return this.inner.placeOrder(request);
  }

  modifyOrder(accountId: string, orderId: string, changes: OrderChanges): Promise<Order> {
    return this.inner.modifyOrder(accountId, orderId, changes);
  }

  cancelOrder(accountId: string, orderId: string): Promise<Order> {
    return this.inner.cancelOrder(accountId, orderId);
  }

  getOrder(accountId: string, orderId: string): Promise<Order> {
    return this.inner.getOrder(accountId, orderId);
  }

  listOrders(accountId: string): Promise<Order[]> {
    return this.inner.listOrders(accountId);
  }

  listTrades(accountId: string): Promise<Fill[]> {
    return this.inner.listTrades(accountId);
  }

  listPositions(accountId: string): Promise<PositionView[]> {
    return this.inner.listPositions(accountId);
  }

  listHoldings(accountId: string): Promise<HoldingView[]> {
    return this.inner.listHoldings(accountId);
  }

  getFunds(accountId: string): Promise<FundsView> {
    return this.inner.getFunds(accountId);
  }

  getQuote(symbol: string, exchange: Exchange): Promise<QuoteView> {
    return this.inner.getQuote(symbol, exchange);
  }

  getDepth(symbol: string, exchange: Exchange): Promise<DepthView> {
    return this.inner.getDepth(symbol, exchange);
  }

  historyIntervals(): readonly BarInterval[] {
    return this.inner.historyIntervals();
  }

  getHistory(symbol: string, exchange: Exchange): Promise<HistorySeries> {
    return this.inner.getHistory(symbol, exchange);
  }
}
