// The event bus (DESIGN §1): every committed order and account event, fanned out to subscribers in-process.
// WebSocket streams, webhooks and monitors subscribe here; a Redis-backed bus will keep the same interface.
import type { JournaledEvent } from '../domain/events.js';

export type EventHandler = (event: JournaledEvent) => void;

export interface EventBus {
  publish(event: JournaledEvent): void;
  /** Calls `handler` for every event published from now on; returns the unsubscribe function. */
  subscribe(handler: EventHandler): () => void;
}

export class InProcessEventBus implements EventBus {
  private readonly handlers = new Set<EventHandler>();

  constructor(private readonly onHandlerError: (error: unknown) => void) {}

  publish(event: JournaledEvent): void {
    for (const handler of this.handlers) {
      // One failing subscriber must not keep the event from the others, nor fail the order that caused it.
      try {
        handler(event);
      } catch (error) {
        this.onHandlerError(error);
      }
    }
  }

  subscribe(handler: EventHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }
}
