import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { dec, toString } from '../../src/domain/decimal.js';
import type { OrderRequest } from '../../src/domain/order.js';
import { PaperExchange } from '../../src/exchange/paper-exchange.js';
import { sessionDay, sessionStartOf } from '../../src/domain/session-day.js';
import { Instruments, MemoryJournal, PinnedMarket, equity } from './builders.js';

const SBIN = equity('SBIN');
const INFY = equity('INFY');
const DAY1_10AM = Date.UTC(2026, 10, 25, 4, 30); // 25 Nov 10:00 IST
const DAY2_10AM = DAY1_10AM + 24 * 3600 * 1000;

let market: PinnedMarket;
let journal: MemoryJournal;
let clock: ManualClock;
let exchange: PaperExchange;
const s = toString;
/** The account's funds in rupees, its home currency (listed first). */
const rupees = (account = 'acc') => exchange.funds(account)[0]!;

const newExchange = () => new PaperExchange({ instruments: new Instruments([SBIN, INFY]), market, clock, journal });
const order = (o: Partial<OrderRequest> & Pick<OrderRequest, 'side' | 'quantity'>): OrderRequest => ({
  accountId: 'acc',
  symbol: 'SBIN',
  exchange: 'NSE',
  type: 'MARKET',
  product: 'CNC',
  timeInForce: 'DAY',
  ...o,
});

beforeEach(() => {
  market = new PinnedMarket();
  market.set(SBIN, '100', [['100', 1000]], [['100.05', 1000]]);
  market.set(INFY, '1500', [['1499.95', 1000]], [['1500.05', 1000]]);
  journal = new MemoryJournal();
  clock = new ManualClock(DAY1_10AM);
  exchange = newExchange();
  exchange.fundAccount('acc', dec(10000000));
});

describe('session days', () => {
  it('run from 03:00 IST to 03:00 IST', () => {
    expect(sessionDay(Date.UTC(2026, 10, 25, 21, 29))).toBe('2026-11-25'); // 26 Nov 02:59 IST
    expect(sessionDay(Date.UTC(2026, 10, 25, 21, 30))).toBe('2026-11-26'); // 26 Nov 03:00 IST
    expect(sessionStartOf('2026-11-26')).toBe(Date.UTC(2026, 10, 25, 21, 30));
  });
});

describe('the session roll', () => {
  it('turns CNC buys into holdings at their cost, without changing the cash available', () => {
    exchange.place(order({ side: 'BUY', quantity: dec(10) }));
    expect(s(rupees().availableCash)).toBe('9998999.5');
    clock.set(DAY2_10AM);
    expect(exchange.positions('acc')).toEqual([]);
    expect(exchange.holdings('acc').map((h) => [h.symbol, s(h.quantity), s(h.cost), s(h.averagePrice), s(h.lastPrice)])).toEqual([
      ['SBIN', '10', '1000.5', '100.05', '100'],
    ]);
    const funds = rupees();
    expect([s(funds.availableCash), s(funds.usedMargin), s(funds.realizedPnl)]).toEqual(['9998999.5', '0', '0']);
  });

  it('sells from holdings at their average cost, and refuses to sell more than is held', () => {
    exchange.place(order({ side: 'BUY', quantity: dec(10) }));
    clock.set(DAY2_10AM);
    market.set(SBIN, '101', [['101', 1000]], [['101.05', 1000]]);
    exchange.place(order({ side: 'SELL', quantity: dec(4) }));
    // 4 × 101 − 4 × 100.05 = 3.80
    const [position] = exchange.positions('acc');
    expect([s(position!.quantity), s(position!.realizedPnl)]).toEqual(['0', '3.8']);
    expect(exchange.holdings('acc').map((h) => [s(h.quantity), s(h.cost)])).toEqual([['6', '600.3']]);
    expect(s(rupees().availableCash)).toBe('9999403.5');
    const tooMany = exchange.place(order({ side: 'SELL', quantity: dec(7) }));
    expect(tooMany.rejectReason).toBe('Cannot sell 7 SBIN (CNC): only 6 held and not already on sale');
  });

  it('a sale on the day of the buy closes the day position first, then holdings', () => {
    exchange.place(order({ side: 'BUY', quantity: dec(10) }));
    clock.set(DAY2_10AM);
    exchange.place(order({ side: 'BUY', quantity: dec(5) }));
    market.set(SBIN, '102', [['102', 1000]], [['102.05', 1000]]);
    exchange.place(order({ side: 'SELL', quantity: dec(8) }));
    // 5 from today's long (bought 100.05): 9.75; 3 from holdings (cost 100.05): 5.85
    const [position] = exchange.positions('acc');
    expect([s(position!.quantity), s(position!.realizedPnl)]).toEqual(['0', '15.6']);
    expect(exchange.holdings('acc').map((h) => s(h.quantity))).toEqual(['7']);
  });

  it('expires working DAY orders, releasing their margin, and shows only the new session in the books', () => {
    const resting = exchange.place(order({ side: 'BUY', quantity: dec(10), type: 'LIMIT', limitPrice: dec('90') }));
    exchange.place(order({ symbol: 'INFY', side: 'BUY', quantity: dec(1), product: 'MIS' }));
    clock.set(DAY2_10AM);
    expect(exchange.orders('acc')).toEqual([]);
    expect(exchange.trades('acc')).toEqual([]);
    expect(exchange.getOrder('acc', resting.id)).toMatchObject({ status: 'cancelled', rejectReason: 'Expired at the end of the trading day' });
    // the MIS position carries (the exchange is open around the clock), with fresh day figures
    const [infy] = exchange.positions('acc');
    expect([infy!.symbol, s(infy!.quantity), s(infy!.averagePrice), s(infy!.realizedPnl)]).toEqual(['INFY', '1', '1500.05', '0']);
    // MIS margin of the carried position: 1500.05 × 20 % = 300.01
    expect(s(rupees().usedMargin)).toBe('300.01');
  });

  it("settles the day's realized P&L into cash and drops flat positions", () => {
    exchange.place(order({ side: 'BUY', quantity: dec(10), product: 'MIS' }));
    market.set(SBIN, '100.20', [['100.15', 1000]], [['100.25', 1000]]);
    exchange.place(order({ side: 'SELL', quantity: dec(10), product: 'MIS' }));
    expect(s(rupees().realizedPnl)).toBe('1');
    clock.set(DAY2_10AM);
    const funds = rupees();
    expect([s(funds.realizedPnl), s(funds.availableCash), s(funds.deposits)]).toEqual(['0', '10000001', '10000001']);
    expect(exchange.positions('acc')).toEqual([]);
  });

  it('is journaled: a replay after the roll rebuilds the same books', async () => {
    exchange.place(order({ side: 'BUY', quantity: dec(10) }));
    exchange.place(order({ side: 'BUY', quantity: dec(3), type: 'LIMIT', limitPrice: dec('90') }));
    clock.set(DAY2_10AM);
    exchange.place(order({ side: 'SELL', quantity: dec(2) }));
    const rebuilt = newExchange();
    await rebuilt.restore();
    expect(rebuilt.holdings('acc')).toEqual(exchange.holdings('acc'));
    expect(rebuilt.positions('acc')).toEqual(exchange.positions('acc'));
    expect(rebuilt.funds('acc')).toEqual(exchange.funds('acc'));
    expect(rebuilt.orders('acc')).toEqual(exchange.orders('acc'));
    expect(journal.events.filter((e) => e.type === 'session.rolled')).toHaveLength(1);
  });

  it('forgets orders finished and fills made more than a day before a session begins, also on replay', async () => {
    const filled = exchange.place(order({ side: 'BUY', quantity: dec(10), product: 'MIS', clientOrderId: 'k1' }));
    const gtc = exchange.place(order({ side: 'BUY', quantity: dec(1), type: 'LIMIT', limitPrice: dec('90'), timeInForce: 'GTC' }));
    const day = exchange.place(order({ side: 'BUY', quantity: dec(1), type: 'LIMIT', limitPrice: dec('90') }));
    const DAY3_10AM = DAY2_10AM + 24 * 3600 * 1000;
    const DAY4_10AM = DAY3_10AM + 24 * 3600 * 1000;

    // Day 2: yesterday's orders finished within the last 24 h; the DAY order expires now.
    clock.set(DAY2_10AM);
    exchange.orders('acc');
    expect(exchange.getOrder('acc', filled.id).status).toBe('filled');
    expect(exchange.getOrder('acc', day.id).status).toBe('cancelled');

    // Day 3: the fill of day 1 and its order are gone; the order that expired at day 2's roll is not yet.
    clock.set(DAY3_10AM);
    exchange.orders('acc');
    expect(() => exchange.getOrder('acc', filled.id)).toThrow(`Order ${filled.id} not found`);
    expect(exchange.getOrder('acc', day.id).status).toBe('cancelled');
    expect(exchange.getOrder('acc', gtc.id).status).toBe('open');
    // The client order id went with its order: the same id places a new one.
    const again = exchange.place(order({ side: 'SELL', quantity: dec(10), product: 'MIS', clientOrderId: 'k1' }));
    expect(again.id).not.toBe(filled.id);

    // Day 4: the expired order is gone too; a working GTC order stays however old.
    clock.set(DAY4_10AM);
    exchange.orders('acc');
    expect(() => exchange.getOrder('acc', day.id)).toThrow(`Order ${day.id} not found`);
    expect(exchange.getOrder('acc', gtc.id).status).toBe('open');

    const rebuilt = newExchange();
    await rebuilt.restore();
    for (const id of [filled.id, day.id]) expect(() => rebuilt.getOrder('acc', id)).toThrow(`Order ${id} not found`);
    expect(rebuilt.getOrder('acc', gtc.id)).toEqual(exchange.getOrder('acc', gtc.id));
    expect(rebuilt.orders('acc')).toEqual(exchange.orders('acc'));
    expect(rebuilt.funds('acc')).toEqual(exchange.funds('acc'));
  });
});
