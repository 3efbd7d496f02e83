// The order desk: every order of its accounts, on whichever broker, passes here. It checks the order, gives it
// Ordergate's id, sends it to the broker, records what the broker reports in the core's journal (decide → apply →
// append; answered once durable), follows the broker's own updates and reconciles the record with the broker's status
// reports. One desk serves the live accounts, another the analyzer's sandbox.
import type { Broker, OrderReport } from '../brokers/broker.js';
import type { Clock } from '../domain/clock.js';
import { isSequencedId, sequenceOf, sequencedId } from '../domain/order-ids.js';
import { DuplicateClientOrderId, OrderNotFound, OrderNotModifiable } from '../domain/errors.js';
import type { EventJournal, JournaledEvent, OrderEvent } from '../domain/events.js';
import {
  CLIENT_ORDER_ID_WINDOW_MS,
  type Fill,
  type Order,
  type OrderChanges,
  type OrderRequest,
  isWorking,
  sameTarget,
} from '../domain/order.js';
import { sessionDay, sessionStartOf } from '../domain/session-day.js';
import { IllegalTransition, OrderRecord } from './order-record.js';
import { type PreTradeCheck, checkBeforeBroker } from './pre-trade.js';
import { type OrderIdentity, newOrderEvents, updateEvents } from './report-events.js';

/** Failed placements remembered for a late report of their order. */
const MAX_UNANSWERED = 10_000;

/** Why reconciliation ends a working order the broker does not report. */
export const UNKNOWN_TO_BROKER = 'The broker no longer knows this order (found at reconciliation)';

export interface OrderDeskOptions {
  journal: EventJournal;
  clock: Clock;
  /** Put before every order id this desk makes (`SB-` for the sandbox), so two desks' ids never meet. */
  idPrefix?: string;
  preTrade: PreTradeCheck;
  /** A broker report that could not be applied (an illegal transition, an unknown account); must not throw. */
  onError: (error: unknown) => void;
}

type EventListener = (events: readonly JournaledEvent[]) => void;

/** A report that arrived while placements on its connection were in flight, held until they are answered. */
interface ParkedReport {
  report: OrderReport;
  waitingFor: Set<string>;
}

export class OrderDesk {
  private record = new OrderRecord();
  private readonly listeners: EventListener[] = [];
  private readonly idPrefix: string;
  private orderSeq = 0;
  /** Placements awaiting their broker's answer: Ordergate id → connection, and the reports that came meanwhile. */
  private readonly inFlight = new Map<string, { connection: string; reports: OrderReport[] }>();
  private readonly parked = new Map<string, ParkedReport[]>();
  /** Placements that failed with no report of the order: who it would have been, for a report that comes later. */
  private readonly unanswered = new Map<string, OrderIdentity & { at: number }>();

  constructor(private readonly options: OrderDeskOptions) {
    this.idPrefix = options.idPrefix ?? '';
  }

  /** Rebuilds the record from the journal: once before serving, and after the journal recovered from a failure. */
  async restore(): Promise<number> {
    const record = new OrderRecord();
    let orderSeq = 0;
    let count = 0;
    for await (const event of this.options.journal.readAll()) {
      if (!event.type.startsWith('order.')) continue;
      try {
        record.apply(event as OrderEvent);
      } catch (error) {
        // The journal holds only events that applied when they were written; say so if one no longer does.
        this.options.onError(error);
        continue;
      }
      if ((event.type === 'order.accepted' || event.type === 'order.rejected') && event.order.id.startsWith(this.idPrefix)) {
        orderSeq = Math.max(orderSeq, sequenceOf(event.order.id));
      }
      count++;
    }
    this.record = record;
    this.orderSeq = orderSeq;
    return count;
  }

  /** Listeners see every batch of events once it is applied and durable, in commit order. */
  onEvents(listener: EventListener): void {
    this.listeners.push(listener);
  }

  /** Applies the broker's own updates (connection `connection`) from now on; returns the unsubscribe. */
  follow(connection: string, broker: Broker): () => void {
    return broker.onOrderUpdates((reports) => {
      for (const report of reports) this.onReport(connection, report);
    });
  }

  /**
   * Places a client's order on `broker`. One with a client order id the account used in the last 24 hours is not
   * placed again: the earlier order is returned as it stands (a retried placement whose answer was lost), or refused
   * with DuplicateClientOrderId when it was for another instrument, side or product.
   */
  async place(request: OrderRequest, connection: string, broker: Broker): Promise<Order> {
    const now = this.options.clock.now();
    if (request.clientOrderId !== undefined) {
      const earlier = this.record.orderByClientId(request.accountId, request.clientOrderId);
      if (earlier && earlier.createdAt > now - CLIENT_ORDER_ID_WINDOW_MS) {
        if (!sameTarget(earlier, request)) throw new DuplicateClientOrderId(request.clientOrderId, earlier.id);
        return { ...earlier };
      }
    }
    const checking = checkBeforeBroker(this.options.preTrade, request, broker.instruments);
    if (checking) await checking;
    const id = this.nextOrderId(now);
    const identity = { id, accountId: request.accountId, clientOrderId: request.clientOrderId, broker: connection };
    const flight = { connection, reports: [] as OrderReport[] };
    this.inFlight.set(id, flight);
    let answer: OrderReport | undefined;
    let failure: unknown;
    try {
      answer = await broker.placeOrder({ ...request, clientOrderId: id });
    } catch (error) {
      failure = error;
    }
    try {
      // A broker may take an order and lose the answer: what it reported of it meanwhile is recorded all the same,
      // under this id and the client's order id, so the client's retry with the same key finds it.
      const first = answer ?? flight.reports.shift();
      if (first) {
        this.commit(newOrderEvents(first, identity, this.options.clock.now()));
        for (const later of flight.reports) this.applyReport(connection, later, false);
      }
    } finally {
      this.inFlight.delete(id);
      this.releaseParked(connection, id);
    }
    if (!answer) {
      if (!this.record.has(id)) this.rememberUnanswered({ ...identity, at: now });
      throw failure;
    }
    await this.caughtUp(broker);
    return this.getOrder(request.accountId, id);
  }

  async modify(accountId: string, orderId: string, changes: OrderChanges, broker: Broker): Promise<Order> {
    const order = this.workingOrder(accountId, orderId, 'modify');
    const checking = checkBeforeBroker(this.options.preTrade, { ...order, ...changes }, broker.instruments);
    if (checking) await checking;
    const report = await broker.modifyOrder(accountId, order.brokerOrderId ?? order.id, changes);
    this.applyReport(order.broker ?? '', report, false);
    await this.caughtUp(broker);
    return this.getOrder(accountId, orderId);
  }

  async cancel(accountId: string, orderId: string, broker: Broker): Promise<Order> {
    const order = this.workingOrder(accountId, orderId, 'cancel');
    const report = await broker.cancelOrder(accountId, order.brokerOrderId ?? order.id);
    this.applyReport(order.broker ?? '', report, false);
    await this.caughtUp(broker);
    return this.getOrder(accountId, orderId);
  }

  /**
   * Resolves once what `broker` did so far is in the record and durable (without a broker: what the record holds is
   * durable): reads wait for it, so a client sees what the matching loop did before it asked, and never what a crash
   * could still take back.
   */
  async caughtUp(broker?: Broker): Promise<void> {
    const reported = broker?.reported();
    if (reported) await reported;
    await this.options.journal.whenDurable();
  }

  /** The order as the record has it; OrderNotFound for an order of another account or none. */
  getOrder(accountId: string, orderId: string): Order {
    const order = this.record.order(accountId, orderId);
    if (!order) throw new OrderNotFound(orderId);
    return { ...order };
  }

  /** The session's orders (and older ones still working), in placement order. */
  orders(accountId: string): Order[] {
    const start = this.sessionStart();
    const orders: Order[] = [];
    for (const order of this.record.orders(accountId)) {
      if (order.createdAt >= start || isWorking(order.status)) orders.push({ ...order });
    }
    return orders;
  }

  /** The session's fills. */
  trades(accountId: string): Fill[] {
    const start = this.sessionStart();
    const fills: Fill[] = [];
    for (const fill of this.record.fills(accountId)) if (fill.at >= start) fills.push(fill);
    return fills.sort((a, b) => a.at - b.at);
  }

  /** The connection an order went to (undefined for an order the record does not have). */
  connectionOf(accountId: string, orderId: string): string | undefined {
    return this.record.order(accountId, orderId)?.broker;
  }

  /** Accounts with working orders on `connection`, which reconciliation must look at whatever else it knows. */
  accountsWorkingOn(connection: string): Set<string> {
    const accounts = new Set<string>();
    for (const order of this.record.working()) if (order.broker === connection) accounts.add(order.accountId);
    return accounts;
  }

  /**
   * Brings the record of one account's orders on `connection` in line with the broker's status reports: fills the
   * record lacks are applied, orders it lacks are taken in, and working orders the broker no longer knows are ended.
   * Every correction is an event marked `reconciled`. Returns how many events it took.
   */
  async reconcile(accountId: string, connection: string, broker: Broker): Promise<number> {
    const reports = await broker.statusReports(accountId);
    const reported = new Set<string>();
    const at = this.options.clock.now();
    let corrections = 0;
    for (const report of reports) {
      reported.add(report.order.id);
      if (report.order.clientOrderId !== undefined && this.inFlight.has(report.order.clientOrderId)) continue;
      corrections += this.applyReport(connection, report, true);
    }
    const missing: OrderEvent[] = [];
    for (const order of this.record.orders(accountId)) {
      if (order.broker !== connection || !isWorking(order.status) || this.inFlight.has(order.id)) continue;
      if (order.brokerOrderId !== undefined && reported.has(order.brokerOrderId)) continue;
      missing.push({ type: 'order.cancelled', accountId, orderId: order.id, reason: UNKNOWN_TO_BROKER, at, reconciled: true });
    }
    corrections += this.commit(missing).length;
    await this.options.journal.whenDurable();
    return corrections;
  }

  // A report of the broker's own doing. One about a placement still in flight waits for its answer; one about an
  // order the record does not know waits, when placements on its connection are in flight, until they are answered
  // (it may be the report of one of them, whose broker id is not known yet); then it is applied or taken in.
  private onReport(connection: string, report: OrderReport): void {
    const clientOrderId = report.order.clientOrderId;
    const flight = clientOrderId === undefined ? undefined : this.inFlight.get(clientOrderId);
    if (flight && flight.connection === connection) {
      flight.reports.push(report);
      return;
    }
    if (!this.record.byBrokerOrderId(connection, report.order.id)) {
      const waitingFor = new Set<string>();
      for (const [id, other] of this.inFlight) if (other.connection === connection) waitingFor.add(id);
      if (waitingFor.size > 0) {
        const parked = this.parked.get(connection) ?? [];
        parked.push({ report, waitingFor });
        this.parked.set(connection, parked);
        return;
      }
    }
    this.applyReport(connection, report, false);
  }

  private releaseParked(connection: string, answeredId: string): void {
    const parked = this.parked.get(connection);
    if (!parked) return;
    const ready = parked.filter((entry) => entry.waitingFor.delete(answeredId) && entry.waitingFor.size === 0);
    if (ready.length === 0) return;
    const waiting = parked.filter((entry) => entry.waitingFor.size > 0);
    if (waiting.length > 0) this.parked.set(connection, waiting);
    else this.parked.delete(connection);
    for (const entry of ready) this.applyReport(connection, entry.report, false);
  }

  /** Applies one report to the order it is about, or takes the order in; returns how many events that took. */
  private applyReport(connection: string, report: OrderReport, reconciled: boolean): number {
    const at = this.options.clock.now();
    const current = this.record.byBrokerOrderId(connection, report.order.id);
    if (current) {
      const recorded = this.record.fillsOf(current.accountId, current.id);
      return this.commit(updateEvents(current, recorded, report, at, reconciled)).length;
    }
    const clientOrderId = report.order.clientOrderId;
    const unanswered = clientOrderId === undefined ? undefined : this.unanswered.get(clientOrderId);
    if (unanswered && unanswered.broker === connection && !this.record.has(unanswered.id)) {
      // The report of a placement whose answer was lost: the order is who it was placed as, client order id and all.
      this.unanswered.delete(unanswered.id);
      return this.commit(newOrderEvents(report, unanswered, at, reconciled)).length;
    }
    const identity = { ...this.adoptedIdentity(report, at), broker: connection };
    return this.commit(newOrderEvents(report, identity, at, reconciled)).length;
  }

  // An order the broker has and the record does not: one placed at the broker directly, by the broker itself (a
  // square-off), or one whose acceptance a crash kept from the journal. It keeps the id the core gave it, when the
  // broker carries that as its client order id, else the broker's own id when that is shaped like ours and free.
  private adoptedIdentity(report: OrderReport, at: number): { id: string; accountId: string; clientOrderId?: string } {
    const { accountId, clientOrderId, id: brokerId } = report.order;
    if (clientOrderId !== undefined && this.isOurs(clientOrderId) && !this.record.has(clientOrderId)) {
      return { id: clientOrderId, accountId };
    }
    const id = this.isOurs(brokerId) && !this.record.has(brokerId) ? brokerId : this.nextOrderId(at);
    return { id, accountId, clientOrderId };
  }

  // Kept as long as the client order id would name the order; the oldest go first past a bound, as a client that
  // keeps failing must not grow memory without end.
  private rememberUnanswered(identity: OrderIdentity & { at: number }): void {
    this.unanswered.set(identity.id, identity);
    for (const [id, entry] of this.unanswered) {
      if (this.unanswered.size <= MAX_UNANSWERED && entry.at > identity.at - CLIENT_ORDER_ID_WINDOW_MS) break;
      this.unanswered.delete(id);
    }
  }

  private workingOrder(accountId: string, orderId: string, action: 'modify' | 'cancel'): Order {
    const order = this.record.order(accountId, orderId);
    if (!order) throw new OrderNotFound(orderId);
    if (!isWorking(order.status)) throw new OrderNotModifiable(orderId, action, order.status);
    return order;
  }

  // Apply, then append: an event the state machine refuses is reported and goes no further, nor do those after it in
  // its batch, so the journal holds only what applied. Listeners hear of a batch once it is durable.
  private commit(events: readonly OrderEvent[]): readonly OrderEvent[] {
    let applied = events;
    for (let i = 0; i < events.length; i++) {
      try {
        this.record.apply(events[i] as OrderEvent);
      } catch (error) {
        if (!(error instanceof IllegalTransition)) throw error;
        this.options.onError(error);
        applied = events.slice(0, i);
        break;
      }
    }
    if (applied.length === 0) return applied;
    const journaled = this.options.journal.append(applied);
    if (this.listeners.length > 0) {
      const durable = this.options.journal.whenDurable();
      if (durable === null) this.notify(journaled);
      else durable.then(() => this.notify(journaled), () => undefined);
    }
    return applied;
  }

  private notify(journaled: readonly JournaledEvent[]): void {
    for (const listener of this.listeners) listener(journaled);
  }

  private sessionStart(): number {
    return sessionStartOf(sessionDay(this.options.clock.now()));
  }

  private isOurs(id: string): boolean {
    return isSequencedId(id, this.idPrefix);
  }

  // Ids are the desk's prefix + YYMMDD (IST) + an 8-digit sequence, like OpenAlgo's sandbox ids; an id some order took
  // in from its broker already holds is skipped.
  private nextOrderId(now: number): string {
    let id: string;
    do id = sequencedId(this.idPrefix, now, ++this.orderSeq);
    while (this.record.has(id));
    return id;
  }
}
