// What a broker's report of an order means for the core's record: the order events that bring the record in line with
// it (accepted or rejected, modified, triggered, each new fill, cancelled), in an order the state machine allows.
// Placements, the broker's own updates and reconciliation all go through here.
import type { OrderReport } from '../brokers/broker.js';
import { type Decimal, ZERO, add, cmp, div, isZero, mul, sub } from '../domain/decimal.js';
import type { OrderEvent } from '../domain/events.js';
import { type Fill, type Order, type OrderChanges, isStopType, fillOf, isWorking } from '../domain/order.js';

/** Who the order is in Ordergate: its id, the client's own order id, and the connection it went to. */
export interface OrderIdentity {
  id: string;
  accountId: string;
  clientOrderId?: string;
  broker: string;
}

/** Events of an order the record does not have yet: its acceptance (or rejection), then whatever the report adds. */
export function newOrderEvents(report: OrderReport, identity: OrderIdentity, at: number, reconciled = false): OrderEvent[] {
  const reported = report.order;
  const order: Order = {
    accountId: identity.accountId,
    symbol: reported.symbol,
    exchange: reported.exchange,
    side: reported.side,
    quantity: reported.quantity,
    type: reported.type,
    limitPrice: reported.limitPrice,
    stopPrice: reported.stopPrice,
    product: reported.product,
    timeInForce: reported.timeInForce,
    disclosedQuantity: reported.disclosedQuantity,
    strategyTag: reported.strategyTag,
    clientOrderId: identity.clientOrderId,
    id: identity.id,
    status: isStopType(reported.type) ? 'trigger_pending' : 'open',
    filledQuantity: ZERO,
    averagePrice: ZERO,
    createdAt: reported.createdAt,
    updatedAt: reported.createdAt,
    broker: identity.broker,
    brokerOrderId: reported.id,
  };
  if (reported.status === 'rejected') {
    const rejected: Order = { ...order, status: 'rejected', rejectReason: reported.rejectReason, updatedAt: reported.updatedAt };
    return [{ type: 'order.rejected', accountId: order.accountId, order: rejected, at }];
  }
  const accepted: OrderEvent = reconciled
    ? { type: 'order.accepted', accountId: order.accountId, order, at, reconciled: true }
    : { type: 'order.accepted', accountId: order.accountId, order, at };
  return [accepted, ...updateEvents(order, [], report, at, reconciled)];
}

/**
 * Events that move `current` (with its recorded fills) to what the broker reports. Fills the report lists and the
 * record lacks are applied; when reconciling, a report that lists every fill (`allFills`) and still shows more filled
 * than they add up to has the rest applied as one fill at the price that makes the broker's average. Marked
 * `reconciled` when the caller is reconciling.
 */
export function updateEvents(
  current: Order,
  recorded: readonly Fill[],
  report: OrderReport,
  at: number,
  reconciled = false,
): OrderEvent[] {
  const reported = report.order;
  const { accountId, id: orderId } = current;
  const events: OrderEvent[] = [];
  let status = current.status;

  const changes = isWorking(status) ? termChanges(current, reported) : undefined;
  if (changes) {
    events.push({ type: 'order.modified', accountId, orderId, changes, at });
    const becomesStop = !isStopType(current.type) && isStopType(reported.type);
    if (becomesStop) status = 'trigger_pending';
    else if (status === 'trigger_pending' && !isStopType(reported.type)) status = 'open';
  }
  // A stop whose trigger was reached: the broker shows it working as a plain order, or filled (even in part).
  const triggered = reported.status === 'open' || reported.status === 'partially_filled' || reported.status === 'filled';
  if (status === 'trigger_pending' && (triggered || !isZero(reported.filledQuantity))) {
    events.push({ type: 'order.triggered', accountId, orderId, at });
    status = 'open';
  }

  const known = new Set(recorded.map((fill) => fill.tradeId));
  let filled = current.filledQuantity;
  let value = ZERO;
  for (const fill of recorded) value = add(value, mul(fill.quantity, fill.price));
  for (const fill of report.fills) {
    if (known.has(fill.tradeId)) continue;
    known.add(fill.tradeId);
    events.push(fillEvent(current, fill, at, reconciled));
    filled = add(filled, fill.quantity);
    value = add(value, mul(fill.quantity, fill.price));
  }
  // Only when reconciling: a broker's trade book may lag its order status in ordinary updates, and the real fill would
  // then arrive after a made-up one.
  if (reconciled && report.allFills && cmp(reported.filledQuantity, filled) > 0) {
    const missing = sub(reported.filledQuantity, filled);
    const price = div(sub(mul(reported.averagePrice, reported.filledQuantity), value), missing);
    const tradeId = `${reported.id}-R${known.size + 1}`;
    events.push(fillEvent(current, fillOf(reported, tradeId, missing, price, at), at, true));
    filled = reported.filledQuantity;
  }
  if (filled > current.filledQuantity) status = filled === current.quantity ? 'filled' : 'partially_filled';

  if (isWorking(status) && (reported.status === 'cancelled' || reported.status === 'rejected')) {
    // A broker may reject an order it had accepted (the exchange refused it later): the record's state machine has
    // no way back to `rejected`, so the order ends cancelled with the broker's reason.
    const reason = reported.status === 'rejected' ? `Rejected by the broker: ${reported.rejectReason ?? ''}`.trim() : reported.rejectReason ?? '';
    events.push({ type: 'order.cancelled', accountId, orderId, reason, at, ...(reconciled ? { reconciled: true as const } : {}) });
  }
  return events;
}

/** The terms a modification may change, where the broker's order differs from the record's. */
function termChanges(current: Order, reported: Order): OrderChanges | undefined {
  const changes: OrderChanges = {};
  if (reported.quantity !== current.quantity) changes.quantity = reported.quantity;
  if (reported.type !== current.type) changes.type = reported.type;
  if (!sameDecimal(reported.limitPrice, current.limitPrice)) changes.limitPrice = reported.limitPrice;
  if (!sameDecimal(reported.stopPrice, current.stopPrice)) changes.stopPrice = reported.stopPrice;
  if (!sameDecimal(reported.disclosedQuantity ?? ZERO, current.disclosedQuantity ?? ZERO)) {
    changes.disclosedQuantity = reported.disclosedQuantity;
  }
  return Object.keys(changes).length > 0 ? changes : undefined;
}

const sameDecimal = (a: Decimal | undefined, b: Decimal | undefined): boolean =>
  a === b || (a !== undefined && b !== undefined && isZero(sub(a, b)));

function fillEvent(order: Order, fill: Fill, at: number, reconciled: boolean): OrderEvent {
  const recorded: Fill = { ...fill, orderId: order.id, accountId: order.accountId };
  return reconciled ? { type: 'order.fill', accountId: order.accountId, fill: recorded, at, reconciled: true } : { type: 'order.fill', accountId: order.accountId, fill: recorded, at };
}
