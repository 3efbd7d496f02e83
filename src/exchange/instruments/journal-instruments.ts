// Contracts the journal still refers to after they left today's listing (expired futures and options), rebuilt from
// the master of the day they were traded, so old orders and positions keep their instrument terms across restarts.
import type { ExchangeEvent } from '../../domain/events.js';
import type { Instrument } from '../../domain/instrument.js';
import { sessionDay } from '../../domain/session-day.js';
import { buildInstruments } from './master.js';

/**
 * The instruments `events` name that `listed` lacks, as they were listed on the day they were traded; `build` lists a
 * day's instruments and must be the builder of the running master (the same spots), so a contract is rebuilt as it was.
 */
export async function retiredFromJournal(
  listed: readonly Instrument[],
  events: AsyncIterable<ExchangeEvent>,
  build: (day: string) => Instrument[] = buildInstruments,
): Promise<Instrument[]> {
  const known = new Set(listed.map((i) => `${i.exchange}:${i.symbol}`));
  const missingByDay = new Map<string, Set<string>>();
  for await (const event of events) {
    if (event.type !== 'order.accepted' && event.type !== 'order.rejected') continue;
    const key = `${event.order.exchange}:${event.order.symbol}`;
    if (known.has(key)) continue;
    const day = sessionDay(event.order.createdAt);
    const wanted = missingByDay.get(day) ?? new Set<string>();
    wanted.add(key);
    missingByDay.set(day, wanted);
  }
  const recovered: Instrument[] = [];
  for (const [day, wanted] of missingByDay) {
    for (const instrument of build(day)) {
      const key = `${instrument.exchange}:${instrument.symbol}`;
      if (wanted.has(key) && !known.has(key)) {
        recovered.push(instrument);
        known.add(key);
      }
    }
  }
  return recovered;
}
