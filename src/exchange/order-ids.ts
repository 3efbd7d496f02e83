// Order and trade ids: the exchange's prefix + YYMMDD (IST) + an 8-digit sequence, like OpenAlgo's sandbox ids. The
// sequence is read back from the last 8 digits, so a journal written before a prefix was set replays into the same
// sequence.
import type { ExchangeEvent } from '../domain/events.js';
import { sequenceOf, sequencedId } from '../domain/order-ids.js';

export class OrderIds {
  private orderSeq = 0;
  private tradeSeq = 0;

  constructor(private readonly prefix: string) {}

  /** Goes on counting after the ids a journaled event carries (on replay). */
  observe(event: ExchangeEvent): void {
    if (event.type === 'order.accepted' || event.type === 'order.rejected') {
      this.orderSeq = Math.max(this.orderSeq, sequenceOf(event.order.id));
    } else if (event.type === 'order.fill') {
      this.tradeSeq = Math.max(this.tradeSeq, sequenceOf(event.fill.tradeId));
    }
  }

  nextOrderId(now: number): string {
    return sequencedId(this.prefix, now, ++this.orderSeq);
  }

  nextTradeId(now: number): string {
    return sequencedId(this.prefix, now, ++this.tradeSeq);
  }
}
