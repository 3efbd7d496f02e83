// The order side of the stream: committed order events from the bus, turned into `order_update` frames for the clients
// of the account that asked for them. It listens to the bus only while someone is subscribed, builds each update once
// per account, and skips an update that shows a client nothing new (same status, fill and terms as the last one sent).
//
// Acceptances and rejections carry the order as it was decided; later events name the order, which is looked up as it
// stands. So a MARKET order that fills at once shows `open` and then `complete`, and several fills committed together
// show once, with the final state.
//
// Orders come from two sources: the live exchange and, when given, the analyzer (sandbox) one, each with its own bus
// and its own order lookup. The two exchanges number their orders independently, so an event is only ever looked up in
// the exchange whose bus carried it, and what was last sent is remembered per source; sandbox updates say
// `"mode":"analyze"`.
import type { EventBus } from '../../core/event-bus.js';
import type { JournaledEvent } from '../../domain/events.js';
import type { Order } from '../../domain/order.js';
import type { PriceDigits } from '../openalgo/mappers.js';
import { type OrderMode, orderUpdateFrame, orderVersion } from './frames.js';

export type OrderSink = (frame: Buffer) => void;

/** One exchange's order events and orders. */
export interface OrderSource {
  /** Committed events of this exchange only. */
  bus: EventBus;
  /** The order as it stands now on this exchange; throws for an unknown order. */
  getOrder(accountId: string, orderId: string): Order;
}

/** The live exchange's source, plus the analyzer exchange's when there is one. */
export interface OrderStreamOptions extends OrderSource {
  /** The analyzer (sandbox) exchange; its updates go to the same subscribers, tagged `"mode":"analyze"`. */
  analyzer?: OrderSource;
  broker: string;
  /** The `broker` word of an order's updates, when orders go to several brokers; `broker` for every order by default. */
  brokerOf?: (order: Order) => string;
  /** Decimal places of each instrument's prices (average prices are shown at them); 2 for every one when absent. */
  priceDigits?: PriceDigits;
  onError(error: unknown): void;
}

/** Orders per account and source whose last update is remembered for deduplication (oldest forgotten first). */
const REMEMBERED_ORDERS = 1024;

interface AccountFeed {
  readonly sinks: Set<OrderSink>;
  /** Per source, orderId → version of the last update sent. */
  readonly lastSent: Record<OrderMode, Map<string, string>>;
}

export class OrderStream {
  private readonly accounts = new Map<string, AccountFeed>();
  private readonly sources: ReadonlyArray<readonly [OrderMode, OrderSource]>;
  private stopListening: (() => void) | undefined;

  constructor(private readonly options: OrderStreamOptions) {
    this.sources = options.analyzer ? [['live', options], ['analyze', options.analyzer]] : [['live', options]];
  }

  /** Sends the account's order updates to `sink` from now on; returns the unsubscribe function (idempotent). */
  subscribe(accountId: string, sink: OrderSink): () => void {
    let feed = this.accounts.get(accountId);
    if (!feed) {
      feed = { sinks: new Set(), lastSent: { live: new Map(), analyze: new Map() } };
      this.accounts.set(accountId, feed);
    }
    feed.sinks.add(sink);
    this.stopListening ??= this.listen();
    return () => this.remove(accountId, sink);
  }

  /** Subscribed clients over all accounts, and whether the bus is being listened to. */
  stats(): { subscribers: number; listening: boolean } {
    let subscribers = 0;
    for (const feed of this.accounts.values()) subscribers += feed.sinks.size;
    return { subscribers, listening: this.stopListening !== undefined };
  }

  private listen(): () => void {
    const stops = this.sources.map(([mode, source]) => source.bus.subscribe((event) => this.onEvent(mode, source, event)));
    return () => {
      for (const stop of stops) stop();
    };
  }

  private remove(accountId: string, sink: OrderSink): void {
    const feed = this.accounts.get(accountId);
    if (!feed?.sinks.delete(sink) || feed.sinks.size > 0) return;
    this.accounts.delete(accountId);
    if (this.accounts.size === 0) {
      this.stopListening?.();
      this.stopListening = undefined;
    }
  }

  private onEvent(mode: OrderMode, source: OrderSource, event: JournaledEvent): void {
    const feed = this.accounts.get(event.accountId);
    if (!feed) return;
    const order = this.orderOf(source, event);
    if (!order) return;
    const version = orderVersion(order);
    const lastSent = feed.lastSent[mode];
    if (lastSent.get(order.id) === version) return;
    lastSent.delete(order.id);
    lastSent.set(order.id, version);
    if (lastSent.size > REMEMBERED_ORDERS) {
      const oldest = lastSent.keys().next().value;
      if (oldest !== undefined) lastSent.delete(oldest);
    }
    const frame = orderUpdateFrame(this.options.brokerOf?.(order) ?? this.options.broker, event.accountId, order, this.options.priceDigits ?? (() => 2), mode);
    for (const sink of feed.sinks) sink(frame);
  }

  private orderOf(source: OrderSource, event: JournaledEvent): Order | undefined {
    switch (event.type) {
      case 'order.accepted':
      case 'order.rejected':
        return event.order;
      case 'order.fill':
        return this.lookUp(source, event.accountId, event.fill.orderId);
      case 'order.triggered':
      case 'order.modified':
      case 'order.cancelled':
        return this.lookUp(source, event.accountId, event.orderId);
      default:
        return undefined;
    }
  }

  private lookUp(source: OrderSource, accountId: string, orderId: string): Order | undefined {
    try {
      return source.getOrder(accountId, orderId);
    } catch (error) {
      this.options.onError(error);
      return undefined;
    }
  }
}
