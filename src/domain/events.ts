// Events: every state change of an order or an account, as journaled and streamed. The journal port lives here too,
// so the exchange can persist through it and the store can implement it without either knowing the other.
import type { Decimal } from './decimal.js';
import type { Fill, Order, OrderChanges } from './order.js';

/** `margin` on acceptance and modification is what the order blocks while it works, fixed when it was decided. */
export type ExchangeEvent =
  | { type: 'account.funded'; accountId: string; amount: Decimal; at: number }
  | { type: 'order.accepted'; accountId: string; order: Order; margin: Decimal; at: number }
  | { type: 'order.rejected'; accountId: string; order: Order; at: number }
  | { type: 'order.triggered'; accountId: string; orderId: string; at: number }
  | { type: 'order.fill'; accountId: string; fill: Fill; at: number }
  | { type: 'order.modified'; accountId: string; orderId: string; changes: OrderChanges; margin: Decimal; at: number }
  | { type: 'order.cancelled'; accountId: string; orderId: string; reason: string; at: number }
  /** The trading day `day` (YYYY-MM-DD, IST) begins: CNC longs become holdings, the day's figures start afresh. */
  | { type: 'session.rolled'; accountId: string; day: string; at: number };

export type EventType = ExchangeEvent['type'];

/** An event with its place in the account's sequence, as stored. */
export type JournaledEvent = ExchangeEvent & { seq: number };

/**
 * Append-only store of events. `append` takes one batch (stored atomically: all of it or none) and numbers it per
 * account; it may return before the batch is on disk when the journal groups commits, so whoever answers a client
 * waits for `whenDurable`.
 */
export interface EventJournal {
  append(events: readonly ExchangeEvent[]): JournaledEvent[];
  /**
   * Null when every appended batch is committed; otherwise a promise that resolves once they all are, and rejects if
   * their commit failed (after which `append` throws: the journal accepts nothing more until a restart).
   */
  whenDurable(): Promise<void> | null;
  /** Every event in commit order, for rebuilding state at start. */
  readAll(): Iterable<ExchangeEvent>;
}

const DECIMAL_TAG = '$d';

/** JSON text of an event, decimals kept exact (as tagged strings). */
export function encodeEvent(event: ExchangeEvent): string {
  return JSON.stringify(event, (_key, value: unknown) =>
    typeof value === 'bigint' ? { [DECIMAL_TAG]: value.toString() } : value,
  );
}

export function decodeEvent(text: string): ExchangeEvent {
  return JSON.parse(text, (_key, value: unknown) => {
    if (value !== null && typeof value === 'object' && DECIMAL_TAG in value) {
      return BigInt((value as Record<string, string>)[DECIMAL_TAG] ?? '0') as Decimal;
    }
    return value;
  }) as ExchangeEvent;
}
