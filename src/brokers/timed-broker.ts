// A Broker that times every call of the broker it wraps and reports each one to an observer, so the latency monitor
// can tell broker round-trips from the gateway's own time (the latency recorder wraps a measured request's brokers).
import type { Exchange } from '../domain/instrument.js';
import type { BarInterval, DepthView, HistorySeries, QuoteView } from '../domain/market.js';
import type { Fill, Order, OrderChanges, OrderRequest } from '../domain/order.js';
import type { Broker, BrokerCapabilities, FundsView, HoldingView, PositionView } from './broker.js';

/** One call: which broker and method, and when it started and settled on the observer's clock (nanoseconds). */
export interface BrokerCallTiming {
  broker: string;
  method: BrokerMethod;
  startNs: bigint;
  endNs: bigint;
}

export type BrokerMethod = Exclude<keyof Broker, 'name'>;

/** Called once per call when it settles, whether it succeeded or threw; it must not throw itself. */
export type BrokerCallObserver = (call: BrokerCallTiming) => void;

export class TimedBroker implements Broker {
  constructor(
    private readonly inner: Broker,
    private readonly observe: BrokerCallObserver,
    /** A monotonic clock in nanoseconds; the one the observer measures requests with. */
    private readonly now: () => bigint = process.hrtime.bigint,
  ) {}

  get name(): string {
    return this.inner.name;
  }

  capabilities(): BrokerCapabilities {
    return this.timeSync('capabilities', () => this.inner.capabilities());
  }

  placeOrder(request: OrderRequest): Promise<Order> {
    return this.time('placeOrder', () => this.inner.placeOrder(request));
  }

  modifyOrder(accountId: string, orderId: string, changes: OrderChanges): Promise<Order> {
    return this.time('modifyOrder', () => this.inner.modifyOrder(accountId, orderId, changes));
  }

  cancelOrder(accountId: string, orderId: string): Promise<Order> {
    return this.time('cancelOrder', () => this.inner.cancelOrder(accountId, orderId));
  }

  getOrder(accountId: string, orderId: string): Promise<Order> {
    return this.time('getOrder', () => this.inner.getOrder(accountId, orderId));
  }

  listOrders(accountId: string): Promise<Order[]> {
    return this.time('listOrders', () => this.inner.listOrders(accountId));
  }

  listTrades(accountId: string): Promise<Fill[]> {
    return this.time('listTrades', () => this.inner.listTrades(accountId));
  }

  listPositions(accountId: string): Promise<PositionView[]> {
    return this.time('listPositions', () => this.inner.listPositions(accountId));
  }

  listHoldings(accountId: string): Promise<HoldingView[]> {
    return this.time('listHoldings', () => this.inner.listHoldings(accountId));
  }

  getFunds(accountId: string): Promise<FundsView> {
    return this.time('getFunds', () => this.inner.getFunds(accountId));
  }

  getQuote(symbol: string, exchange: Exchange): Promise<QuoteView> {
    return this.time('getQuote', () => this.inner.getQuote(symbol, exchange));
  }

  getDepth(symbol: string, exchange: Exchange): Promise<DepthView> {
    return this.time('getDepth', () => this.inner.getDepth(symbol, exchange));
  }

  historyIntervals(): readonly BarInterval[] {
    return this.timeSync('historyIntervals', () => this.inner.historyIntervals());
  }

  getHistory(symbol: string, exchange: Exchange): Promise<HistorySeries> {
    return this.time('getHistory', () => this.inner.getHistory(symbol, exchange));
  }

  private async time<T>(method: BrokerMethod, call: () => Promise<T>): Promise<T> {
    const startNs = this.now();
    try {
      return await call();
    } finally {
      this.observe({ broker: this.inner.name, method, startNs, endNs: this.now() });
    }
  }

  private timeSync<T>(method: BrokerMethod, call: () => T): T {
    const startNs = this.now();
    try {
      return call();
    } finally {
      this.observe({ broker: this.inner.name, method, startNs, endNs: this.now() });
    }
  }
}
