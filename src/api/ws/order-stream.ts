// The order side of the stream: committed order events from the bus, turned into `order_update` frames for the clients
// of the account that asked for them. It listens to the bus only while someone is subscribed, builds each update once
// per account, and skips an update that shows a client nothing new (same status, fill and terms as the last one sent).
//
// Acceptances and rejections carry the order as it was decided; later events name the order, which is looked up as it
// stands. So a MARKET order that fills at once shows `open` and then `complete`, and several fills committed together
// show once, with the final state.
import type { EventBus } from '../../core/event-bus.js';
import type { JournaledEvent } from '../../domain/events.js';
import type { Order } from '../../domain/order.js';
import { orderUpdateFrame, orderVersion } from './frames.js';

export type OrderSink = (frame: Buffer) => void;

export interface OrderStreamOptions {
  bus: EventBus;
  broker: string;
  /** The order as it stands now; throws for an unknown order. */
  getOrder(accountId: string, orderId: string): Order;
  onError(error: unknown): void;
}

/** Orders per account whose last update is remembered for deduplication (oldest forgotten first). */
const REMEMBERED_ORDERS = 1024;

interface AccountFeed {
  readonly sinks: Set<OrderSink>;
  /** orderId → version of the last update sent. */
  readonly lastSent: Map<string, string>;
}

export class OrderStream {
  private readonly accounts = new Map<string, AccountFeed>();
  private stopListening: (() => void) | undefined;

  constructor(private readonly options: OrderStreamOptions) {}

  /** Sends the account's order updates to `sink` from now on; returns the unsubscribe function (idempotent). */
  subscribe(accountId: string, sink: OrderSink): () => void {
    let feed = this.accounts.get(accountId);
    if (!feed) {
      feed = { sinks: new Set(), lastSent: new Map() };
      this.accounts.set(accountId, feed);
    }
    feed.sinks.add(sink);
    this.stopListening ??= this.options.bus.subscribe((event) => this.onEvent(event));
    return () => this.remove(accountId, sink);
  }

  /** Subscribed clients over all accounts, and whether the bus is being listened to. */
  stats(): { subscribers: number; listening: boolean } {
    let subscribers = 0;
    for (const feed of this.accounts.values()) subscribers += feed.sinks.size;
    return { subscribers, listening: this.stopListening !== undefined };
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

  private onEvent(event: JournaledEvent): void {
    const feed = this.accounts.get(event.accountId);
    if (!feed) return;
    const order = this.orderOf(event);
    if (!order) return;
    const version = orderVersion(order);
    if (feed.lastSent.get(order.id) === version) return;
    feed.lastSent.delete(order.id);
    feed.lastSent.set(order.id, version);
    if (feed.lastSent.size > REMEMBERED_ORDERS) {
      const oldest = feed.lastSent.keys().next().value;
      if (oldest !== undefined) feed.lastSent.delete(oldest);
    }
    const frame = orderUpdateFrame(this.options.broker, event.accountId, order);
    for (const sink of feed.sinks) sink(frame);
  }

  private orderOf(event: JournaledEvent): Order | undefined {
    switch (event.type) {
      case 'order.accepted':
      case 'order.rejected':
        return event.order;
      case 'order.fill':
        return this.lookUp(event.accountId, event.fill.orderId);
      case 'order.triggered':
      case 'order.modified':
      case 'order.cancelled':
        return this.lookUp(event.accountId, event.orderId);
      default:
        return undefined;
    }
  }

  private lookUp(accountId: string, orderId: string): Order | undefined {
    try {
      return this.options.getOrder(accountId, orderId);
    } catch (error) {
      this.options.onError(error);
      return undefined;
    }
  }
}
