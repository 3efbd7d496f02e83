// The exchange's books: accounts, their cash per currency, orders, fills, positions and blocked margin. State changes
// only by applying events, so replaying the journal rebuilds exactly the state that was acknowledged (single writer,
// LMAX style).
import { type Currency, HOME_CURRENCY, currencyOf } from '../domain/currency.js';
import { copyWith } from '../domain/objects.js';
import { type Decimal, ZERO, add, div, isZero, max, min, mul, sub } from '../domain/decimal.js';
import type { ExchangeEvent } from '../domain/events.js';
import { type Fill, type Order, type Side, hasLimitPrice, isStopType, isWorking } from '../domain/order.js';
import { type Holding, type Position, applyFill, emptyPosition, positionKey, reduceHolding } from '../domain/position.js';

const holdingKey = (symbol: string, exchange: string): string => `${exchange}|${symbol}`;

/** An account's money in one currency. */
export interface Balance {
  /** Money paid in, plus the realized P&L of past sessions. */
  deposits: Decimal;
  /** The session's realized P&L. */
  realizedPnl: Decimal;
  /** Margin the working orders of this currency's instruments block. */
  blockedMargin: Decimal;
}

export interface AccountBook {
  id: string;
  /** Per currency the account has used; the home currency always. */
  balances: Map<Currency, Balance>;
  /** Orders by id, in placement order. */
  orders: Map<string, Order>;
  trades: Fill[];
  /** The fills of each order in `orders`, in the order they were made. */
  fillsByOrder: Map<string, Fill[]>;
  positions: Map<string, Position>;
  /** Margin each working order still blocks (in its instrument's currency). */
  orderMargin: Map<string, Decimal>;
  /** Delivery holdings by exchange and symbol; their cost is cash already spent. */
  holdings: Map<string, Holding>;
  /** When the current session began for this account (epoch ms); 0 before the first roll. */
  sessionStart: number;
  /** The latest order placed with each client order id. */
  clientOrderIds: Map<string, string>;
}

export class Ledger {
  private readonly accounts = new Map<string, AccountBook>();
  /** Working orders of every account, for the matching loop. */
  readonly working = new Map<string, Order>();
  /** The latest session day (YYYY-MM-DD, IST) any applied event belongs to, as `sessionDayOf` computes it. */
  lastSessionDay: string | undefined;
  /** Unfilled quantity of the working orders on each position (account, symbol, exchange, product), per side. */
  private readonly workingQuantities = new Map<string, Record<Side, Decimal>>();

  account(accountId: string): AccountBook | undefined {
    return this.accounts.get(accountId);
  }

  accountIds(): IterableIterator<string> {
    return this.accounts.keys();
  }

  order(accountId: string, orderId: string): Order | undefined {
    return this.accounts.get(accountId)?.orders.get(orderId);
  }

  /** The latest order of the account placed with this client order id. */
  orderByClientId(accountId: string, clientOrderId: string): Order | undefined {
    const book = this.accounts.get(accountId);
    const orderId = book?.clientOrderIds.get(clientOrderId);
    return orderId === undefined ? undefined : book?.orders.get(orderId);
  }

  position(accountId: string, symbol: string, exchange: Order['exchange'], product: Order['product']): Position {
    const book = this.accounts.get(accountId);
    return (
      book?.positions.get(positionKey(accountId, symbol, exchange, product)) ??
      emptyPosition(accountId, symbol, exchange, product)
    );
  }

  /** The account's money in `currency`; all zero for a currency it never used. */
  balance(accountId: string, currency: Currency): Balance {
    return this.accounts.get(accountId)?.balances.get(currency) ?? emptyBalance();
  }

  blockedOrderMargin(accountId: string, currency: Currency): Decimal {
    return this.balance(accountId, currency).blockedMargin;
  }

  /** The fills of one order of the account, oldest first; none for an order it does not know (or has forgotten). */
  fillsOf(accountId: string, orderId: string): readonly Fill[] {
    return this.accounts.get(accountId)?.fillsByOrder.get(orderId) ?? [];
  }

  /** Unfilled quantity of the working `side` orders on one position. */
  workingQuantity(accountId: string, symbol: string, exchange: Order['exchange'], product: Order['product'], side: Side): Decimal {
    return this.workingQuantities.get(positionKey(accountId, symbol, exchange, product))?.[side] ?? ZERO;
  }

  /**
   * `keepFinishedMs`: how long before a session begins an order must have finished (and a fill been made) to be
   * forgotten at that roll. Memory then holds the session and the day before it, not every order ever taken.
   */
  constructor(
    private readonly sessionDayOf: (at: number) => string,
    private readonly keepFinishedMs = Infinity,
  ) {}

  holding(accountId: string, symbol: string, exchange: Order['exchange']): Holding | undefined {
    return this.accounts.get(accountId)?.holdings.get(holdingKey(symbol, exchange));
  }

  apply(event: ExchangeEvent): void {
    const book = this.bookFor(event.accountId);
    const day = event.type === 'session.rolled' ? event.day : this.sessionDayOf(event.at);
    if (this.lastSessionDay === undefined || day > this.lastSessionDay) this.lastSessionDay = day;
    switch (event.type) {
      case 'session.rolled':
        this.roll(book, event.at);
        return;
      case 'account.funded': {
        const balance = balanceIn(book, event.currency ?? HOME_CURRENCY);
        balance.deposits = add(balance.deposits, event.amount);
        return;
      }
      case 'order.accepted': {
        const order = { ...event.order };
        book.orders.set(order.id, order);
        if (order.clientOrderId !== undefined) book.clientOrderIds.set(order.clientOrderId, order.id);
        this.addWorking(order);
        this.setOrderMargin(book, order, event.margin ?? ZERO);
        return;
      }
      case 'order.rejected':
        book.orders.set(event.order.id, { ...event.order });
        if (event.order.clientOrderId !== undefined) book.clientOrderIds.set(event.order.clientOrderId, event.order.id);
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
        this.countWorking(order, -1);
        Object.assign(order, event.changes);
        this.countWorking(order, 1);
        // Prices the new type does not use are dropped here, not in the event: a replayed event must give the same.
        if (!hasLimitPrice(order.type)) delete order.limitPrice;
        if (!isStopType(order.type)) delete order.stopPrice;
        if (!wasStop && isStopType(order.type)) order.status = 'trigger_pending';
        else if (order.status === 'trigger_pending' && !isStopType(order.type)) order.status = 'open';
        order.updatedAt = event.at;
        this.setOrderMargin(book, order, event.margin ?? ZERO);
        return;
      }
      case 'order.cancelled': {
        const order = this.mustGet(book, event.orderId);
        order.status = 'cancelled';
        order.rejectReason = event.reason || undefined;
        order.updatedAt = event.at;
        this.removeWorking(order);
        this.setOrderMargin(book, order, ZERO);
        return;
      }
      case 'order.fill':
        this.applyFill(book, event.fill);
        return;
    }
  }

  private applyFill(book: AccountBook, fill: Fill): void {
    const order = this.mustGet(book, fill.orderId);
    this.countWorking(order, -1);
    const unfilledBefore = sub(order.quantity, order.filledQuantity);
    const filled = add(order.filledQuantity, fill.quantity);
    order.averagePrice = div(add(mul(order.averagePrice, order.filledQuantity), mul(fill.price, fill.quantity)), filled);
    order.filledQuantity = filled;
    order.status = filled >= order.quantity ? 'filled' : 'partially_filled';
    order.updatedAt = fill.at;
    if (isWorking(order.status)) this.countWorking(order, 1);

    const blocked = book.orderMargin.get(order.id);
    if (blocked !== undefined) {
      const released = fill.quantity >= unfilledBefore ? blocked : div(mul(blocked, fill.quantity), unfilledBefore);
      this.setOrderMargin(book, order, sub(blocked, released));
    }
    if (!isWorking(order.status)) {
      this.removeWorking(order);
      this.setOrderMargin(book, order, ZERO);
    }

    const balance = balanceIn(book, currencyOf(fill));

    const key = positionKey(book.id, fill.symbol, fill.exchange, fill.product);
    const current = book.positions.get(key) ?? emptyPosition(book.id, fill.symbol, fill.exchange, fill.product);
    const fromHoldings = this.sellFromHoldings(book, current, fill);
    if (!fromHoldings) {
      const { position, realized } = applyFill(current, fill);
      book.positions.set(key, position);
      balance.realizedPnl = add(balance.realizedPnl, realized);
    } else {
      const { position, realized } = applyFill(current, copyWith(fill, { quantity: sub(fill.quantity, fromHoldings.quantity) }));
      book.positions.set(
        key,
        copyWith(position, {
          realizedPnl: add(position.realizedPnl, fromHoldings.realized),
          sellQuantity: add(position.sellQuantity, fromHoldings.quantity),
          sellValue: add(position.sellValue, mul(fromHoldings.quantity, fill.price)),
        }),
      );
      balance.realizedPnl = add(add(balance.realizedPnl, realized), fromHoldings.realized);
    }
    book.trades.push(fill);
    const fills = book.fillsByOrder.get(fill.orderId);
    if (fills) fills.push(fill);
    else book.fillsByOrder.set(fill.orderId, [fill]);
  }

  // A delivery sell first closes today's CNC long, then takes shares out of holdings at their average cost.
  // Undefined when the fill takes nothing out of holdings (every fill but a delivery sell beyond the day).
  private sellFromHoldings(book: AccountBook, position: Position, fill: Fill): { quantity: Decimal; realized: Decimal } | undefined {
    if (fill.product !== 'CNC' || fill.side !== 'SELL') return undefined;
    const key = holdingKey(fill.symbol, fill.exchange);
    const holding = book.holdings.get(key);
    if (!holding) return undefined;
    const beyondDay = sub(fill.quantity, min(fill.quantity, max(position.quantity, ZERO)));
    const quantity = min(beyondDay, holding.quantity);
    if (isZero(quantity)) return undefined;
    const reduced = reduceHolding(holding, quantity);
    if (isZero(reduced.holding.quantity)) book.holdings.delete(key);
    else book.holdings.set(key, reduced.holding);
    return { quantity, realized: sub(mul(quantity, fill.price), reduced.removedCost) };
  }

  // A new session: CNC longs settle into holdings, the day's realized P&L into cash (each in its currency); flat
  // positions go; carried positions start the day with fresh figures.
  private roll(book: AccountBook, at: number): void {
    for (const balance of book.balances.values()) {
      balance.deposits = add(balance.deposits, balance.realizedPnl);
      balance.realizedPnl = ZERO;
    }
    for (const [key, position] of book.positions) {
      if (position.product === 'CNC' && position.quantity > 0n) {
        const hKey = holdingKey(position.symbol, position.exchange);
        const held = book.holdings.get(hKey) ?? { symbol: position.symbol, exchange: position.exchange, quantity: ZERO, cost: ZERO };
        book.holdings.set(hKey, copyWith(held, { quantity: add(held.quantity, position.quantity), cost: add(held.cost, position.openCost) }));
        book.positions.delete(key);
      } else if (isZero(position.quantity)) {
        book.positions.delete(key);
      } else {
        book.positions.set(
          key,
          copyWith(emptyPosition(book.id, position.symbol, position.exchange, position.product), {
            quantity: position.quantity,
            openCost: position.openCost,
          }),
        );
      }
    }
    this.forgetFinished(book, at - this.keepFinishedMs);
    book.sessionStart = at;
  }

  // Orders that finished before `before`, and fills made before it, leave memory (the journal keeps them). Replays
  // forget the same ones: `before` comes from the roll's event.
  private forgetFinished(book: AccountBook, before: number): void {
    for (const [id, order] of book.orders) {
      if (order.updatedAt >= before || isWorking(order.status)) continue;
      book.orders.delete(id);
      book.fillsByOrder.delete(id);
      if (order.clientOrderId !== undefined && book.clientOrderIds.get(order.clientOrderId) === id) {
        book.clientOrderIds.delete(order.clientOrderId);
      }
    }
    if (book.trades.length > 0 && (book.trades[0] as Fill).at < before) {
      book.trades = book.trades.filter((fill) => fill.at >= before);
    }
  }

  private setOrderMargin(book: AccountBook, order: Order, margin: Decimal): void {
    const before = book.orderMargin.get(order.id) ?? ZERO;
    if (before === margin) return;
    const balance = balanceIn(book, currencyOf(order));
    balance.blockedMargin = add(sub(balance.blockedMargin, before), margin);
    if (isZero(margin)) book.orderMargin.delete(order.id);
    else book.orderMargin.set(order.id, margin);
  }

  private addWorking(order: Order): void {
    this.working.set(order.id, order);
    this.countWorking(order, 1);
  }

  private removeWorking(order: Order): void {
    this.countWorking(order, -1);
    this.working.delete(order.id);
  }

  // Adds (+1) or takes away (−1) a working order's unfilled quantity from its position's total.
  private countWorking(order: Order, direction: 1 | -1): void {
    if (!this.working.has(order.id)) return;
    const key = positionKey(order.accountId, order.symbol, order.exchange, order.product);
    const totals = this.workingQuantities.get(key) ?? { BUY: ZERO, SELL: ZERO };
    const unfilled = sub(order.quantity, order.filledQuantity);
    totals[order.side] = direction > 0 ? add(totals[order.side], unfilled) : sub(totals[order.side], unfilled);
    this.workingQuantities.set(key, totals);
  }

  private bookFor(accountId: string): AccountBook {
    let book = this.accounts.get(accountId);
    if (!book) {
      book = {
        id: accountId,
        balances: new Map([[HOME_CURRENCY, emptyBalance()]]),
        orders: new Map(),
        trades: [],
        fillsByOrder: new Map(),
        positions: new Map(),
        orderMargin: new Map(),
        holdings: new Map(),
        sessionStart: 0,
        clientOrderIds: new Map(),
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

function emptyBalance(): Balance {
  return { deposits: ZERO, realizedPnl: ZERO, blockedMargin: ZERO };
}

/** The account's balance in `currency`, opened (at zero) on first use. */
function balanceIn(book: AccountBook, currency: Currency): Balance {
  let balance = book.balances.get(currency);
  if (!balance) {
    balance = emptyBalance();
    book.balances.set(currency, balance);
  }
  return balance;
}
