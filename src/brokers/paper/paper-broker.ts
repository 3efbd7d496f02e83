// The paper broker: the Broker port over the built-in paper exchange and its market history, plus the timer that lets
// its market move.
import type { Fill, Order, OrderChanges, OrderRequest } from '../../domain/order.js';
import type { PaperExchange } from '../../exchange/paper-exchange.js';
import type { Broker, BrokerCapabilities, FundsView, HoldingView, PositionView } from '../broker.js';
import { ZERO } from '../../domain/decimal.js';
import type { Exchange } from '../../domain/instrument.js';
import { InstrumentNotFound } from '../../domain/errors.js';
import type { BarInterval, DepthView, HistorySeries, QuoteView } from '../../domain/market.js';
import type { MarketHistory } from '../../exchange/history/market-history.js';
import type { DailyListing } from '../../exchange/instruments/daily-listing.js';

export class PaperBroker implements Broker {
  readonly name = 'paper';
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly exchange: PaperExchange,
    private readonly history: Pick<MarketHistory, 'intervals' | 'series'>,
    /** Keeps the exchange's instrument listing on the current session day; refreshed before each matching pass. */
    private readonly listing?: Pick<DailyListing, 'refresh'>,
  ) {}

  capabilities(): BrokerCapabilities {
    // The exchange answers a placement whose client order id it has seen with that order (PaperExchange.place).
    return { idempotentPlacement: true, fractionalQuantity: true };
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
    this.listing?.refresh();
    this.exchange.tick();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  // Writes answer once their events are durable; account reads first wait for whatever is being committed, so no
  // client ever sees state a crash could still take back.
  async placeOrder(request: OrderRequest): Promise<Order> {
    const order = this.exchange.place(request);
    await this.exchange.whenDurable();
    return order;
  }

  async modifyOrder(accountId: string, orderId: string, changes: OrderChanges): Promise<Order> {
    const order = this.exchange.modify(accountId, orderId, changes);
    await this.exchange.whenDurable();
    return order;
  }

  async cancelOrder(accountId: string, orderId: string): Promise<Order> {
    const order = this.exchange.cancel(accountId, orderId);
    await this.exchange.whenDurable();
    return order;
  }

  async getOrder(accountId: string, orderId: string): Promise<Order> {
    await this.exchange.whenDurable();
    return this.exchange.getOrder(accountId, orderId);
  }

  async listOrders(accountId: string): Promise<Order[]> {
    await this.exchange.whenDurable();
    return this.exchange.orders(accountId);
  }

  async listTrades(accountId: string): Promise<Fill[]> {
    await this.exchange.whenDurable();
    return this.exchange.trades(accountId);
  }

  async listPositions(accountId: string): Promise<PositionView[]> {
    await this.exchange.whenDurable();
    return this.exchange.positions(accountId);
  }

  async listHoldings(accountId: string): Promise<HoldingView[]> {
    await this.exchange.whenDurable();
    return this.exchange.holdings(accountId);
  }

  async getQuote(symbol: string, exchange: Exchange): Promise<QuoteView> {
    return this.exchange.quote(symbol, exchange);
  }

  async getDepth(symbol: string, exchange: Exchange): Promise<DepthView> {
    return this.exchange.depth(symbol, exchange);
  }

  historyIntervals(): readonly BarInterval[] {
    return this.history.intervals;
  }

  async getHistory(symbol: string, exchange: Exchange): Promise<HistorySeries> {
    const series = this.history.series(symbol, exchange);
    if (!series) throw new InstrumentNotFound(symbol, exchange);
    return series;
  }

  async getFunds(accountId: string): Promise<FundsView> {
    await this.exchange.whenDurable();
    const funds = this.exchange.funds(accountId);
    return {
      availableCash: funds.availableCash,
      collateral: ZERO,
      realizedPnl: funds.realizedPnl,
      unrealizedPnl: funds.unrealizedPnl,
      usedMargin: funds.usedMargin,
    };
  }
}
