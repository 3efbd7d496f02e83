// A Broker that passes every call to the broker it wraps, each asynchronous one through `call`: the base of the
// decorators (timing, faults, resilience, caching), which override `call` or the few methods they change.
import type { Exchange, InstrumentLookup } from '../domain/instrument.js';
import type { BarInterval, DepthView, HistorySeries, QuoteView } from '../domain/market.js';
import type { BasketMargin, MarginLeg } from '../domain/margin-basket.js';
import type { OrderChanges, OrderRequest } from '../domain/order.js';
import type {
  AsyncBrokerMethod,
  Broker,
  BrokerCapabilities,
  Funds,
  HoldingView,
  OrderReport,
  OrderUpdateListener,
  PositionView,
  TickSource,
} from './broker.js';

export abstract class DelegatingBroker implements Broker {
  constructor(protected readonly inner: Broker) {}

  get name(): string {
    return this.inner.name;
  }

  get instruments(): InstrumentLookup {
    return this.inner.instruments;
  }

  get ticks(): TickSource | undefined {
    return this.inner.ticks;
  }

  capabilities(): BrokerCapabilities {
    return this.inner.capabilities();
  }

  historyIntervals(): readonly BarInterval[] {
    return this.inner.historyIntervals();
  }

  onOrderUpdates(listener: OrderUpdateListener): () => void {
    return this.inner.onOrderUpdates(listener);
  }

  reported(): Promise<void> | null {
    return this.inner.reported();
  }

  /** Runs one asynchronous call of the inner broker; decorators override it. */
  protected call<T>(_method: AsyncBrokerMethod, forward: () => Promise<T>): Promise<T> {
    return forward();
  }

  placeOrder(request: OrderRequest): Promise<OrderReport> {
    return this.call('placeOrder', () => this.inner.placeOrder(request));
  }

  modifyOrder(accountId: string, brokerOrderId: string, changes: OrderChanges): Promise<OrderReport> {
    return this.call('modifyOrder', () => this.inner.modifyOrder(accountId, brokerOrderId, changes));
  }

  cancelOrder(accountId: string, brokerOrderId: string): Promise<OrderReport> {
    return this.call('cancelOrder', () => this.inner.cancelOrder(accountId, brokerOrderId));
  }

  statusReports(accountId: string): Promise<OrderReport[]> {
    return this.call('statusReports', () => this.inner.statusReports(accountId));
  }

  listPositions(accountId: string): Promise<PositionView[]> {
    return this.call('listPositions', () => this.inner.listPositions(accountId));
  }

  listHoldings(accountId: string): Promise<HoldingView[]> {
    return this.call('listHoldings', () => this.inner.listHoldings(accountId));
  }

  getFunds(accountId: string): Promise<Funds[]> {
    return this.call('getFunds', () => this.inner.getFunds(accountId));
  }

  basketMargin(accountId: string, legs: readonly MarginLeg[]): Promise<BasketMargin> {
    return this.call('basketMargin', () => this.inner.basketMargin(accountId, legs));
  }

  getQuote(symbol: string, exchange: Exchange): Promise<QuoteView> {
    return this.call('getQuote', () => this.inner.getQuote(symbol, exchange));
  }

  getDepth(symbol: string, exchange: Exchange): Promise<DepthView> {
    return this.call('getDepth', () => this.inner.getDepth(symbol, exchange));
  }

  getHistory(symbol: string, exchange: Exchange): Promise<HistorySeries> {
    return this.call('getHistory', () => this.inner.getHistory(symbol, exchange));
  }
}
