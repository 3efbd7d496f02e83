// The paper exchange's memory: its ledger and id sequences, one object its parts share. Replaying the journal builds
// a new memory aside and swaps it in at once, so until then every part answers from what it had.
import type { ExchangeEvent } from '../domain/events.js';
import { CLIENT_ORDER_ID_WINDOW_MS } from '../domain/order.js';
import { sessionDay } from '../domain/session-day.js';
import { Ledger } from './ledger.js';
import { OrderIds } from './order-ids.js';

export class ExchangeState {
  ledger: Ledger;
  ids: OrderIds;

  constructor(private readonly idPrefix: string) {
    this.ledger = newLedger();
    this.ids = new OrderIds(idPrefix);
  }

  /** Rebuilds the memory from `events` (the whole journal, in commit order); returns how many there were. */
  async replay(events: AsyncIterable<ExchangeEvent>): Promise<number> {
    const ledger = newLedger();
    const ids = new OrderIds(this.idPrefix);
    let count = 0;
    for await (const event of events) {
      ledger.apply(event);
      ids.observe(event);
      count++;
    }
    this.ledger = ledger;
    this.ids = ids;
    return count;
  }
}

/** A roll forgets what finished before the client-order-id window: no retry can name it any more. */
function newLedger(): Ledger {
  return new Ledger(sessionDay, CLIENT_ORDER_ID_WINDOW_MS);
}
