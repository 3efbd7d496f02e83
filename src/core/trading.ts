// Trading use cases: every order and account request of every dialect ends here, as neutral commands on the broker
// that serves the account. Risk controls and idempotency will sit in this layer too.
import type { Broker, FundsView, HoldingView, PositionView } from '../brokers/broker.js';
import { type Decimal, ZERO } from '../domain/decimal.js';
import type { Exchange } from '../domain/instrument.js';
import type { BarInterval, DepthView, HistorySeries, QuoteView } from '../domain/market.js';
import type { Fill, Order, OrderChanges, OrderRequest, Product } from '../domain/order.js';

/** Finds the broker connection serving an account. */
export type BrokerResolver = (accountId: string) => Broker;

export class TradingService {
  constructor(private readonly brokerFor: BrokerResolver) {}

  /** The same service with every broker it resolves passed through `wrap` (e.g. timed for one request). */
  through(wrap: (broker: Broker) => Broker): TradingService {
    return new TradingService((accountId) => wrap(this.brokerFor(accountId)));
  }

  placeOrder(request: OrderRequest): Promise<Order> {
    return this.brokerFor(request.accountId).placeOrder(request);
  }

  modifyOrder(accountId: string, orderId: string, changes: OrderChanges): Promise<Order> {
    return this.brokerFor(accountId).modifyOrder(accountId, orderId, changes);
  }

  cancelOrder(accountId: string, orderId: string): Promise<Order> {
    return this.brokerFor(accountId).cancelOrder(accountId, orderId);
  }

  getOrder(accountId: string, orderId: string): Promise<Order> {
    return this.brokerFor(accountId).getOrder(accountId, orderId);
  }

  listOrders(accountId: string): Promise<Order[]> {
    return this.brokerFor(accountId).listOrders(accountId);
  }

  listTrades(accountId: string): Promise<Fill[]> {
    return this.brokerFor(accountId).listTrades(accountId);
  }

  listPositions(accountId: string): Promise<PositionView[]> {
    return this.brokerFor(accountId).listPositions(accountId);
  }

  listHoldings(accountId: string): Promise<HoldingView[]> {
    return this.brokerFor(accountId).listHoldings(accountId);
  }

  getFunds(accountId: string): Promise<FundsView> {
    return this.brokerFor(accountId).getFunds(accountId);
  }

  /** Signed net quantity of one position; zero when there is none. */
  async netQuantity(accountId: string, symbol: string, exchange: Exchange, product: Product): Promise<Decimal> {
    const positions = await this.listPositions(accountId);
    const position = positions.find((p) => p.symbol === symbol && p.exchange === exchange && p.product === product);
    return position?.quantity ?? ZERO;
  }

  getQuote(accountId: string, symbol: string, exchange: Exchange): Promise<QuoteView> {
    return this.brokerFor(accountId).getQuote(symbol, exchange);
  }

  getDepth(accountId: string, symbol: string, exchange: Exchange): Promise<DepthView> {
    return this.brokerFor(accountId).getDepth(symbol, exchange);
  }

  historyIntervals(accountId: string): readonly BarInterval[] {
    return this.brokerFor(accountId).historyIntervals();
  }

  getHistory(accountId: string, symbol: string, exchange: Exchange): Promise<HistorySeries> {
    return this.brokerFor(accountId).getHistory(symbol, exchange);
  }

  brokerName(accountId: string): string {
    return this.brokerFor(accountId).name;
  }
}
