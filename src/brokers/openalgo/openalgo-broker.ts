// The OpenAlgo-upstream broker: the Broker port over any server that speaks OpenAlgo's v1 API (a user's own OpenAlgo
// install, and through it its brokers, or another Ordergate), for one account there (its API key). Orders go up as v1
// calls; reports come back from orderstatus, orderbook and tradebook; the upstream's own changes arrive through its
// WebSocket order feed, or by polling while the feed is down.
import type { Clock } from '../../domain/clock.js';
import { OrderNotModifiable } from '../../domain/errors.js';
import type { Funds } from '../../domain/funds.js';
import type { Exchange, InstrumentLookup } from '../../domain/instrument.js';
import type { BasketMargin, MarginLeg } from '../../domain/margin-basket.js';
import type { BarInterval, DepthView, HistorySeries, QuoteView } from '../../domain/market.js';
import { ZERO } from '../../domain/decimal.js';
import type { Order, OrderChanges, OrderRequest } from '../../domain/order.js';
import type { HoldingView, PositionView } from '../../domain/position.js';
import type { Broker, BrokerCapabilities, OrderReport, OrderUpdateListener } from '../broker.js';
import { OrderUpdates } from './order-updates.js';
import { PlacedOrders } from './placed-orders.js';
import { UpstreamHistory } from './upstream-history.js';
import { fundsOf, holdingOf, positionOf } from './v1-account.js';
import { V1Client } from './v1-client.js';
import { basketMarginOf, marginPosition } from './v1-margin.js';
import { depthOf, intervalsOf, quoteOf } from './v1-market.js';
import { DEFAULT_STRATEGY, type RowContext, modifyOrderBody, orderOf, orderReport, orderReports, placeOrderBody } from './v1-orders.js';
import { orderRowsOf } from './v1-schemas.js';

export interface OpenAlgoBrokerOptions {
  /** Where the upstream answers, e.g. `http://127.0.0.1:5000`. */
  baseUrl: string;
  /** The upstream's API key of the account; sent in request bodies and the feed's authentication, nowhere else. */
  apiKey: string;
  /** Ordergate's account the upstream account serves: the account of every report. */
  accountId: string;
  /** Ordergate's instrument master (OpenAlgo symbology is shared): what the core checks orders against. */
  instruments: InstrumentLookup;
  clock: Clock;
  /** How often status reports are polled while the order feed is down, in ms; default 1000. */
  pollMs?: number;
  /** The upstream's WebSocket; default `/ws` on the base URL's host (as Ordergate serves it; OpenAlgo's is port 8765). */
  wsUrl?: string;
  fetch?: typeof fetch;
  /** How long one HTTP call may run before it is abandoned, in ms; default 30 s (the resilience layer times out sooner). */
  requestTimeoutMs?: number;
  /** First delay before the feed reconnects, in ms; default 250, doubling after each failed attempt. */
  reconnectMs?: number;
  /** Longest delay between the feed's attempts to reconnect, in ms; default 10 s. */
  maxReconnectMs?: number;
  /** How often the feed's connection is checked with a ping, in ms; default 15 s. */
  heartbeatMs?: number;
  /** A failure in the background (the feed dropped, a poll failed); must not throw. Never holds the API key. */
  onError?: (error: unknown) => void;
}

export class OpenAlgoBroker implements Broker {
  readonly name = 'openalgo';
  readonly instruments: InstrumentLookup;
  private readonly client: V1Client;
  private readonly updates: OrderUpdates;
  private readonly placed = new PlacedOrders();
  private intervals: readonly BarInterval[] = [];
  private loadingIntervals: Promise<readonly BarInterval[]> | undefined;

  constructor(private readonly options: OpenAlgoBrokerOptions) {
    this.instruments = options.instruments;
    this.client = new V1Client(options);
    this.updates = new OrderUpdates({
      feed: {
        url: options.wsUrl ?? feedUrlOf(options.baseUrl),
        apiKey: options.apiKey,
        reconnectMs: options.reconnectMs ?? 250,
        maxReconnectMs: options.maxReconnectMs ?? 10_000,
        heartbeatMs: options.heartbeatMs ?? 15_000,
      },
      pollMs: options.pollMs ?? 1000,
      reportOf: (orderId) => this.reportOf(orderId),
      statusReports: () => this.statusReports(options.accountId),
      onError: options.onError ?? (() => undefined),
    });
  }

  /** Reads the upstream's history intervals and opens the order feed; rejects (and closes) if the upstream cannot answer. */
  async start(): Promise<void> {
    try {
      await this.loadIntervals();
    } catch (error) {
      this.close();
      throw error;
    }
    this.updates.start();
  }

  /** Closes the feed, stops polling and ends the calls under way. */
  close(): void {
    this.updates.close();
    this.client.close();
  }

  capabilities(): BrokerCapabilities {
    // OpenAlgo has no client order ids: a repeated placement would be a second order.
    return { idempotentPlacement: false, fractionalQuantity: false, orderUpdates: this.updates.pushing ? 'push' : 'poll' };
  }

  onOrderUpdates(listener: OrderUpdateListener): () => void {
    return this.updates.subscribe(listener);
  }

  /** Updates are reported as the feed or the polling learns of them: nothing is held back here. */
  reported(): Promise<void> | null {
    return null;
  }

  /** `listener` is called when the order feed comes back after a drop, so the core can reconcile. */
  onReconnect(listener: () => void): () => void {
    return this.updates.onReconnect(listener);
  }

  async placeOrder(request: OrderRequest): Promise<OrderReport> {
    const placed = await this.client.call('placeorder', placeOrderBody(request), { idempotencyKey: request.clientOrderId });
    const orderId = String(placed.orderid);
    this.placed.remember(orderId, {
      clientOrderId: request.clientOrderId,
      disclosedQuantity: request.disclosedQuantity,
      strategyTag: request.strategyTag,
    });
    let report: OrderReport;
    try {
      report = await this.reportOf(orderId);
    } catch (error) {
      // The order is placed; only reading it back failed. It is reported as accepted, and its updates (the feed, the
      // polls, reconciliation) bring it up to date.
      this.options.onError?.(error);
      report = { order: this.acknowledged(request, orderId), fills: [], allFills: false };
    }
    this.updates.note(report);
    return report;
  }

  async modifyOrder(_accountId: string, brokerOrderId: string, changes: OrderChanges): Promise<OrderReport> {
    const status = await this.client.call('orderstatus', { strategy: DEFAULT_STRATEGY, orderid: brokerOrderId }, { orderId: brokerOrderId });
    const current = orderOf(status.data, [], this.context(brokerOrderId));
    if (current.status === 'filled' || current.status === 'cancelled' || current.status === 'rejected') {
      throw new OrderNotModifiable(brokerOrderId, 'modify', current.status);
    }
    await this.client.call('modifyorder', modifyOrderBody(current, changes), { orderId: brokerOrderId });
    if (changes.disclosedQuantity !== undefined) this.placed.remember(brokerOrderId, { disclosedQuantity: changes.disclosedQuantity });
    const report = await this.reportOf(brokerOrderId);
    this.updates.note(report);
    return report;
  }

  async cancelOrder(_accountId: string, brokerOrderId: string): Promise<OrderReport> {
    const strategy = this.placed.get(brokerOrderId)?.strategyTag ?? DEFAULT_STRATEGY;
    await this.client.call('cancelorder', { strategy, orderid: brokerOrderId }, { orderId: brokerOrderId });
    const report = await this.reportOf(brokerOrderId);
    this.updates.note(report);
    return report;
  }

  async statusReports(_accountId: string): Promise<OrderReport[]> {
    // The book first, then the trades: fills made in between show in the trades (v1-orders.ts, orderReport).
    const book = await this.client.call('orderbook');
    const trades = await this.client.call('tradebook');
    const context = { accountId: this.options.accountId, now: this.options.clock.now() };
    return orderReports(orderRowsOf(book), trades.data, context, (orderId) => this.placed.get(orderId));
  }

  async listPositions(_accountId: string): Promise<PositionView[]> {
    return (await this.client.call('positionbook')).data.map(positionOf);
  }

  async listHoldings(_accountId: string): Promise<HoldingView[]> {
    return (await this.client.call('holdings')).data.holdings.map(holdingOf);
  }

  async getFunds(_accountId: string): Promise<Funds[]> {
    return fundsOf((await this.client.call('funds')).data);
  }

  // The upstream's /margin, for its account; the upstream decides what its own positions count for.
  async basketMargin(_accountId: string, legs: readonly MarginLeg[]): Promise<BasketMargin> {
    return basketMarginOf((await this.client.call('margin', { positions: legs.map(marginPosition) })).data);
  }

  async getQuote(symbol: string, exchange: Exchange): Promise<QuoteView> {
    return quoteOf((await this.client.call('quotes', { symbol, exchange })).data, this.options.clock.now());
  }

  async getDepth(symbol: string, exchange: Exchange): Promise<DepthView> {
    return depthOf((await this.client.call('depth', { symbol, exchange })).data, this.options.clock.now());
  }

  /** The upstream's intervals as read by `start` (or the first history request); none before. */
  historyIntervals(): readonly BarInterval[] {
    return this.intervals;
  }

  async getHistory(symbol: string, exchange: Exchange): Promise<HistorySeries> {
    const intervals = await this.loadIntervals();
    const fetchBars = async (interval: string, start_date: string, end_date: string) =>
      (await this.client.call('history', { symbol, exchange, interval, start_date, end_date })).data;
    return new UpstreamHistory(symbol, exchange, intervals, fetchBars, this.options.baseUrl);
  }

  /** One order with all its fills: its status first, then the trade book (see statusReports). */
  private async reportOf(orderId: string): Promise<OrderReport> {
    const status = await this.client.call('orderstatus', { strategy: DEFAULT_STRATEGY, orderid: orderId }, { orderId });
    const trades = await this.client.call('tradebook');
    return orderReport(status.data, trades.data, this.context(orderId));
  }

  private context(orderId: string): RowContext {
    return { accountId: this.options.accountId, now: this.options.clock.now(), placed: this.placed.get(orderId) };
  }

  /** The intervals, read once; a failed read is tried again by the next caller. */
  private loadIntervals(): Promise<readonly BarInterval[]> {
    this.loadingIntervals ??= this.client.call('intervals').then(
      (answer) => (this.intervals = intervalsOf(answer.data)),
      (error: unknown) => {
        this.loadingIntervals = undefined;
        throw error;
      },
    );
    return this.loadingIntervals;
  }

  /** A placed order as the request describes it, before the upstream was read back. */
  private acknowledged(request: OrderRequest, orderId: string): Order {
    const now = this.options.clock.now();
    return {
      ...request,
      id: orderId,
      accountId: this.options.accountId,
      status: 'pending',
      filledQuantity: ZERO,
      averagePrice: ZERO,
      createdAt: now,
      updatedAt: now,
    };
  }
}

/** `/ws` on the base URL's host: `http://h:5000/x` → `ws://h:5000/ws`. */
function feedUrlOf(baseUrl: string): string {
  const url = new URL('/ws', baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}
