// MIS square-off, when sessions are enforced: once an exchange's square-off time has passed, its working MIS orders
// are cancelled and its MIS positions closed by the domain's closing orders (MARKET, sliced to the freeze quantity).
import { closingOrders } from '../domain/closing-orders.js';
import type { ExchangeEvent } from '../domain/events.js';
import type { Exchange, InstrumentLookup } from '../domain/instrument.js';
import type { OrderRequest } from '../domain/order.js';
import { cancelEvent } from './executions.js';
import type { Ledger } from './ledger.js';
import type { ExchangeSessions } from './session-hours.js';

export interface SquareOff {
  /** Cancellations of the working MIS orders on exchanges past their square-off time. */
  cancellations: ExchangeEvent[];
  /** The orders that close the open MIS positions there, to be placed after the cancellations. */
  closingOrders: OrderRequest[];
}

/** What square-off asks for `now`: nothing before any exchange's square-off time. */
export function intradaySquareOff(ledger: Ledger, instruments: InstrumentLookup, sessions: ExchangeSessions, now: number): SquareOff {
  const due = (exchange: Exchange) => sessions.squareOffPassed(exchange, now) !== undefined;
  const cancellations: ExchangeEvent[] = [];
  for (const order of ledger.working.values()) {
    if (order.product === 'MIS' && due(order.exchange)) {
      cancellations.push(cancelEvent(order, 'Cancelled at the MIS square-off time', now));
    }
  }
  const closing: OrderRequest[] = [];
  for (const accountId of ledger.accountIds()) {
    for (const position of ledger.account(accountId)?.positions.values() ?? []) {
      if (position.product !== 'MIS' || !due(position.exchange)) continue;
      closing.push(...closingOrders(accountId, position, instruments.require(position.symbol, position.exchange)));
    }
  }
  return { cancellations, closingOrders: closing };
}
