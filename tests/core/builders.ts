// Small builders for core tests: a paper venue (exchange and broker over a pinned market), order desks over in-memory
// journals, a journal whose commits the test holds, and orders, fills and broker reports made by hand.
import type { OrderReport } from '../../src/brokers/broker.js';
import { PaperBroker } from '../../src/brokers/paper/paper-broker.js';
import { OrderDesk } from '../../src/core/order-desk.js';
import { NO_RISK_RULES, type PreTradeCheck } from '../../src/core/pre-trade.js';
import type { Clock } from '../../src/domain/clock.js';
import type { Currency } from '../../src/domain/currency.js';
import { type Decimal, ZERO, dec } from '../../src/domain/decimal.js';
import type { EventJournal, ExchangeEvent, JournaledEvent } from '../../src/domain/events.js';
import type { Fill, Order, OrderRequest } from '../../src/domain/order.js';
import { PaperExchange } from '../../src/exchange/paper-exchange.js';
import type { ExchangeSessions } from '../../src/exchange/session-hours.js';
import { Instruments, MemoryJournal, type PinnedMarket, equity, future } from '../exchange/builders.js';

/** Tuesday 24 November 2026, 09:30 IST: ids made now read 261124 after their prefix. */
export const T0 = Date.UTC(2026, 10, 24, 4, 0, 0);

export const SBIN = equity('SBIN');
/** Lot 75, tick 0.10. */
export const NIFTYFUT = future('NIFTY29DEC26FUT');
export const INSTRUMENTS = new Instruments([SBIN, NIFTYFUT]);

/** What every paper account starts with, at its first call. */
export const STARTING_CASH: ReadonlyMap<Currency, Decimal> = new Map([['INR', dec(10_000_000)]]);

const NO_HISTORY = { intervals: [], series: () => undefined };

export interface PaperVenue {
  exchange: PaperExchange;
  broker: PaperBroker;
  /** The exchange's own journal (its private state). */
  journal: MemoryJournal;
}

/**
 * A paper exchange and the paper broker over it, on `market`; the exchange's ids begin with `idPrefix`. With `sessions`
 * it keeps exchange hours and squares MIS positions off; without, it is open around the clock.
 */
export function paperVenue(market: PinnedMarket, clock: Clock, idPrefix = '', sessions?: ExchangeSessions): PaperVenue {
  const journal = new MemoryJournal();
  const exchange = new PaperExchange({ instruments: INSTRUMENTS, market, clock, journal, idPrefix, sessions });
  const broker = new PaperBroker({ exchange, history: NO_HISTORY, instruments: INSTRUMENTS, startingCash: STARTING_CASH });
  return { exchange, broker, journal };
}

export interface DeskOptions {
  idPrefix?: string;
  preTrade?: PreTradeCheck;
}

/** An order desk over `journal`, and the reports it could not apply (a test expects none unless it says so). */
export function orderDesk(journal: EventJournal, clock: Clock, options: DeskOptions = {}): { desk: OrderDesk; errors: unknown[] } {
  const errors: unknown[] = [];
  const desk = new OrderDesk({
    journal,
    clock,
    idPrefix: options.idPrefix,
    preTrade: options.preTrade ?? NO_RISK_RULES,
    onError: (error) => errors.push(error),
  });
  return { desk, errors };
}

/** A MIS order for SBIN on NSE unless `overrides` say otherwise. */
export function request(overrides: Partial<OrderRequest> & Pick<OrderRequest, 'side' | 'quantity'>): OrderRequest {
  return {
    accountId: 'acc',
    symbol: 'SBIN',
    exchange: 'NSE',
    type: 'MARKET',
    product: 'MIS',
    timeInForce: 'DAY',
    ...overrides,
  };
}

/** A working LIMIT BUY 40 SBIN @ 100.10, as the core records it (Ordergate id, the broker's id beside it). */
export function order(overrides: Partial<Order> = {}): Order {
  return {
    accountId: 'acc',
    symbol: 'SBIN',
    exchange: 'NSE',
    side: 'BUY',
    quantity: dec(40),
    type: 'LIMIT',
    limitPrice: dec('100.10'),
    product: 'MIS',
    timeInForce: 'DAY',
    clientOrderId: 'my-1',
    id: '26112400000001',
    status: 'open',
    filledQuantity: ZERO,
    averagePrice: ZERO,
    createdAt: T0,
    updatedAt: T0,
    broker: 'paper',
    brokerOrderId: 'B-1',
    ...overrides,
  };
}

/** A fill of `of` (a recorded order or the broker's), with the trade id the broker gave it. */
export function fill(of: Pick<Order, 'id' | 'accountId' | 'symbol' | 'exchange' | 'product' | 'side'>, tradeId: string, quantity: string | number, price: string, at: number): Fill {
  return {
    tradeId,
    orderId: of.id,
    accountId: of.accountId,
    symbol: of.symbol,
    exchange: of.exchange,
    product: of.product,
    side: of.side,
    quantity: dec(quantity),
    price: dec(price),
    at,
  };
}

/** The broker's view of an order: `order` carries the broker's id and status, `fills` the broker's trades. */
export function report(brokerOrder: Order, fills: readonly Fill[], allFills = true): OrderReport {
  return { order: brokerOrder, fills, allFills };
}

/**
 * A journal that keeps events in memory and makes them durable at once, or, while `hold` is in force, only when the
 * test calls `release`: a grouped commit the test controls.
 */
export class HeldJournal implements EventJournal {
  readonly memory = new MemoryJournal();
  private holding = false;
  private pending: { done: Promise<void>; resolve: () => void } | undefined;

  get events(): ExchangeEvent[] {
    return this.memory.events;
  }

  /** From now on, appended batches wait for `release`. */
  hold(): void {
    this.holding = true;
  }

  /** Makes everything appended durable, and stops holding. */
  release(): void {
    this.holding = false;
    const pending = this.pending;
    this.pending = undefined;
    pending?.resolve();
  }

  append(events: readonly ExchangeEvent[]): JournaledEvent[] {
    const journaled = this.memory.append(events);
    if (this.holding && !this.pending) {
      let resolve = () => {};
      const done = new Promise<void>((settle) => (resolve = settle));
      this.pending = { done, resolve };
    }
    return journaled;
  }

  whenDurable(): Promise<void> | null {
    return this.pending?.done ?? null;
  }

  readAll(): AsyncIterable<ExchangeEvent> {
    return this.memory.readAll();
  }
}
