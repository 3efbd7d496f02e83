// The start of a trading session, at the first activity after the boundary: working DAY orders expire, then every
// account rolls (CNC longs to holdings, the day's figures afresh). Journaled like any change, so a replay repeats it.
import type { ExchangeEvent } from '../domain/events.js';
import { sessionDay } from '../domain/session-day.js';
import { cancelEvent } from './executions.js';
import type { Ledger } from './ledger.js';

/** The events that begin the session `now` belongs to; none while it is the session the ledger is already in. */
export function sessionRollEvents(ledger: Ledger, now: number): ExchangeEvent[] {
  const last = ledger.lastSessionDay;
  const today = sessionDay(now);
  if (last === undefined || today <= last) return [];
  const events: ExchangeEvent[] = [];
  for (const order of ledger.working.values()) {
    if (order.timeInForce === 'GTC') continue;
    events.push(cancelEvent(order, 'Expired at the end of the trading day', now));
  }
  for (const accountId of ledger.accountIds()) {
    events.push({ type: 'session.rolled', accountId, day: today, at: now });
  }
  return events;
}
