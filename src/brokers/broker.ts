// The Broker port (DESIGN §3.2): what the core asks of any broker, paper or real, in three parts: execution, market
// data and instruments. Adapters speak the neutral model only and raise the domain's typed errors.
import type { Funds } from '../domain/funds.js';
import type { Exchange, Instrument, InstrumentLookup } from '../domain/instrument.js';
import type { BasketMargin, MarginLeg } from '../domain/margin-basket.js';
import type { BarInterval, DepthLevel, DepthView, HistorySeries, MarketQuote, QuoteView } from '../domain/market.js';
import type { Fill, Order, OrderChanges, OrderRequest } from '../domain/order.js';
import type { HoldingView, PositionView } from '../domain/position.js';

export type { BasketMargin, Funds, HoldingView, MarginLeg, PositionView };

export interface BrokerCapabilities {
  /** The broker honours client order ids, so a retried placement cannot duplicate an order. */
  idempotentPlacement: boolean;
  fractionalQuantity: boolean;
  /** How the broker's own changes (fills, triggers, expiries) reach the core: pushed as they happen, or polled. */
  orderUpdates: 'push' | 'poll';
}

/**
 * The broker's view of one order: the order as the broker has it (`id` is the broker's id, `clientOrderId` what the
 * core sent it) and its fills (the broker's trade ids, `orderId` the broker's id). `allFills` says whether `fills` are
 * every fill of the order (a status report, a placement's answer) or only those the update is about.
 */
export interface OrderReport {
  order: Order;
  fills: readonly Fill[];
  allFills: boolean;
}

/** Receives the reports of changes the broker made on its own; must not throw. */
export type OrderUpdateListener = (reports: readonly OrderReport[]) => void;

/**
 * Orders: placed, changed and followed. A write's report may come before the broker's own state is durable (the
 * in-process paper exchange answers at once); whoever answers a client waits for `reported()` too.
 */
export interface BrokerExecution {
  /** `request.clientOrderId` is Ordergate's id of the order: a broker with idempotent placement keys on it. */
  placeOrder(request: OrderRequest): Promise<OrderReport>;
  modifyOrder(accountId: string, brokerOrderId: string, changes: OrderChanges): Promise<OrderReport>;
  cancelOrder(accountId: string, brokerOrderId: string): Promise<OrderReport>;
  /** From now on, the reports of what the broker changes by itself; returns the unsubscribe. */
  onOrderUpdates(listener: OrderUpdateListener): () => void;
  /**
   * Null when every change the broker made so far has reached the update listeners; otherwise a promise that resolves
   * once it has (the paper exchange reports what it matched once its own journal holds it). A remote broker reports
   * as it learns, and answers null.
   */
  reported(): Promise<void> | null;
  /** The account's orders the broker knows (today's, and older ones still working), each with all its fills. */
  statusReports(accountId: string): Promise<OrderReport[]>;
  listPositions(accountId: string): Promise<PositionView[]>;
  listHoldings(accountId: string): Promise<HoldingView[]>;
  /** One entry per currency the account holds, its base currency (INR) first. */
  getFunds(accountId: string): Promise<Funds[]>;
  /**
   * What the legs would need as new positions of the account, all together (hedged legs need less than alone): the
   * broker's own margin rules. InstrumentNotFound for an unknown symbol, InvalidOrder for a leg no order could open.
   */
  basketMargin(accountId: string, legs: readonly MarginLeg[]): Promise<BasketMargin>;
}

/**
 * The market as a streaming feed keeps it: synchronous snapshots, current to the broker's last tick, read by the
 * WebSocket stream on each of its ticks.
 */
export interface TickSource {
  quote(instrument: Instrument): MarketQuote;
  book(instrument: Instrument, levels?: number): { bids: DepthLevel[]; asks: DepthLevel[] };
}

/** Prices, books and bars. */
export interface BrokerMarketData {
  /** The broker's streaming feed, when it keeps one (the paper exchange's market); absent for brokers polled over HTTP. */
  readonly ticks?: TickSource;
  getQuote(symbol: string, exchange: Exchange): Promise<QuoteView>;
  getDepth(symbol: string, exchange: Exchange): Promise<DepthView>;
  /** Every bar interval some series of this broker is served in, finest first. */
  historyIntervals(): readonly BarInterval[];
  /** The bars of (symbol, exchange), with the intervals and range that series serves; InstrumentNotFound if unknown. */
  getHistory(symbol: string, exchange: Exchange): Promise<HistorySeries>;
}

/** What can be traded: the lot, tick and freeze limits the core checks every order against before it leaves. */
export interface BrokerInstruments {
  readonly instruments: InstrumentLookup;
}

export interface Broker extends BrokerExecution, BrokerMarketData, BrokerInstruments {
  readonly name: string;
  capabilities(): BrokerCapabilities;
}

/** The port's asynchronous calls: the ones a remote broker could be slow on or fail (a record, so it stays complete). */
const ASYNC_CALLS = {
  placeOrder: 'write',
  modifyOrder: 'write',
  cancelOrder: 'write',
  statusReports: 'read',
  listPositions: 'read',
  listHoldings: 'read',
  getFunds: 'read',
  basketMargin: 'read',
  getQuote: 'read',
  getDepth: 'read',
  getHistory: 'read',
} as const satisfies Record<AsyncBrokerMethod, 'read' | 'write'>;

export type AsyncBrokerMethod = {
  [K in keyof Broker]-?: Broker[K] extends (...args: never[]) => Promise<unknown> ? K : never;
}[keyof Broker];

export const ASYNC_BROKER_METHODS = Object.keys(ASYNC_CALLS) as AsyncBrokerMethod[];

/** Reads have no effect at the broker, so repeating one is always safe. */
export const isRead = (method: AsyncBrokerMethod): boolean => ASYNC_CALLS[method] === 'read';
