// The core's record of the orders of every broker: Ordergate's orders, with each broker's id beside them, their fills
// and the indexes the order desk looks them up by. It changes only by applying order events, each checked against the
// state machine (DESIGN §3.1), so replaying the journal rebuilds exactly what was acknowledged.
import { type Decimal, add, div, mul } from '../domain/decimal.js';
import type { OrderEvent } from '../domain/events.js';
import { type Fill, type Order, type OrderStatus, canTransition, hasLimitPrice, isStopType, isWorking } from '../domain/order.js';
import { sessionDay } from '../domain/session-day.js';

/** An event that would move an order where the state machine does not allow: a bug or a broker out of step. */
export class IllegalTransition extends Error {
  constructor(
    readonly orderId: string,
    readonly from: OrderStatus | 'unknown',
    readonly to: OrderStatus | 'unchanged',
    event: OrderEvent['type'],
  ) {
    super(`Order ${orderId} cannot go from ${from} to ${to} (${event})`);
  }
}

interface AccountOrders {
  /** Orders by Ordergate id, in placement order. */
  readonly orders: Map<string, Order>;
  /** The fills of each order, in the order they were made. */
  readonly fills: Map<string, Fill[]>;
  /** The latest order placed with each client order id. */
  readonly clientOrderIds: Map<string, string>;
}

/** How long a finished order is kept in memory after it finished (the journal keeps it for ever). */
const KEEP_FINISHED_MS = 48 * 3600 * 1000;

export class OrderRecord {
  private readonly accounts = new Map<string, AccountOrders>();
  /** Every order in memory by Ordergate id (ids are unique across accounts). */
  private readonly byId = new Map<string, Order>();
  /** Orders by broker connection and the broker's id. */
  private readonly byBrokerId = new Map<string, Order>();
  /** The session day of the latest applied event; finished orders are forgotten when it changes. */
  private lastDay: string | undefined;

  order(accountId: string, orderId: string): Order | undefined {
    const order = this.byId.get(orderId);
    return order?.accountId === accountId ? order : undefined;
  }

  /** Whether some order of any account has this id. */
  has(orderId: string): boolean {
    return this.byId.has(orderId);
  }

  byBrokerOrderId(broker: string, brokerOrderId: string): Order | undefined {
    return this.byBrokerId.get(brokerKey(broker, brokerOrderId));
  }

  orderByClientId(accountId: string, clientOrderId: string): Order | undefined {
    const book = this.accounts.get(accountId);
    const id = book?.clientOrderIds.get(clientOrderId);
    return id === undefined ? undefined : book?.orders.get(id);
  }

  /** The account's orders in memory, in placement order. */
  orders(accountId: string): IterableIterator<Order> {
    return (this.accounts.get(accountId)?.orders ?? new Map<string, Order>()).values();
  }

  fillsOf(accountId: string, orderId: string): readonly Fill[] {
    return this.accounts.get(accountId)?.fills.get(orderId) ?? [];
  }

  /** Every fill of the account's orders in memory, in the order the orders were placed. */
  *fills(accountId: string): Generator<Fill> {
    const book = this.accounts.get(accountId);
    if (!book) return;
    for (const fills of book.fills.values()) yield* fills;
  }

  /** Accounts with orders in memory. */
  accountIds(): IterableIterator<string> {
    return this.accounts.keys();
  }

  /** Orders still working at their broker, over every account. */
  *working(): Generator<Order> {
    for (const order of this.byId.values()) if (isWorking(order.status)) yield order;
  }

  apply(event: OrderEvent): void {
    this.forgetOnNewDay(event.at);
    switch (event.type) {
      case 'order.accepted':
      case 'order.rejected': {
        const order = { ...event.order };
        if (this.byId.has(order.id)) throw new IllegalTransition(order.id, this.byId.get(order.id)!.status, order.status, event.type);
        if (!canTransition('pending', order.status)) throw new IllegalTransition(order.id, 'pending', order.status, event.type);
        this.add(order);
        return;
      }
      case 'order.triggered': {
        const order = this.mustGet(event.accountId, event.orderId, event.type);
        this.move(order, 'open', event);
        order.updatedAt = event.at;
        return;
      }
      case 'order.modified': {
        const order = this.mustGet(event.accountId, event.orderId, event.type);
        if (!isWorking(order.status)) throw new IllegalTransition(order.id, order.status, 'unchanged', event.type);
        // The new status is decided, and checked, before anything changes: a refused event leaves the order as it was.
        const type = event.changes.type ?? order.type;
        let status = order.status;
        if (!isStopType(order.type) && isStopType(type)) status = 'trigger_pending';
        else if (order.status === 'trigger_pending' && !isStopType(type)) status = 'open';
        if (status !== order.status && !canTransition(order.status, status)) {
          throw new IllegalTransition(order.id, order.status, status, event.type);
        }
        Object.assign(order, event.changes);
        if (!hasLimitPrice(order.type)) delete order.limitPrice;
        if (!isStopType(order.type)) delete order.stopPrice;
        order.status = status;
        order.updatedAt = event.at;
        return;
      }
      case 'order.cancelled': {
        const order = this.mustGet(event.accountId, event.orderId, event.type);
        this.move(order, 'cancelled', event);
        order.rejectReason = event.reason || undefined;
        order.updatedAt = event.at;
        return;
      }
      case 'order.fill':
        this.applyFill(event.fill, event);
        return;
    }
  }

  private applyFill(fill: Fill, event: OrderEvent): void {
    const order = this.mustGet(fill.accountId, fill.orderId, event.type);
    const filled = add(order.filledQuantity, fill.quantity);
    if (filled > order.quantity) throw new IllegalTransition(order.id, order.status, 'filled', event.type);
    this.move(order, filled === order.quantity ? 'filled' : 'partially_filled', event);
    order.averagePrice = averageAfter(order.averagePrice, order.filledQuantity, fill);
    order.filledQuantity = filled;
    order.updatedAt = fill.at;
    const book = this.bookFor(order.accountId);
    const fills = book.fills.get(order.id);
    if (fills) fills.push(fill);
    else book.fills.set(order.id, [fill]);
  }

  private move(order: Order, to: OrderStatus, event: OrderEvent): void {
    if (order.status === to && to === 'partially_filled') return;
    if (!canTransition(order.status, to)) throw new IllegalTransition(order.id, order.status, to, event.type);
    order.status = to;
  }

  private add(order: Order): void {
    const book = this.bookFor(order.accountId);
    book.orders.set(order.id, order);
    this.byId.set(order.id, order);
    if (order.clientOrderId !== undefined) book.clientOrderIds.set(order.clientOrderId, order.id);
    if (order.brokerOrderId !== undefined) this.byBrokerId.set(brokerKey(order.broker ?? '', order.brokerOrderId), order);
  }

  // At the first event of a new session day, orders that finished two days before leave memory, with their fills and
  // indexes; a replay forgets the same ones, as the day comes from the events.
  private forgetOnNewDay(at: number): void {
    const day = sessionDay(at);
    if (this.lastDay !== undefined && day <= this.lastDay) return;
    this.lastDay = day;
    const before = at - KEEP_FINISHED_MS;
    for (const book of this.accounts.values()) {
      for (const [id, order] of book.orders) {
        if (isWorking(order.status) || order.updatedAt >= before) continue;
        book.orders.delete(id);
        book.fills.delete(id);
        this.byId.delete(id);
        if (order.brokerOrderId !== undefined) this.byBrokerId.delete(brokerKey(order.broker ?? '', order.brokerOrderId));
        if (order.clientOrderId !== undefined && book.clientOrderIds.get(order.clientOrderId) === id) {
          book.clientOrderIds.delete(order.clientOrderId);
        }
      }
    }
  }

  private bookFor(accountId: string): AccountOrders {
    let book = this.accounts.get(accountId);
    if (!book) {
      book = { orders: new Map(), fills: new Map(), clientOrderIds: new Map() };
      this.accounts.set(accountId, book);
    }
    return book;
  }

  private mustGet(accountId: string, orderId: string, type: OrderEvent['type']): Order {
    const order = this.order(accountId, orderId);
    if (!order) throw new IllegalTransition(orderId, 'unknown', 'unchanged', type);
    return order;
  }
}

const brokerKey = (broker: string, brokerOrderId: string): string => `${broker}|${brokerOrderId}`;

/** Volume-weighted average price after one more fill (the paper ledger's arithmetic, so both show the same figure). */
function averageAfter(average: Decimal, filled: Decimal, fill: Fill): Decimal {
  return div(add(mul(average, filled), mul(fill.price, fill.quantity)), add(filled, fill.quantity));
}
