import { describe, expect, it } from 'vitest';
import { dec, type Decimal } from '../../../src/domain/decimal.js';
import type { ExchangeEvent } from '../../../src/domain/events.js';
import type { Exchange } from '../../../src/domain/instrument.js';
import type { Order } from '../../../src/domain/order.js';
import { retiredFromJournal } from '../../../src/exchange/instruments/journal-instruments.js';
import { buildInstruments } from '../../../src/exchange/instruments/master.js';
import { EQUITIES, equityReferencePrice } from '../../../src/exchange/instruments/equities.js';
import { indexLevel } from '../../../src/exchange/instruments/indices.js';

const accepted = (symbol: string, exchange: Order['exchange'], createdAt: number): ExchangeEvent => ({
  type: 'order.accepted',
  accountId: 'a',
  margin: dec(0),
  at: createdAt,
  order: {
    id: '1',
    accountId: 'a',
    symbol,
    exchange,
    side: 'BUY',
    quantity: dec(65),
    type: 'MARKET',
    product: 'NRML',
    timeInForce: 'DAY',
    status: 'open',
    filledQuantity: dec(0),
    averagePrice: dec(0),
    createdAt,
    updatedAt: createdAt,
  },
});

describe('instruments the journal refers to', () => {
  it('brings back a contract that expired since it was traded, with its original terms', async () => {
    const traded = buildInstruments('2026-11-25').find(
      (i) => i.underlying === 'NIFTY' && i.instrumentType === 'CE' && i.expiry === '2026-12-01',
    )!;
    const later = buildInstruments('2026-12-10');
    expect(later.some((i) => i.symbol === traded.symbol)).toBe(false);
    const tradedAt = Date.UTC(2026, 10, 25, 5, 0);
    expect(await retiredFromJournal(later, fromList([accepted(traded.symbol, traded.exchange, tradedAt)]))).toEqual([traded]);
  });

  it("rebuilds with the running master's builder: a strike listed only around that day's spot comes back", async () => {
    // SENSEX at 79,300 every morning, the other underlyings at their references.
    const spotOf = (symbol: string, exchange: Exchange, _day: string, future?: { referencePrice: Decimal }) =>
      symbol === 'SENSEX'
        ? dec('79300')
        : future
          ? future.referencePrice
          : exchange === 'NSE'
            ? equityReferencePrice(EQUITIES.find((row) => row[0] === symbol)!)
            : indexLevel(symbol);
    const build = (day: string) => buildInstruments(day, undefined, spotOf);
    const traded = build('2026-11-25').find((i) => i.symbol === 'SENSEX26NOV2679300CE' && i.exchange === 'BFO')!;
    expect(traded).toBeDefined();
    const tradedAt = Date.UTC(2026, 10, 25, 5, 0);
    const later = build('2026-12-10');
    expect(await retiredFromJournal(later, fromList([accepted(traded.symbol, 'BFO', tradedAt)]), build)).toEqual([traded]);
    expect(await retiredFromJournal(later, fromList([accepted(traded.symbol, 'BFO', tradedAt)]))).toEqual([]);
  });

  it('adds nothing for instruments still listed', async () => {
    const today = buildInstruments('2026-11-25');
    expect(await retiredFromJournal(today, fromList([accepted('SBIN', 'NSE', Date.UTC(2026, 10, 25, 5, 0))]))).toEqual([]);
  });
});

async function* fromList<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}
