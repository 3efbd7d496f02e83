// The exchange's books: accounts, orders, fills, positions and blocked margin. State changes only by applying events,
// so replaying the journal rebuilds exactly the state that was acknowledged (single writer, LMAX style).
import { type Decimal, ZERO, add, div, isZero, mul, sub } from '../domain/decimal.js';
import type { ExchangeEvent } from '../domain/events.js';
import { type Fill, type Order, hasLimitPrice, isStopType, isWorking } from '../domain/order.js';
import { type Position, applyFill, emptyPosition, positionKey } from '../domain/position.js';

export interface AccountBook {
  id: string;
  deposits: Decimal;
  realizedPnl: Decimal;
  /** Orders by id, in placement order. */
  orders: Map<string, Order>;
  trades: Fill[];
  positions: Map<string, Position>;
  /** Margin each working order still blocks. */
  orderMargin: Map<string, Decimal>;
}

export class Ledger {
  private readonly accounts = new Map<string, AccountBook>();
  /** Working orders of every account, for the matching loop. */
  readonly working = new Map<string, Order>();

  account(accountId: string): AccountBook | undefined {
    return this.accounts.get(accountId);
  }

  accountIds(): IterableIterator<string> {
    return this.accounts.keys();
  }

  order(accountId: string, orderId: string): Order | undefined {
    return this.accounts.get(accountId)?.orders.get(orderId);
  }

  position(accountId: string, symbol: string, exchange: Order['exchange'], product: Order['product']): Position {
    const book = this.accounts.get(accountId);
    return (
      book?.positions.get(positionKey(accountId, symbol, exchange, product)) ??
      emptyPosition(accountId, symbol, exchange, product)
    );
  }

  blockedOrderMargin(accountId: string): Decimal {
    let total = ZERO;
    for (const margin of this.accounts.get(accountId)?.orderMargin.values() ?? []) total = add(total, margin);
    return total;
  }

  apply(event: ExchangeEvent): void {
    const book = this.bookFor(event.accountId);
    switch (event.type) {
      case 'account.funded':
        book.deposits = add(book.deposits, event.amount);
        return;
      case 'order.accepted': {
        const order = { ...event.order };
        book.orders.set(order.id, order);
        this.working.set(order.id, order);
        if (!isZero(event.margin)) book.orderMargin.set(order.id, event.margin);
        return;
      }
      case 'order.rejected':
        book.orders.set(event.order.id, { ...event.order });
        return;
      case 'order.triggered': {
        const order = this.mustGet(book, event.orderId);
        order.status = 'open';
        order.updatedAt = event.at;
        return;
      }
      case 'order.modified': {
        const order = this.mustGet(book, event.orderId);
        const wasStop = isStopType(order.type);
        Object.assign(order, event.changes);
        // Prices the new type does not use are dropped here, not in the event: a replayed event must give the same.
        if (!hasLimitPrice(order.type)) delete order.limitPrice;
        if (!isStopType(order.type)) delete order.stopPrice;
        if (!wasStop && isStopType(order.type)) order.status = 'trigger_pending';
        else if (order.status === 'trigger_pending' && !isStopType(order.type)) order.status = 'open';
        order.updatedAt = event.at;
        this.setOrderMargin(book, order.id, event.margin);
        return;
      }
      case 'order.cancelled': {
        const order = this.mustGet(book, event.orderId);
        order.status = 'cancelled';
        order.rejectReason = event.reason || undefined;
        order.updatedAt = event.at;
        this.working.delete(order.id);
        book.orderMargin.delete(order.id);
        return;
      }
      case 'order.fill':
        this.applyFill(book, event.fill);
        return;
    }
  }

  private applyFill(book: AccountBook, fill: Fill): void {
    const order = this.mustGet(book, fill.orderId);
    const unfilledBefore = sub(order.quantity, order.filledQuantity);
    const filled = add(order.filledQuantity, fill.quantity);
    order.averagePrice = div(add(mul(order.averagePrice, order.filledQuantity), mul(fill.price, fill.quantity)), filled);
    order.filledQuantity = filled;
    order.status = filled >= order.quantity ? 'filled' : 'partially_filled';
    order.updatedAt = fill.at;

    const blocked = book.orderMargin.get(order.id);
    if (blocked !== undefined) {
      const released = fill.quantity >= unfilledBefore ? blocked : div(mul(blocked, fill.quantity), unfilledBefore);
      this.setOrderMargin(book, order.id, sub(blocked, released));
    }
    if (!isWorking(order.status)) {
      this.working.delete(order.id);
      book.orderMargin.delete(order.id);
    }

    const key = positionKey(book.id, fill.symbol, fill.exchange, fill.product);
    const current = book.positions.get(key) ?? emptyPosition(book.id, fill.symbol, fill.exchange, fill.product);
    const { position, realized } = applyFill(current, fill);
    book.positions.set(key, position);
    book.realizedPnl = add(book.realizedPnl, realized);
    book.trades.push(fill);
  }

  private setOrderMargin(book: AccountBook, orderId: string, margin: Decimal): void {
    if (isZero(margin)) book.orderMargin.delete(orderId);
    else book.orderMargin.set(orderId, margin);
  }

  private bookFor(accountId: string): AccountBook {
    let book = this.accounts.get(accountId);
    if (!book) {
      book = {
        id: accountId,
        deposits: ZERO,
        realizedPnl: ZERO,
        orders: new Map(),
        trades: [],
        positions: new Map(),
        orderMargin: new Map(),
      };
      this.accounts.set(accountId, book);
    }
    return book;
  }

  private mustGet(book: AccountBook, orderId: string): Order {
    const order = book.orders.get(orderId);
    if (!order) throw new Error(`journal refers to unknown order ${orderId}`);
    return order;
  }
}
