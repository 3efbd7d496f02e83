// Events: every state change of an order or an account, as journaled and streamed. The journal port lives here too,
// so the exchange can persist through it and the store can implement it without either knowing the other.
import type { Currency } from './currency.js';
import type { Decimal } from './decimal.js';
import type { Fill, Order, OrderChanges } from './order.js';

/**
 * The life of an order, as the core records it for every broker (DESIGN §3.1) and as the paper exchange journals its
 * own orders. `margin`, on acceptance and modification, is what the order blocks while it works, fixed when it was
 * decided: only the paper exchange, which blocks margin itself, writes it. `reconciled` marks a correction the core
 * made when the broker's status reports disagreed with its record.
 */
export type OrderEvent =
  | { type: 'order.accepted'; accountId: string; order: Order; margin?: Decimal; at: number; reconciled?: true }
  | { type: 'order.rejected'; accountId: string; order: Order; at: number }
  | { type: 'order.triggered'; accountId: string; orderId: string; at: number }
  | { type: 'order.fill'; accountId: string; fill: Fill; at: number; reconciled?: true }
  | { type: 'order.modified'; accountId: string; orderId: string; changes: OrderChanges; margin?: Decimal; at: number }
  | { type: 'order.cancelled'; accountId: string; orderId: string; reason: string; at: number; reconciled?: true };

/** Every event a journal holds: order events, and the paper exchange's own account events. */
export type ExchangeEvent =
  | OrderEvent
  | { type: 'account.funded'; accountId: string; amount: Decimal; at: number; /** Absent: INR. */ currency?: Currency }
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
  /** Every event in commit order, for rebuilding state at start (and after the journal recovered from a failure). */
  readAll(): AsyncIterable<ExchangeEvent>;
}

const DECIMAL_TAG = '$d';

// The fields of the objects order events carry, in the order the exchange builds them. An encoded order lists them in
// this order (absent and undefined ones left out), which is the text JSON.stringify gave for those objects; the
// compile-time checks below fail when a field is added to Order or Fill and not here.
const ORDER_FIELDS = [
  'accountId',
  'symbol',
  'exchange',
  'side',
  'quantity',
  'type',
  'limitPrice',
  'stopPrice',
  'product',
  'timeInForce',
  'disclosedQuantity',
  'strategyTag',
  'clientOrderId',
  'id',
  'status',
  'filledQuantity',
  'averagePrice',
  'createdAt',
  'updatedAt',
  'rejectReason',
  'broker',
  'brokerOrderId',
] as const satisfies readonly (keyof Order)[];
const FILL_FIELDS = [
  'tradeId',
  'orderId',
  'accountId',
  'symbol',
  'exchange',
  'product',
  'side',
  'quantity',
  'price',
  'at',
] as const satisfies readonly (keyof Fill)[];
type Unlisted<T, Listed extends readonly PropertyKey[]> = Exclude<keyof T, Listed[number]>;
const everyOrderField: Unlisted<Order, typeof ORDER_FIELDS> extends never ? true : never = true;
const everyFillField: Unlisted<Fill, typeof FILL_FIELDS> extends never ? true : never = true;
void [everyOrderField, everyFillField];

/** `"field":` of each listed field, the first without its leading comma. */
const keysOf = (fields: readonly string[]) => fields.map((field) => `,${JSON.stringify(field)}:`);
const ORDER_KEYS = keysOf(ORDER_FIELDS);
const FILL_KEYS = keysOf(FILL_FIELDS);

/**
 * JSON text of an event, decimals kept exact (as tagged strings: `{"$d":"<units>"}`). Orders and fills, two or more
 * per order placed, are written field by field from the lists above (a third of the time JSON.stringify with a
 * replacer takes); the rarer events go through that replacer. Either way the text decodes to the same event.
 */
export function encodeEvent(event: ExchangeEvent): string {
  switch (event.type) {
    case 'order.accepted':
      if (event.reconciled) return JSON.stringify(event, tagDecimals);
      return `{"type":"order.accepted","accountId":${JSON.stringify(event.accountId)},"order":${fieldsText(event.order, ORDER_FIELDS, ORDER_KEYS)},${event.margin === undefined ? '' : `"margin":${valueText(event.margin)},`}"at":${valueText(event.at)}}`;
    case 'order.rejected':
      return `{"type":"order.rejected","accountId":${JSON.stringify(event.accountId)},"order":${fieldsText(event.order, ORDER_FIELDS, ORDER_KEYS)},"at":${valueText(event.at)}}`;
    case 'order.fill':
      if (event.reconciled) return JSON.stringify(event, tagDecimals);
      return `{"type":"order.fill","accountId":${JSON.stringify(event.accountId)},"fill":${fieldsText(event.fill, FILL_FIELDS, FILL_KEYS)},"at":${valueText(event.at)}}`;
    default:
      return JSON.stringify(event, tagDecimals);
  }
}

function tagDecimals(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? { [DECIMAL_TAG]: value.toString() } : value;
}

function fieldsText<T extends object>(object: T, fields: readonly (keyof T & string)[], keys: readonly string[]): string {
  let text = '';
  for (let i = 0; i < fields.length; i++) {
    const value = object[fields[i] as keyof T];
    // As JSON.stringify: a property without a JSON value is left out.
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
    text += text === '' ? (keys[i] as string).slice(1) : keys[i];
    text += valueText(value);
  }
  return `{${text}}`;
}

/** One value as JSON.stringify with the decimal replacer writes it. */
function valueText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'bigint':
      return `{"${DECIMAL_TAG}":"${value}"}`;
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    default:
      return JSON.stringify(value, tagDecimals);
  }
}

export function decodeEvent(text: string): ExchangeEvent {
  return JSON.parse(text, (_key, value: unknown) => {
    if (value !== null && typeof value === 'object' && DECIMAL_TAG in value) {
      return BigInt((value as Record<string, string>)[DECIMAL_TAG] ?? '0') as Decimal;
    }
    return value;
  }) as ExchangeEvent;
}
