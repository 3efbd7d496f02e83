// The paper exchange: takes orders, matches them against the simulated market and keeps every account's books,
// changing state only through journaled events (decide → commit → apply), so what it acknowledged survives a crash.
// This class is the front: each job is done by one part (order entry, margin and funds, executions, session roll,
// square-off, views) over the shared memory in ExchangeState.
import type { Clock } from '../domain/clock.js';
import { type Currency, HOME_CURRENCY } from '../domain/currency.js';
import { type Decimal, ZERO } from '../domain/decimal.js';
import type { EventJournal, ExchangeEvent, JournaledEvent } from '../domain/events.js';
import type { Exchange, Instrument, InstrumentLookup } from '../domain/instrument.js';
import type { BasketMargin, MarginLeg } from '../domain/margin-basket.js';
import type { DepthView, MarketQuote, QuoteView } from '../domain/market.js';
import type { Fill, Order, OrderChanges, OrderRequest } from '../domain/order.js';
import type { HoldingView, PositionView } from '../domain/position.js';
import { copyWith } from '../domain/objects.js';
import { AccountMargin, type FundsState } from './account-margin.js';
import { AccountViews } from './account-views.js';
import { basketMargin, priceBasket } from './basket-margin.js';
import { ExchangeState } from './exchange-state.js';
import { Executions } from './executions.js';
import { DEFAULT_MARGIN_RATES, type MarginRates } from './margin.js';
import type { MarketData } from './market-data.js';
import { type Decision, OrderEntry } from './order-entry.js';
import { sessionRollEvents } from './session-roll.js';
import type { ExchangeSessions } from './session-hours.js';
import { intradaySquareOff } from './square-off.js';

export { CLIENT_ORDER_ID_WINDOW_MS } from '../domain/order.js';
export type { FundsState, MarketData };

export interface PaperExchangeOptions {
  instruments: InstrumentLookup;
  market: MarketData;
  clock: Clock;
  journal: EventJournal;
  marginRates?: MarginRates;
  /** The listed spot or index a derivative is priced from (the basket margin's scan revalues options at its price). */
  underlyingOf?: (instrument: Instrument) => Instrument | undefined;
  /** Trading hours and MIS square-off; without it the exchange is open around the clock. */
  sessions?: ExchangeSessions;
  /**
   * Put before every order and trade id this exchange makes (none by default), so that the ids of two exchanges of
   * one gateway, live and sandbox, can never be the same.
   */
  idPrefix?: string;
}

type EventListener = (events: readonly JournaledEvent[]) => void;

export class PaperExchange {
  private readonly state: ExchangeState;
  private readonly instruments: InstrumentLookup;
  private readonly market: MarketData;
  private readonly clock: Clock;
  private readonly journal: EventJournal;
  private readonly sessions: ExchangeSessions | undefined;
  private readonly margin: AccountMargin;
  private readonly marginRates: MarginRates;
  private readonly underlyingOf: (instrument: Instrument) => Instrument | undefined;
  private readonly executions: Executions;
  private readonly entry: OrderEntry;
  private readonly views: AccountViews;
  private readonly listeners: EventListener[] = [];

  constructor(options: PaperExchangeOptions) {
    const { instruments, market, clock, sessions } = options;
    this.state = new ExchangeState(options.idPrefix ?? '');
    this.instruments = instruments;
    this.market = market;
    this.clock = clock;
    this.journal = options.journal;
    this.sessions = sessions;
    this.marginRates = options.marginRates ?? DEFAULT_MARGIN_RATES;
    this.underlyingOf = options.underlyingOf ?? (() => undefined);
    this.margin = new AccountMargin(this.state, instruments, market, this.marginRates);
    this.executions = new Executions(this.state, instruments, market);
    this.entry = new OrderEntry(this.state, { instruments, market, clock, sessions }, this.margin, this.executions);
    this.views = new AccountViews(this.state, instruments, market);
  }

  /**
   * Rebuilds every account from the journal: once before serving, and again after the journal recovered from a failed
   * commit (memory had moved on for events that may not be stored; what the journal holds is the truth).
   */
  restore(): Promise<number> {
    return this.state.replay(this.journal.readAll());
  }

  /** Listeners see every batch of events once it is applied and durable, in commit order. */
  onEvents(listener: EventListener): void {
    this.listeners.push(listener);
  }

  hasAccount(accountId: string): boolean {
    return this.state.ledger.account(accountId) !== undefined;
  }

  /** Pays `amount` into the account's balance in `currency`. */
  fundAccount(accountId: string, amount: Decimal, currency: Currency = HOME_CURRENCY): void {
    // The home currency is left unsaid, as in journals written before balances had currencies.
    const funded: ExchangeEvent = { type: 'account.funded', accountId, amount, at: this.clock.now() };
    this.commit([currency === HOME_CURRENCY ? funded : copyWith(funded, { currency })]);
  }

  /**
   * Places a client's order. One with a client order id the account used in the last 24 hours is not placed again:
   * the earlier order is returned as it stands (a retried placement whose answer was lost), or refused with
   * DuplicateClientOrderId when it was for another instrument, side or product.
   */
  place(request: OrderRequest): Order {
    this.rollIfDue();
    const earlier = this.entry.earlierPlacement(request);
    if (earlier) return { ...earlier };
    return this.apply(this.entry.place(request, true));
  }

  modify(accountId: string, orderId: string, changes: OrderChanges): Order {
    this.rollIfDue();
    return this.apply(this.entry.modify(accountId, orderId, changes));
  }

  cancel(accountId: string, orderId: string): Order {
    this.rollIfDue();
    return this.apply(this.entry.cancel(accountId, orderId));
  }

  getOrder(accountId: string, orderId: string): Order {
    return { ...this.entry.requireOrder(accountId, orderId) };
  }

  /** The session's orders (and older ones still working), in placement order. */
  orders(accountId: string): Order[] {
    this.rollIfDue();
    return this.views.orders(accountId);
  }

  /** The session's fills. */
  trades(accountId: string): Fill[] {
    this.rollIfDue();
    return this.views.trades(accountId);
  }

  /** The fills of one order, oldest first, while the exchange remembers the order (as `getOrder`). */
  fillsOf(accountId: string, orderId: string): Fill[] {
    return this.views.fillsOf(accountId, orderId);
  }

  /** Delivery holdings carried from earlier sessions, marked to the market. */
  holdings(accountId: string): HoldingView[] {
    this.rollIfDue();
    return this.views.holdings(accountId);
  }

  /** Every position the account has held, including closed ones, marked to the market's last price. */
  positions(accountId: string): PositionView[] {
    this.rollIfDue();
    return this.views.positions(accountId);
  }

  /** The account's funds in each currency it has, INR first (and always, at zero for an unknown account). */
  funds(accountId: string): FundsState[] {
    this.rollIfDue();
    return this.margin.funds(accountId);
  }

  /**
   * What a basket of new positions would need, all legs together, at the market's prices now (basket-margin.ts): each
   * leg alone needs what an order for it blocks; legs on one underlying that hedge each other need less.
   */
  basketMargin(legs: readonly MarginLeg[]): BasketMargin {
    const market = { instruments: this.instruments, market: this.market, underlyingOf: this.underlyingOf, now: this.clock.now() };
    return basketMargin(this.marginRates, priceBasket(legs, market));
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
    const events = this.executions.matchWorking(this.clock.now());
    if (events.length > 0) this.commit(events);
  }

  /**
   * Null when everything this exchange decided is durable; otherwise resolves once it is (rejects if the commit
   * failed). Answer a client only after it: an acknowledged order then survives a crash.
   */
  whenDurable(): Promise<void> | null {
    return this.journal.whenDurable();
  }

  private rollIfDue(): void {
    const events = sessionRollEvents(this.state.ledger, this.clock.now());
    if (events.length > 0) this.commit(events);
  }

  // Sessions enforced: past an exchange's square-off time its MIS orders are cancelled, then its MIS positions closed.
  private squareOffIntraday(): void {
    if (!this.sessions) return;
    const squareOff = intradaySquareOff(this.state.ledger, this.instruments, this.sessions, this.clock.now());
    if (squareOff.cancellations.length > 0) this.commit(squareOff.cancellations);
    for (const request of squareOff.closingOrders) this.apply(this.entry.place(request, false));
  }

  private apply(decision: Decision): Order {
    this.commit(decision.events);
    return this.getOrder(decision.accountId, decision.orderId);
  }

  // Decide → append → apply: memory moves on at once (the next order sees this one), but nothing leaves the exchange
  // before the journal says the batch is durable: listeners are told then, and brokers answer clients after
  // `whenDurable`. A failed commit stops the journal, so memory never runs ahead of a journal that accepts more; once
  // the journal recovers, `restore` rebuilds memory from what it holds.
  private commit(events: readonly ExchangeEvent[]): void {
    const journaled = this.journal.append(events);
    for (const event of events) this.state.ledger.apply(event);
    if (this.listeners.length === 0) return;
    const durable = this.journal.whenDurable();
    if (durable === null) this.notify(journaled);
    else durable.then(() => this.notify(journaled), () => undefined);
  }

  private notify(journaled: readonly JournaledEvent[]): void {
    for (const listener of this.listeners) listener(journaled);
  }
}

function pickQuote(q: MarketQuote): MarketQuote {
  const { lastPrice, bid, ask, open, high, low, previousClose, volume, lastQuantity, at } = q;
  return { lastPrice, bid, ask, open, high, low, previousClose, volume, lastQuantity, at };
}
