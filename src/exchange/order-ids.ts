// Order and trade ids: the exchange's prefix + YYMMDD (IST) + an 8-digit sequence, like OpenAlgo's sandbox ids. The
// sequence is read back from the last 8 digits, so a journal written before a prefix was set replays into the same
// sequence.
import { istDate } from '../domain/clock.js';
import type { ExchangeEvent } from '../domain/events.js';

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
    return `${this.prefix}${datePrefix(now)}${String(++this.orderSeq).padStart(8, '0')}`;
  }

  nextTradeId(now: number): string {
    return `${this.prefix}${datePrefix(now)}${String(++this.tradeSeq).padStart(8, '0')}`;
  }
}

/** `YYMMDD` of the IST day. */
function datePrefix(now: number): string {
  const day = istDate(now);
  return `${day.slice(2, 4)}${day.slice(5, 7)}${day.slice(8, 10)}`;
}

function sequenceOf(id: string): number {
  return Number(id.slice(-8)) || 0;
}
