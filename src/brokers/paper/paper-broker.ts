// The paper broker: the Broker port over the built-in paper exchange and its market history, plus the timer that lets
// its market move. The exchange keeps its own journal (its private state); what it does by itself (fills of resting
// orders, triggers, expiries, MIS square-off) reaches the core as order reports.
import type { Currency } from '../../domain/currency.js';
import type { Decimal } from '../../domain/decimal.js';
import { ZERO } from '../../domain/decimal.js';
import { InstrumentNotFound } from '../../domain/errors.js';
import type { JournaledEvent } from '../../domain/events.js';
import type { Exchange, InstrumentLookup } from '../../domain/instrument.js';
import type { BasketMargin, MarginLeg } from '../../domain/margin-basket.js';
import type { BarInterval, DepthView, HistorySeries, QuoteView } from '../../domain/market.js';
import type { Fill, Order, OrderChanges, OrderRequest } from '../../domain/order.js';
import type { MarketHistory } from '../../exchange/history/market-history.js';
import type { DailyListing } from '../../exchange/instruments/daily-listing.js';
import type { PaperExchange } from '../../exchange/paper-exchange.js';
import type {
  Broker,
  BrokerCapabilities,
  Funds,
  HoldingView,
  OrderReport,
  OrderUpdateListener,
  PositionView,
  TickSource,
} from '../broker.js';

export interface PaperBrokerOptions {
  exchange: PaperExchange;
  history: Pick<MarketHistory, 'intervals' | 'series'>;
  instruments: InstrumentLookup;
  /** What an account is funded with in each currency, at its first call. */
  startingCash: ReadonlyMap<Currency, Decimal>;
  /** Keeps the exchange's instrument listing on the current session day; refreshed before each matching pass. */
  listing?: Pick<DailyListing, 'refresh'>;
  /** The simulated market the exchange matches against, as the WebSocket stream reads it. */
  ticks?: TickSource;
}

export class PaperBroker implements Broker {
  readonly name = 'paper';
  readonly instruments: InstrumentLookup;
  readonly ticks: TickSource | undefined;
  private readonly exchange: PaperExchange;
  private readonly listeners = new Set<OrderUpdateListener>();
  private readonly opened = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: PaperBrokerOptions) {
    this.exchange = options.exchange;
    this.instruments = options.instruments;
    this.ticks = options.ticks;
    this.exchange.onEvents((events) => this.report(events));
  }

  capabilities(): BrokerCapabilities {
    // The exchange answers a placement whose client order id it has seen with that order (PaperExchange.place).
    return { idempotentPlacement: true, fractionalQuantity: true, orderUpdates: 'push' };
  }

  /** Matches working orders against the moving market every `intervalMs` until `stop`. */
  start(intervalMs: number, onError: (error: unknown) => void): void {
    this.stop();
    this.timer = setInterval(() => {
      try {
        this.tick();
      } catch (error) {
        onError(error);
      }
    }, intervalMs);
    this.timer.unref();
  }

  /** Whether the matching loop is running (the readiness check). */
  get running(): boolean {
    return this.timer !== undefined;
  }

  /** One matching pass at the market's current prices, on the current day's listing. */
  tick(): void {
    this.options.listing?.refresh();
    this.exchange.tick();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  onOrderUpdates(listener: OrderUpdateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // The exchange tells its listeners of a batch once it is durable, before whoever awaits the same commit next.
  reported(): Promise<void> | null {
    return this.exchange.whenDurable();
  }

  // Writes answer with what the exchange decided, before its journal holds it: the core records the report in the
  // same turn, so on SQLite both journals commit in one transaction, and it answers its client only once `reported()`
  // (this exchange's commit) and its own commit are durable. The batch the call committed is reported to the update
  // listeners all the same: when the answer is lost on the way, that report is how the core learns of the order.
  // Reads first wait for whatever the exchange is committing, so nothing a crash could still take back is shown.
  async placeOrder(request: OrderRequest): Promise<OrderReport> {
    this.open(request.accountId);
    return this.reportOf(this.exchange.place(request));
  }

  async modifyOrder(accountId: string, brokerOrderId: string, changes: OrderChanges): Promise<OrderReport> {
    return this.reportOf(this.exchange.modify(accountId, brokerOrderId, changes));
  }

  async cancelOrder(accountId: string, brokerOrderId: string): Promise<OrderReport> {
    return this.reportOf(this.exchange.cancel(accountId, brokerOrderId));
  }

  async statusReports(accountId: string): Promise<OrderReport[]> {
    await this.exchange.whenDurable();
    return this.exchange.orders(accountId).map((order) => this.reportOf(order));
  }

  async listPositions(accountId: string): Promise<PositionView[]> {
    this.open(accountId);
    await this.exchange.whenDurable();
    return this.exchange.positions(accountId);
  }

  async listHoldings(accountId: string): Promise<HoldingView[]> {
    this.open(accountId);
    await this.exchange.whenDurable();
    return this.exchange.holdings(accountId);
  }

  async getFunds(accountId: string): Promise<Funds[]> {
    this.open(accountId);
    await this.exchange.whenDurable();
    return this.exchange.funds(accountId).map((funds) => ({
      currency: funds.currency,
      availableCash: funds.availableCash,
      collateral: ZERO,
      realizedPnl: funds.realizedPnl,
      unrealizedPnl: funds.unrealizedPnl,
      usedMargin: funds.usedMargin,
    }));
  }

  // The basket as new positions, at the market's prices now; the account's own positions do not enter it.
  async basketMargin(_accountId: string, legs: readonly MarginLeg[]): Promise<BasketMargin> {
    return this.exchange.basketMargin(legs);
  }

  async getQuote(symbol: string, exchange: Exchange): Promise<QuoteView> {
    return this.exchange.quote(symbol, exchange);
  }

  async getDepth(symbol: string, exchange: Exchange): Promise<DepthView> {
    return this.exchange.depth(symbol, exchange);
  }

  historyIntervals(): readonly BarInterval[] {
    return this.options.history.intervals;
  }

  async getHistory(symbol: string, exchange: Exchange): Promise<HistorySeries> {
    const series = this.options.history.series(symbol, exchange);
    if (!series) throw new InstrumentNotFound(symbol, exchange);
    return series;
  }

  // An account gets its starting cash in each currency at its first call; one funded before it held a currency (a
  // data folder from before USD wallets) gets that currency's at its first call after a start.
  private open(accountId: string): void {
    if (this.opened.has(accountId)) return;
    const held = this.exchange.hasAccount(accountId)
      ? new Set(this.exchange.funds(accountId).map((funds) => funds.currency))
      : new Set<Currency>();
    for (const [currency, amount] of this.options.startingCash) {
      if (!held.has(currency)) this.exchange.fundAccount(accountId, amount, currency);
    }
    this.opened.add(accountId);
  }

  private reportOf(order: Order): OrderReport {
    return { order, fills: this.exchange.fillsOf(order.accountId, order.id), allFills: true };
  }

  // One report per order a batch of the exchange's events touched, with the fills the batch made; the order as it
  // stands now (later batches may have moved it on: the core applies what is new to it).
  private report(events: readonly JournaledEvent[]): void {
    if (this.listeners.size === 0) return;
    const touched = new Map<string, { accountId: string; fills: Fill[] }>();
    for (const event of events) {
      const orderId = orderIdOf(event);
      if (orderId === undefined) continue;
      let entry = touched.get(orderId);
      if (!entry) touched.set(orderId, (entry = { accountId: event.accountId, fills: [] }));
      if (event.type === 'order.fill') entry.fills.push(event.fill);
    }
    if (touched.size === 0) return;
    const reports: OrderReport[] = [];
    for (const [orderId, { accountId, fills }] of touched) {
      reports.push({ order: this.exchange.getOrder(accountId, orderId), fills, allFills: false });
    }
    for (const listener of this.listeners) listener(reports);
  }
}

function orderIdOf(event: JournaledEvent): string | undefined {
  switch (event.type) {
    case 'order.accepted':
    case 'order.rejected':
      return event.order.id;
    case 'order.fill':
      return event.fill.orderId;
    case 'order.triggered':
    case 'order.modified':
    case 'order.cancelled':
      return event.orderId;
    default:
      return undefined;
  }
}
