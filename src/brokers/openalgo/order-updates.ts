// The upstream's own changes to orders (fills of resting orders, triggers, cancellations), as OrderReports for the
// listeners. While the WebSocket feed is up, each order it names is read again (its status and trades) and reported;
// while it is down, the account's status reports are polled every `pollMs` for as long as someone listens. Either way
// a report goes out only when the order changed since the adapter last saw it, and the reads of one order run one at a
// time, so an older read can never overtake a newer one.
import type { OrderReport, OrderUpdateListener } from '../broker.js';
import { OrderFeed, type OrderFeedOptions } from './order-feed.js';

export interface OrderUpdatesOptions {
  feed: Pick<OrderFeedOptions, 'url' | 'apiKey' | 'reconnectMs' | 'maxReconnectMs' | 'heartbeatMs'>;
  pollMs: number;
  /** The report of one order, read from the upstream now. */
  reportOf(orderId: string): Promise<OrderReport>;
  /** Every order of the account with its fills, read from the upstream now. */
  statusReports(): Promise<OrderReport[]>;
  /** A read that failed, or a feed that dropped; must not throw. */
  onError(error: unknown): void;
}

/** Orders whose last report is remembered (oldest forgotten first): about a busy day's worth. */
const REMEMBERED_ORDERS = 10_000;

export class OrderUpdates {
  private readonly feed: OrderFeed;
  private readonly listeners = new Set<OrderUpdateListener>();
  private readonly reconnectListeners = new Set<() => void>();
  /** Order id → what its last report showed. */
  private readonly versions = new Map<string, string>();
  /** Orders being read; `again` when the feed named the order once more meanwhile. */
  private readonly reading = new Map<string, { again: boolean }>();
  private pollTimer: NodeJS.Timeout | undefined;
  private polling = false;
  private closed = false;

  constructor(private readonly options: OrderUpdatesOptions) {
    this.feed = new OrderFeed({
      ...options.feed,
      onOrderChanged: (orderId) => this.read(orderId),
      onUp: (again) => {
        if (again) for (const listener of this.reconnectListeners) listener();
      },
      onDown: () => this.options.onError(new Error("The upstream's order feed dropped; polling until it is back")),
      onError: (error) => this.options.onError(error),
    });
  }

  /** Whether changes are pushed now (the feed is up) rather than polled. */
  get pushing(): boolean {
    return this.feed.up;
  }

  /** Opens the feed and starts the poll timer (which polls only while the feed is down and someone listens). */
  start(): void {
    if (this.closed) return;
    this.feed.start();
    this.pollTimer ??= setInterval(() => this.poll(), this.options.pollMs);
    this.pollTimer.unref();
  }

  close(): void {
    this.closed = true;
    clearInterval(this.pollTimer);
    this.feed.close();
  }

  subscribe(listener: OrderUpdateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** `listener` is called each time the feed comes back after a drop (what happened meanwhile may need reconciling). */
  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  /** A report the adapter answered a call with: the caller has it, so an update showing the same is not sent again. */
  note(report: OrderReport): void {
    this.changed(report);
  }

  private read(orderId: string): void {
    const running = this.reading.get(orderId);
    if (running) {
      running.again = true;
      return;
    }
    const state = { again: true };
    this.reading.set(orderId, state);
    void (async () => {
      try {
        while (state.again && !this.closed) {
          state.again = false;
          try {
            this.emit([await this.options.reportOf(orderId)]);
          } catch (error) {
            this.options.onError(error);
          }
        }
      } finally {
        this.reading.delete(orderId);
      }
    })();
  }

  private poll(): void {
    if (this.polling || this.closed || this.feed.up || this.listeners.size === 0) return;
    this.polling = true;
    void this.options
      .statusReports()
      .then(
        (reports) => this.emit(reports),
        (error: unknown) => this.options.onError(error),
      )
      .finally(() => {
        this.polling = false;
      });
  }

  private emit(reports: readonly OrderReport[]): void {
    const changed = reports.filter((report) => this.changed(report));
    if (changed.length === 0 || this.closed) return;
    for (const listener of this.listeners) {
      try {
        listener(changed);
      } catch (error) {
        this.options.onError(error);
      }
    }
  }

  /** Whether the report shows something new of its order; remembers it either way. */
  private changed({ order, fills }: OrderReport): boolean {
    const version = [
      order.status,
      order.filledQuantity,
      order.quantity,
      order.type,
      order.limitPrice ?? '',
      order.stopPrice ?? '',
      fills.map((fill) => fill.tradeId).join(','),
    ].join('|');
    if (this.versions.get(order.id) === version) return false;
    this.versions.delete(order.id);
    this.versions.set(order.id, version);
    if (this.versions.size > REMEMBERED_ORDERS) {
      const oldest = this.versions.keys().next().value;
      if (oldest !== undefined) this.versions.delete(oldest);
    }
    return true;
  }
}
