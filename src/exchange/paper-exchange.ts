// The paper exchange: validates orders against the instrument, checks margin, matches against the simulated market,
// and changes state only through journaled events (decide → commit → apply), so what it acknowledged survives a crash.
import { copyWith } from '../domain/objects.js';
import { type Clock, istDate } from '../domain/clock.js';
import {
  type Decimal,
  ZERO,
  abs,
  add,
  div,
  cmp,
  dec,
  isMultipleOf,
  isZero,
  max,
  neg,
  sub,
  toReadable,
  toString,
} from '../domain/decimal.js';
import { DuplicateClientOrderId, InsufficientFunds, InvalidOrder, OrderNotFound, OrderNotModifiable } from '../domain/errors.js';
import type { EventJournal, ExchangeEvent, JournaledEvent } from '../domain/events.js';
import {
  type Exchange,
  INDEX_EXCHANGES,
  type Instrument,
  type InstrumentLookup,
  freezeSlices,
  isDerivative,
} from '../domain/instrument.js';
import {
  type Fill,
  type Order,
  type OrderChanges,
  type OrderRequest,
  type Side,
  hasLimitPrice,
  isStopType,
  isWorking,
} from '../domain/order.js';
import type { DepthLevel, DepthView, MarketQuote, QuoteView } from '../domain/market.js';
import { type HoldingView, type PositionView, averagePrice, unrealizedPnl } from '../domain/position.js';
import { Ledger } from './ledger.js';
import { sessionDay } from '../domain/session-day.js';
import type { ExchangeSessions } from './session-hours.js';
import { DEFAULT_MARGIN_RATES, type MarginRates, exposureMargin, positionMargin } from './margin.js';
import { type Execution, type Level, limitCrossed, stopTriggered, sweep } from './matching.js';

/** What the exchange needs of the simulated market. */
export interface MarketData {
  quote(instrument: Instrument): MarketQuote;
  book(instrument: Instrument): { bids: DepthLevel[]; asks: DepthLevel[] };
  liquidity(instrument: Instrument, side: 'bid' | 'ask'): Iterable<Level>;
}

function pickQuote(q: MarketQuote): MarketQuote {
  const { lastPrice, bid, ask, open, high, low, previousClose, volume, lastQuantity, at } = q;
  return { lastPrice, bid, ask, open, high, low, previousClose, volume, lastQuantity, at };
}

/** How long a client order id names its order (then it may be used again): as long as Idempotency-Key answers are kept. */
export const CLIENT_ORDER_ID_WINDOW_MS = 24 * 3600 * 1000;

export interface PaperExchangeOptions {
  instruments: InstrumentLookup;
  market: MarketData;
  clock: Clock;
  journal: EventJournal;
  marginRates?: MarginRates;
  /** Trading hours and MIS square-off; without it the exchange is open around the clock. */
  sessions?: ExchangeSessions;
  /**
   * Put before every order and trade id this exchange makes (none by default), so that the ids of two exchanges of
   * one gateway, live and sandbox, can never be the same.
   */
  idPrefix?: string;
}

export interface FundsState {
  deposits: Decimal;
  availableCash: Decimal;
  usedMargin: Decimal;
  realizedPnl: Decimal;
  unrealizedPnl: Decimal;
}

/** An order's position and side: what margin and holdings checks look at. */
type OnPosition = Pick<Order, 'accountId' | 'symbol' | 'exchange' | 'product' | 'side'>;

type EventListener = (events: readonly JournaledEvent[]) => void;

export class PaperExchange {
  /** A roll forgets what finished before the client-order-id window: no retry can name it any more. */
  private ledger = new Ledger(sessionDay, CLIENT_ORDER_ID_WINDOW_MS);
  private readonly instruments: InstrumentLookup;
  private readonly market: MarketData;
  private readonly clock: Clock;
  private readonly journal: EventJournal;
  private readonly rates: MarginRates;
  private readonly sessions: ExchangeSessions | undefined;
  private readonly idPrefix: string;
  private readonly listeners: EventListener[] = [];
  private orderSeq = 0;
  private tradeSeq = 0;

  constructor(options: PaperExchangeOptions) {
    this.instruments = options.instruments;
    this.market = options.market;
    this.clock = options.clock;
    this.journal = options.journal;
    this.rates = options.marginRates ?? DEFAULT_MARGIN_RATES;
    this.sessions = options.sessions;
    this.idPrefix = options.idPrefix ?? '';
  }

  /**
   * Rebuilds every account from the journal: once before serving, and again after the journal recovered from a failed
   * commit (memory had moved on for events that may not be stored; what the journal holds is the truth).
   */
  async restore(): Promise<number> {
    // Built aside and swapped in at once: until then the exchange answers from what it had.
    const ledger = new Ledger(sessionDay, CLIENT_ORDER_ID_WINDOW_MS);
    let orderSeq = 0;
    let tradeSeq = 0;
    let count = 0;
    for await (const event of this.journal.readAll()) {
      ledger.apply(event);
      if (event.type === 'order.accepted' || event.type === 'order.rejected') {
        orderSeq = Math.max(orderSeq, sequenceOf(event.order.id));
      } else if (event.type === 'order.fill') {
        tradeSeq = Math.max(tradeSeq, sequenceOf(event.fill.tradeId));
      }
      count++;
    }
    this.ledger = ledger;
    this.orderSeq = orderSeq;
    this.tradeSeq = tradeSeq;
    return count;
  }

  /** Listeners see every batch of events once it is applied and durable, in commit order. */
  onEvents(listener: EventListener): void {
    this.listeners.push(listener);
  }

  hasAccount(accountId: string): boolean {
    return this.ledger.account(accountId) !== undefined;
  }

  fundAccount(accountId: string, amount: Decimal): void {
    this.commit([{ type: 'account.funded', accountId, amount, at: this.clock.now() }]);
  }

  /**
   * Places a client's order. One with a client order id the account used in the last 24 hours is not placed again:
   * the earlier order is returned as it stands (a retried placement whose answer was lost), or refused with
   * DuplicateClientOrderId when it was for another instrument, side or product.
   */
  place(request: OrderRequest): Order {
    this.rollIfDue();
    if (request.clientOrderId !== undefined) {
      const earlier = this.ledger.orderByClientId(request.accountId, request.clientOrderId);
      if (earlier && earlier.createdAt > this.clock.now() - CLIENT_ORDER_ID_WINDOW_MS) {
        if (!sameTarget(earlier, request)) throw new DuplicateClientOrderId(request.clientOrderId, earlier.id);
        return this.snapshot(earlier.accountId, earlier.id);
      }
    }
    return this.placeOrder(request, true);
  }

  // `inSession`: apply trading hours (client orders); the exchange's own square-off orders skip them.
  private placeOrder(request: OrderRequest, inSession: boolean): Order {
    const instrument = this.instruments.require(request.symbol, request.exchange);
    const quote = this.market.quote(instrument);
    validateOrder(request, instrument, quote.lastPrice, true);
    const now = this.clock.now();
    if (inSession) {
      this.checkSession(request, now);
      this.checkNotExpired(request, instrument, now);
    }
    const order: Order = copyWith(request, {
      id: this.nextOrderId(now),
      status: isStopType(request.type) ? ('trigger_pending' as const) : ('open' as const),
      filledQuantity: ZERO,
      averagePrice: ZERO,
      createdAt: now,
      updatedAt: now,
    });

    const holdingsShortfall = this.cncSellShortfall(order);
    const margin = this.orderMargin(order, instrument, order.quantity, referencePrice(order, quote));
    const available = this.funds(order.accountId).availableCash;
    const reason = holdingsShortfall ?? (cmp(margin, available) > 0 ? insufficientFunds(margin, available) : undefined);
    if (reason !== undefined) {
      const rejected: Order = copyWith(order, { status: 'rejected' as const, rejectReason: reason });
      this.commit([{ type: 'order.rejected', accountId: order.accountId, order: rejected, at: now }]);
      return { ...rejected };
    }

    const events: ExchangeEvent[] = [{ type: 'order.accepted', accountId: order.accountId, order, margin, at: now }];
    if (!isStopType(order.type)) events.push(...this.executeMarketable(order, instrument, order.quantity, now));
    this.commit(events);
    return this.snapshot(order.accountId, order.id);
  }

  modify(accountId: string, orderId: string, changes: OrderChanges): Order {
    this.rollIfDue();
    const order = this.requireOrder(accountId, orderId);
    if (!isWorking(order.status)) throw new OrderNotModifiable(orderId, 'modify', order.status);
    const instrument = this.instruments.require(order.symbol, order.exchange);
    const quote = this.market.quote(instrument);
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
    validateOrder(next, instrument, quote.lastPrice, awaitsTrigger);

    const remaining = sub(next.quantity, next.filledQuantity);
    const currentMargin = this.ledger.account(accountId)?.orderMargin.get(orderId) ?? ZERO;
    const margin = this.orderMargin(next, instrument, remaining, referencePrice(next, quote), orderId);
    const available = add(this.funds(accountId).availableCash, currentMargin);
    if (cmp(margin, available) > 0) {
      throw new InsufficientFunds(insufficientFunds(margin, available));
    }
    const now = this.clock.now();
    const events: ExchangeEvent[] = [{ type: 'order.modified', accountId, orderId, changes, margin, at: now }];
    if (!awaitsTrigger) events.push(...this.executeMarketable(next, instrument, remaining, now));
    this.commit(events);
    return this.snapshot(accountId, orderId);
  }

  cancel(accountId: string, orderId: string): Order {
    this.rollIfDue();
    const order = this.requireOrder(accountId, orderId);
    if (!isWorking(order.status)) throw new OrderNotModifiable(orderId, 'cancel', order.status);
    this.commit([{ type: 'order.cancelled', accountId, orderId, reason: '', at: this.clock.now() }]);
    return this.snapshot(accountId, orderId);
  }

  getOrder(accountId: string, orderId: string): Order {
    return { ...this.requireOrder(accountId, orderId) };
  }

  /** The session's orders (and older ones still working), in placement order. */
  orders(accountId: string): Order[] {
    this.rollIfDue();
    const book = this.ledger.account(accountId);
    if (!book) return [];
    return [...book.orders.values()]
      .filter((o) => o.createdAt >= book.sessionStart || isWorking(o.status))
      .map((o) => ({ ...o }));
  }

  /** The session's fills. */
  trades(accountId: string): Fill[] {
    this.rollIfDue();
    const book = this.ledger.account(accountId);
    return book ? book.trades.filter((t) => t.at >= book.sessionStart) : [];
  }

  /** Delivery holdings carried from earlier sessions, marked to the market. */
  holdings(accountId: string): HoldingView[] {
    this.rollIfDue();
    return [...(this.ledger.account(accountId)?.holdings.values() ?? [])].map((holding) => ({
      symbol: holding.symbol,
      exchange: holding.exchange,
      quantity: holding.quantity,
      cost: holding.cost,
      averagePrice: div(holding.cost, holding.quantity),
      lastPrice: this.market.quote(this.instruments.require(holding.symbol, holding.exchange)).lastPrice,
    }));
  }

  /** Every position the account has held, including closed ones, marked to the market's last price. */
  positions(accountId: string): PositionView[] {
    this.rollIfDue();
    const book = this.ledger.account(accountId);
    if (!book) return [];
    return [...book.positions.values()].map((position) => {
      const instrument = this.instruments.require(position.symbol, position.exchange);
      const lastPrice = this.market.quote(instrument).lastPrice;
      return {
        symbol: position.symbol,
        exchange: position.exchange,
        product: position.product,
        quantity: position.quantity,
        averagePrice: averagePrice(position),
        lastPrice,
        realizedPnl: position.realizedPnl,
        unrealizedPnl: unrealizedPnl(position, lastPrice),
      };
    });
  }

  funds(accountId: string): FundsState {
    this.rollIfDue();
    const book = this.ledger.account(accountId);
    if (!book) return { deposits: ZERO, availableCash: ZERO, usedMargin: ZERO, realizedPnl: ZERO, unrealizedPnl: ZERO };
    let usedMargin = this.ledger.blockedOrderMargin(accountId);
    let unrealized = ZERO;
    for (const position of book.positions.values()) {
      if (isZero(position.quantity)) continue;
      const instrument = this.instruments.require(position.symbol, position.exchange);
      const margin = positionMargin(this.rates, instrument, position.product, position.quantity, position.openCost);
      usedMargin = add(usedMargin, margin);
      unrealized = add(unrealized, unrealizedPnl(position, this.market.quote(instrument).lastPrice));
    }
    let heldCost = ZERO;
    for (const holding of book.holdings.values()) heldCost = add(heldCost, holding.cost);
    return {
      deposits: book.deposits,
      availableCash: sub(sub(add(book.deposits, book.realizedPnl), usedMargin), heldCost),
      usedMargin,
      realizedPnl: book.realizedPnl,
      unrealizedPnl: unrealized,
    };
  }

  /** The market of one instrument now; open interest is not simulated (0). */
  quote(symbol: string, exchange: Exchange): QuoteView {
    const quote = this.market.quote(this.instruments.require(symbol, exchange));
    return copyWith(pickQuote(quote), { openInterest: ZERO });
  }

  depth(symbol: string, exchange: Exchange): DepthView {
    const instrument = this.instruments.require(symbol, exchange);
    const book = this.market.book(instrument);
    return copyWith(this.quote(symbol, exchange), { bids: book.bids, asks: book.asks });
  }

  /** Matches every working order against the market as it is now: triggers stops, fills crossed limits. */
  tick(): void {
    this.rollIfDue();
    this.squareOffIntraday();
    const now = this.clock.now();
    const events: ExchangeEvent[] = [];
    for (const order of this.ledger.working.values()) {
      const instrument = this.instruments.require(order.symbol, order.exchange);
      const quote = this.market.quote(instrument);
      const remaining = sub(order.quantity, order.filledQuantity);
      if (order.status === 'trigger_pending') {
        if (order.stopPrice === undefined || !stopTriggered(order.side, order.stopPrice, quote.lastPrice)) continue;
        events.push({ type: 'order.triggered', accountId: order.accountId, orderId: order.id, at: now });
        events.push(...this.executeMarketable(order, instrument, remaining, now));
      } else if (order.limitPrice !== undefined && limitCrossed(order.side, order.limitPrice, quote.bid, quote.ask)) {
        events.push(this.fillEvent(order, { price: order.limitPrice, quantity: remaining }, now));
      }
    }
    if (events.length > 0) this.commit(events);
  }

  /**
   * Starts a new session at the first activity after the boundary: working DAY orders expire, then every account
   * rolls (CNC longs to holdings, the day's figures afresh). Journaled like any change, so a replay repeats it.
   */
  private rollIfDue(): void {
    const last = this.ledger.lastSessionDay;
    const now = this.clock.now();
    const today = sessionDay(now);
    if (last === undefined || today <= last) return;
    const events: ExchangeEvent[] = [];
    for (const order of this.ledger.working.values()) {
      if (order.timeInForce === 'GTC') continue;
      events.push(this.cancelEvent(order, 'Expired at the end of the trading day', now));
    }
    for (const accountId of this.ledger.accountIds()) {
      events.push({ type: 'session.rolled', accountId, day: today, at: now });
    }
    this.commit(events);
  }

  // A contract past its expiry day (still known to name old orders and positions) takes only orders that reduce.
  private checkNotExpired(request: OrderRequest, instrument: Instrument, now: number): void {
    if (instrument.expiry === undefined || instrument.expiry >= sessionDay(now)) return;
    if (isZero(this.openingQuantity(request, request.quantity))) return;
    throw new InvalidOrder(`${request.symbol} expired on ${instrument.expiry}; only orders that reduce its position are accepted`);
  }

  // Sessions enforced: the exchange must be open, and after the square-off time MIS may only reduce positions.
  private checkSession(request: OrderRequest, now: number): void {
    if (!this.sessions) return;
    const closed = this.sessions.closedReason(request.exchange, now);
    if (closed) throw new InvalidOrder(closed);
    const squareOff = request.product === 'MIS' ? this.sessions.squareOffPassed(request.exchange, now) : undefined;
    if (squareOff && !isZero(this.openingQuantity(request, request.quantity))) {
      throw new InvalidOrder(
        `MIS orders cannot be placed after square-off time (${squareOff} IST). Trading resumes at ` +
          `${this.sessions.openingTime(request.exchange)} IST on the next trading day.`,
      );
    }
  }

  /**
   * Sessions enforced: once an exchange's square-off time has passed, its working MIS orders are cancelled and its
   * MIS positions closed with MARKET orders (sliced to the freeze quantity), tagged `Squareoff`.
   */
  private squareOffIntraday(): void {
    const sessions = this.sessions;
    if (!sessions) return;
    const now = this.clock.now();
    const due = (exchange: Exchange) => sessions.squareOffPassed(exchange, now) !== undefined;
    for (const order of [...this.ledger.working.values()]) {
      if (order.product === 'MIS' && due(order.exchange)) {
        this.commit([this.cancelEvent(order, 'Cancelled at the MIS square-off time', now)]);
      }
    }
    for (const accountId of [...this.ledger.accountIds()]) {
      const open = [...(this.ledger.account(accountId)?.positions.values() ?? [])].filter(
        (p) => p.product === 'MIS' && !isZero(p.quantity) && due(p.exchange),
      );
      for (const position of open) {
        const instrument = this.instruments.require(position.symbol, position.exchange);
        for (const quantity of freezeSlices(abs(position.quantity), instrument)) {
          this.placeOrder(
            {
              accountId,
              symbol: position.symbol,
              exchange: position.exchange,
              side: position.quantity > 0n ? 'SELL' : 'BUY',
              quantity,
              type: 'MARKET',
              product: 'MIS',
              timeInForce: 'DAY',
              strategyTag: 'Squareoff',
            },
            false,
          );
        }
      }
    }
  }

  // The executions of a marketable order (MARKET, or a LIMIT that crosses), plus the cancellation of what must not rest.
  private executeMarketable(order: Order, instrument: Instrument, quantity: Decimal, now: number): ExchangeEvent[] {
    const limit = hasLimitPrice(order.type) ? order.limitPrice : undefined;
    const levels = this.market.liquidity(instrument, order.side === 'BUY' ? 'ask' : 'bid');
    const result = sweep(order.side, quantity, levels, limit);
    if (order.timeInForce === 'FOK' && !isZero(result.remaining)) {
      return [this.cancelEvent(order, 'FOK order could not be filled in full', now)];
    }
    const events: ExchangeEvent[] = result.executions.map((execution) => this.fillEvent(order, execution, now));
    if (!isZero(result.remaining)) {
      if (limit === undefined) {
        events.push(this.cancelEvent(order, 'No liquidity left within the market protection band', now));
      } else if (order.timeInForce === 'IOC') {
        events.push(this.cancelEvent(order, 'IOC order remainder cancelled', now));
      }
    }
    return events;
  }

  private fillEvent(order: Order, execution: Execution, now: number): ExchangeEvent {
    return {
      type: 'order.fill',
      accountId: order.accountId,
      fill: {
        tradeId: this.nextTradeId(now),
        orderId: order.id,
        accountId: order.accountId,
        symbol: order.symbol,
        exchange: order.exchange,
        product: order.product,
        side: order.side,
        quantity: execution.quantity,
        price: execution.price,
        at: now,
      },
      at: now,
    };
  }

  private cancelEvent(order: Order, reason: string, now: number): ExchangeEvent {
    return { type: 'order.cancelled', accountId: order.accountId, orderId: order.id, reason, at: now };
  }

  /** Margin an order blocks: only the part that opens exposure; the part that reduces a position is free. */
  private orderMargin(order: Order, instrument: Instrument, quantity: Decimal, price: Decimal, ignore?: string): Decimal {
    const opening = this.openingQuantity(order, quantity, ignore);
    if (isZero(opening)) return ZERO;
    if (order.product === 'CNC' && order.side === 'SELL') return ZERO;
    return exposureMargin(this.rates, instrument, order.product, order.side, opening, price);
  }

  private openingQuantity(order: OnPosition, quantity: Decimal, ignore?: string): Decimal {
    const net = this.ledger.position(order.accountId, order.symbol, order.exchange, order.product).quantity;
    const opposite = order.side === 'SELL' ? max(net, ZERO) : max(neg(net), ZERO);
    const claimed = this.workingQuantity(order, order.side, ignore);
    const reducible = max(sub(opposite, claimed), ZERO);
    return max(sub(quantity, reducible), ZERO);
  }

  // Unfilled quantity of the account's other working orders on the same position and side.
  private workingQuantity(order: OnPosition, side: Side, ignore?: string): Decimal {
    const total = this.ledger.workingQuantity(order.accountId, order.symbol, order.exchange, order.product, side);
    const own = ignore === undefined ? undefined : this.ledger.working.get(ignore);
    return own && own.side === side ? sub(total, sub(own.quantity, own.filledQuantity)) : total;
  }

  // Delivery sells need shares: a CNC long position not already promised to other sell orders.
  private cncSellShortfall(order: Order): string | undefined {
    if (order.product !== 'CNC' || order.side !== 'SELL') return undefined;
    const dayLong = max(this.ledger.position(order.accountId, order.symbol, order.exchange, 'CNC').quantity, ZERO);
    const held = add(dayLong, this.ledger.holding(order.accountId, order.symbol, order.exchange)?.quantity ?? ZERO);
    const free = max(sub(held, this.workingQuantity(order, 'SELL')), ZERO);
    if (cmp(order.quantity, free) <= 0) return undefined;
    return `Cannot sell ${toString(order.quantity)} ${order.symbol} (CNC): only ${toString(free)} held and not already on sale`;
  }

  private requireOrder(accountId: string, orderId: string): Order {
    const order = this.ledger.order(accountId, orderId);
    if (!order) throw new OrderNotFound(orderId);
    return order;
  }

  private snapshot(accountId: string, orderId: string): Order {
    return { ...this.requireOrder(accountId, orderId) };
  }

  // Decide → append → apply: memory moves on at once (the next order sees this one), but nothing leaves the exchange
  // before the journal says the batch is durable: listeners are told then, and brokers answer clients after
  // `whenDurable`. A failed commit stops the journal, so memory never runs ahead of a journal that accepts more; once
  // the journal recovers, `restore` rebuilds memory from what it holds.
  private commit(events: readonly ExchangeEvent[]): void {
    const journaled = this.journal.append(events);
    for (const event of events) this.ledger.apply(event);
    if (this.listeners.length === 0) return;
    const durable = this.journal.whenDurable();
    if (durable === null) this.notify(journaled);
    else durable.then(() => this.notify(journaled), () => undefined);
  }

  private notify(journaled: readonly JournaledEvent[]): void {
    for (const listener of this.listeners) listener(journaled);
  }

  /**
   * Null when everything this exchange decided is durable; otherwise resolves once it is (rejects if the commit
   * failed). Answer a client only after it: an acknowledged order then survives a crash.
   */
  whenDurable(): Promise<void> | null {
    return this.journal.whenDurable();
  }

  private nextOrderId(now: number): string {
    return `${this.idPrefix}${datePrefix(now)}${String(++this.orderSeq).padStart(8, '0')}`;
  }

  private nextTradeId(now: number): string {
    return `${this.idPrefix}${datePrefix(now)}${String(++this.tradeSeq).padStart(8, '0')}`;
  }
}

/** Why an order that needs `margin` is refused when only `available` is free (placement and modification alike). */
function insufficientFunds(margin: Decimal, available: Decimal): string {
  return (
    `Insufficient funds. Required: ₹${toReadable(margin, 2)}, Available: ₹${toReadable(available, 2)}, ` +
    `Shortage: ₹${toReadable(sub(margin, available), 2)}`
  );
}

/** Rules every order must keep before the exchange takes it; `checkStop` compares a stop's trigger with the market. */
export function validateOrder(
  order: Pick<Order, 'side' | 'quantity' | 'type' | 'limitPrice' | 'stopPrice' | 'product' | 'disclosedQuantity'>,
  instrument: Instrument,
  lastPrice: Decimal,
  checkStop: boolean,
): void {
  if (INDEX_EXCHANGES.has(instrument.exchange)) {
    throw new InvalidOrder(`${instrument.exchange} is quote-only: indices cannot be traded`);
  }
  if (cmp(order.quantity, ZERO) <= 0) throw new InvalidOrder('Quantity must be a positive number.');
  if (!isMultipleOf(order.quantity, instrument.lotSize)) {
    throw new InvalidOrder(`Quantity must be in multiples of lot size ${toString(instrument.lotSize)}`);
  }
  if (cmp(order.quantity, instrument.freezeQuantity) > 0) {
    throw new InvalidOrder(
      `Quantity ${toReadable(order.quantity)} exceeds the freeze quantity ${toString(instrument.freezeQuantity)} ` +
        `of ${instrument.symbol}; split the order`,
    );
  }
  if (order.disclosedQuantity !== undefined && cmp(order.disclosedQuantity, order.quantity) > 0) {
    throw new InvalidOrder('Disclosed quantity cannot exceed the order quantity');
  }
  if (order.product === 'CNC' && isDerivative(instrument)) {
    throw new InvalidOrder(`CNC is for equity delivery; use NRML or MIS for ${instrument.symbol}`);
  }
  if (hasLimitPrice(order.type)) checkPrice('Price', order.limitPrice, instrument);
  if (isStopType(order.type)) checkPrice('Trigger price', order.stopPrice, instrument);
  const limit = order.limitPrice;
  const stop = order.stopPrice;
  if (order.type === 'STOP_LIMIT' && limit !== undefined && stop !== undefined) {
    const wrongSide = order.side === 'BUY' ? cmp(limit, stop) < 0 : cmp(limit, stop) > 0;
    if (wrongSide) {
      throw new InvalidOrder(
        `Price ${toReadable(limit)} must be ${order.side === 'BUY' ? 'at or above' : 'at or below'} ` +
          `the trigger price ${toReadable(stop)} for a ${order.side} SL order`,
      );
    }
  }
  if (checkStop && isStopType(order.type) && stop !== undefined && stopTriggered(order.side, stop, lastPrice)) {
    throw new InvalidOrder(
      `Trigger price ${toReadable(stop)} must be ${order.side === 'BUY' ? 'above' : 'below'} the last price ` +
        `${toString(lastPrice)} for a ${order.side} stop order`,
    );
  }
}

function checkPrice(label: string, price: Decimal | undefined, instrument: Instrument): void {
  if (price === undefined || cmp(price, ZERO) <= 0) {
    throw new InvalidOrder(`${label} must be greater than 0 for this order type`);
  }
  if (!isMultipleOf(price, instrument.tickSize)) {
    throw new InvalidOrder(
      `${label} ${toReadable(price)} is not a multiple of the tick size ${toString(instrument.tickSize)}`,
    );
  }
}

// The price margin is blocked at: the limit, else the trigger, else the opposite best price.
function referencePrice(order: Order, quote: { bid: Decimal; ask: Decimal }): Decimal {
  if (order.limitPrice !== undefined && hasLimitPrice(order.type)) return order.limitPrice;
  if (order.stopPrice !== undefined && isStopType(order.type)) return order.stopPrice;
  return order.side === 'BUY' ? quote.ask : quote.bid;
}

// Ids are the exchange's prefix + YYMMDD (IST) + an 8-digit sequence, like OpenAlgo's sandbox ids; the sequence is
// read back from the last 8 digits, so a journal written before a prefix was set replays into the same sequence.
/** `YYMMDD` of the IST day, the prefix of order and trade ids. */
function datePrefix(now: number): string {
  const day = istDate(now);
  return `${day.slice(2, 4)}${day.slice(5, 7)}${day.slice(8, 10)}`;
}

function sequenceOf(id: string): number {
  return Number(id.slice(-8)) || 0;
}

export const STARTING_CASH = dec('10000000');

/** Whether a placement asks for the same instrument, side and product as an earlier order. */
function sameTarget(order: Order, request: OrderRequest): boolean {
  return (
    order.symbol === request.symbol &&
    order.exchange === request.exchange &&
    order.side === request.side &&
    order.product === request.product
  );
}
