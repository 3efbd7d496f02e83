// Order entry: whether the exchange takes a placement, modification or cancellation, decided as journal events (the
// exchange commits them). The instrument's terms, trading hours and expiry, holdings and margin are checked here.
import type { Clock } from '../domain/clock.js';
import { ZERO, add, cmp, isZero, sub, toReadable, toString } from '../domain/decimal.js';
import { DuplicateClientOrderId, InsufficientFunds, InvalidOrder, OrderNotFound, OrderNotModifiable } from '../domain/errors.js';
import type { ExchangeEvent } from '../domain/events.js';
import type { Instrument, InstrumentLookup } from '../domain/instrument.js';
import { copyWith } from '../domain/objects.js';
import { checkOrderTerms, checkStopAgainstMarket } from '../domain/order-rules.js';
import { type Order, type OrderChanges, type OrderRequest, isStopType, isWorking, sameTarget, CLIENT_ORDER_ID_WINDOW_MS } from '../domain/order.js';
import { sessionDay } from '../domain/session-day.js';
import { type AccountMargin, insufficientFunds, referencePrice } from './account-margin.js';
import type { ExchangeState } from './exchange-state.js';
import { type Executions, cancelEvent } from './executions.js';
import type { MarketData } from './market-data.js';
import type { ExchangeSessions } from './session-hours.js';

/** What the exchange decided about one order: the events to commit, and the order they concern. */
export interface Decision {
  events: ExchangeEvent[];
  accountId: string;
  orderId: string;
}

export interface OrderEntryOptions {
  instruments: InstrumentLookup;
  market: MarketData;
  clock: Clock;
  /** Trading hours; without them the exchange is open around the clock. */
  sessions: ExchangeSessions | undefined;
}

export class OrderEntry {
  constructor(
    private readonly state: ExchangeState,
    private readonly options: OrderEntryOptions,
    private readonly margin: AccountMargin,
    private readonly executions: Executions,
  ) {}

  /**
   * The order a placement names by a client order id the account used in the last 24 hours (a retried placement whose
   * answer was lost), or undefined. DuplicateClientOrderId when that order was for another instrument, side or product.
   */
  earlierPlacement(request: OrderRequest): Order | undefined {
    if (request.clientOrderId === undefined) return undefined;
    const earlier = this.state.ledger.orderByClientId(request.accountId, request.clientOrderId);
    if (!earlier || earlier.createdAt <= this.options.clock.now() - CLIENT_ORDER_ID_WINDOW_MS) return undefined;
    if (!sameTarget(earlier, request)) throw new DuplicateClientOrderId(request.clientOrderId, earlier.id);
    return earlier;
  }

  /**
   * A new order: refused (InvalidOrder) when it breaks the instrument's terms or, `inSession`, the trading hours (the
   * exchange's own square-off orders skip those); recorded as rejected when holdings or funds fall short; otherwise
   * accepted, and executed at once unless it waits for a trigger.
   */
  place(request: OrderRequest, inSession: boolean): Decision {
    const { instruments, market, clock } = this.options;
    const instrument = instruments.require(request.symbol, request.exchange);
    const quote = market.quote(instrument);
    checkOrderTerms(request, instrument);
    checkStopAgainstMarket(request, quote.lastPrice);
    const now = clock.now();
    if (inSession) {
      this.checkSession(request, now);
      this.checkNotExpired(request, instrument, now);
    }
    const order: Order = copyWith(request, {
      id: this.state.ids.nextOrderId(now),
      status: isStopType(request.type) ? ('trigger_pending' as const) : ('open' as const),
      filledQuantity: ZERO,
      averagePrice: ZERO,
      createdAt: now,
      updatedAt: now,
    });
    const decision = { accountId: order.accountId, orderId: order.id };

    const holdingsShortfall = this.margin.cncSellShortfall(order);
    const margin = this.margin.orderMargin(order, instrument, order.quantity, referencePrice(order, quote));
    const available = this.margin.fundsIn(order.accountId, instrument.currency).availableCash;
    const reason =
      holdingsShortfall ?? (cmp(margin, available) > 0 ? insufficientFunds(margin, available, instrument.currency) : undefined);
    if (reason !== undefined) {
      const rejected: Order = copyWith(order, { status: 'rejected' as const, rejectReason: reason });
      return { ...decision, events: [{ type: 'order.rejected', accountId: order.accountId, order: rejected, at: now }] };
    }

    const events: ExchangeEvent[] = [{ type: 'order.accepted', accountId: order.accountId, order, margin, at: now }];
    if (!isStopType(order.type)) events.push(...this.executions.marketable(order, instrument, order.quantity, now));
    return { ...decision, events };
  }

  /** A change to a working order, checked as a placement is; InsufficientFunds when the cash cannot cover it. */
  modify(accountId: string, orderId: string, changes: OrderChanges): Decision {
    const { instruments, market, clock } = this.options;
    const order = this.requireOrder(accountId, orderId);
    if (!isWorking(order.status)) throw new OrderNotModifiable(orderId, 'modify', order.status);
    const instrument = instruments.require(order.symbol, order.exchange);
    const quote = market.quote(instrument);
    const next: Order = copyWith(order, changes);
    if (cmp(next.quantity, order.filledQuantity) <= 0) {
      throw new InvalidOrder(
        `Quantity ${toReadable(next.quantity)} must exceed the filled quantity ${toString(order.filledQuantity)}`,
      );
    }
    // A working limit turned into SL/SL-M waits for its trigger again; a triggered stop stays triggered.
    const becomesStop = !isStopType(order.type) && isStopType(next.type);
    if (becomesStop && !isZero(order.filledQuantity)) {
      throw new InvalidOrder('A partly filled order cannot become a stop order');
    }
    const awaitsTrigger = becomesStop || (order.status === 'trigger_pending' && isStopType(next.type));
    checkOrderTerms(next, instrument);
    if (awaitsTrigger) checkStopAgainstMarket(next, quote.lastPrice);

    const remaining = sub(next.quantity, next.filledQuantity);
    const currentMargin = this.state.ledger.account(accountId)?.orderMargin.get(orderId) ?? ZERO;
    const margin = this.margin.orderMargin(next, instrument, remaining, referencePrice(next, quote), orderId);
    const available = add(this.margin.fundsIn(accountId, instrument.currency).availableCash, currentMargin);
    if (cmp(margin, available) > 0) {
      throw new InsufficientFunds(insufficientFunds(margin, available, instrument.currency));
    }
    const now = clock.now();
    const events: ExchangeEvent[] = [{ type: 'order.modified', accountId, orderId, changes, margin, at: now }];
    if (!awaitsTrigger) events.push(...this.executions.marketable(next, instrument, remaining, now));
    return { accountId, orderId, events };
  }

  /** The cancellation of a working order; OrderNotModifiable once it is filled, cancelled or rejected. */
  cancel(accountId: string, orderId: string): Decision {
    const order = this.requireOrder(accountId, orderId);
    if (!isWorking(order.status)) throw new OrderNotModifiable(orderId, 'cancel', order.status);
    return { accountId, orderId, events: [cancelEvent(order, '', this.options.clock.now())] };
  }

  /** The account's order as the ledger holds it; OrderNotFound for an unknown id or another account's order. */
  requireOrder(accountId: string, orderId: string): Order {
    const order = this.state.ledger.order(accountId, orderId);
    if (!order) throw new OrderNotFound(orderId);
    return order;
  }

  // A contract past its expiry day (still known to name old orders and positions) takes only orders that reduce.
  private checkNotExpired(request: OrderRequest, instrument: Instrument, now: number): void {
    if (instrument.expiry === undefined || instrument.expiry >= sessionDay(now)) return;
    if (isZero(this.margin.openingQuantity(request, request.quantity))) return;
    throw new InvalidOrder(`${request.symbol} expired on ${instrument.expiry}; only orders that reduce its position are accepted`);
  }

  // Sessions enforced: the exchange must be open, and after the square-off time MIS may only reduce positions.
  private checkSession(request: OrderRequest, now: number): void {
    const sessions = this.options.sessions;
    if (!sessions) return;
    const closed = sessions.closedReason(request.exchange, now);
    if (closed) throw new InvalidOrder(closed);
    const squareOff = request.product === 'MIS' ? sessions.squareOffPassed(request.exchange, now) : undefined;
    if (squareOff && !isZero(this.margin.openingQuantity(request, request.quantity))) {
      throw new InvalidOrder(
        `MIS orders cannot be placed after square-off time (${squareOff} IST). Trading resumes at ` +
          `${sessions.openingTime(request.exchange)} IST on the next trading day.`,
      );
    }
  }
}
