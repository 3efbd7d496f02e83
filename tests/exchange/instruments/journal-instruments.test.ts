import { describe, expect, it } from 'vitest';
import { dec } from '../../../src/domain/decimal.js';
import type { ExchangeEvent } from '../../../src/domain/events.js';
import type { Order } from '../../../src/domain/order.js';
import { retiredFromJournal } from '../../../src/exchange/instruments/journal-instruments.js';
import { buildInstruments } from '../../../src/exchange/instruments/master.js';

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

  it('adds nothing for instruments still listed', async () => {
    const today = buildInstruments('2026-11-25');
    expect(await retiredFromJournal(today, fromList([accepted('SBIN', 'NSE', Date.UTC(2026, 10, 25, 5, 0))]))).toEqual([]);
  });
});

async function* fromList<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}
