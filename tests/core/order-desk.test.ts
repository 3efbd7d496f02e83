// OrderDesk over the real paper broker and exchange on a pinned market: Ordergate's ids beside the broker's, client
// order ids, the broker's own updates followed once durable, the record rebuilt from the journal, reconciliation with
// the broker's status reports, and the checks that refuse an order before any broker is called.
import { beforeEach, describe, expect, it } from 'vitest';
import type { OrderUpdateListener } from '../../src/brokers/broker.js';
import { DelegatingBroker } from '../../src/brokers/delegating-broker.js';
import { FaultInjectingBroker, InjectedFault } from '../../src/brokers/fault-injecting-broker.js';
import { UNKNOWN_TO_BROKER } from '../../src/core/order-desk.js';
import type { PreTradeCheck } from '../../src/core/pre-trade.js';
import { ManualClock } from '../../src/domain/clock.js';
import { dec } from '../../src/domain/decimal.js';
import { DuplicateClientOrderId, InsufficientFunds, InvalidOrder } from '../../src/domain/errors.js';
import type { JournaledEvent } from '../../src/domain/events.js';
import type { Instrument } from '../../src/domain/instrument.js';
import type { OrderRequest } from '../../src/domain/order.js';
import { isTradingDay } from '../../src/domain/market-calendar.js';
import { ExchangeSessions } from '../../src/exchange/session-hours.js';
import { MemoryJournal, PinnedMarket } from '../exchange/builders.js';
import { HeldJournal, SBIN, T0, orderDesk, paperVenue, request } from './builders.js';

const MINUTE = 60_000;

/** A broker whose own updates arrive on a later turn of the event loop, as over a network they may. */
class LateUpdates extends DelegatingBroker {
  override onOrderUpdates(listener: OrderUpdateListener): () => void {
    return this.inner.onOrderUpdates((reports) => setImmediate(() => listener(reports)));
  }
}

let market: PinnedMarket;
let clock: ManualClock;

beforeEach(() => {
  market = new PinnedMarket();
  market.set(SBIN, '100', [['99.95', 500]], [['100.05', 50], ['100.10', 100]]);
  clock = new ManualClock(T0);
});

/** A resting LIMIT BUY 10 @ 99 (the best ask is 100.05). */
const restingLimit = (overrides: Partial<OrderRequest> = {}) => request({ side: 'BUY', quantity: dec(10), type: 'LIMIT', limitPrice: dec(99), ...overrides });

/** Moves the market down through 99, so a matching pass fills the resting limit there. */
function marketFallsTo99(): void {
  market.set(SBIN, '98.95', [['98.90', 500]], [['98.95', 500]]);
}

describe('OrderDesk placement', () => {
  it("gives each order Ordergate's id (prefix, YYMMDD, 8 digits) with the paper exchange's id beside it, and its fills once", async () => {
    const venue = paperVenue(market, clock, 'PX-');
    const journal = new MemoryJournal();
    const { desk, errors } = orderDesk(journal, clock);
    desk.follow('paper', venue.broker);

    const placed = await desk.place(request({ side: 'BUY', quantity: dec(120) }), 'paper', venue.broker);
    expect(placed).toEqual({
      accountId: 'acc',
      symbol: 'SBIN',
      exchange: 'NSE',
      side: 'BUY',
      quantity: dec(120),
      type: 'MARKET',
      product: 'MIS',
      timeInForce: 'DAY',
      id: '26112400000001',
      status: 'filled',
      filledQuantity: dec(120),
      // (50 × 100.05 + 70 × 100.10) / 120
      averagePrice: dec('100.07916667'),
      createdAt: T0,
      updatedAt: T0,
      broker: 'paper',
      brokerOrderId: 'PX-26112400000001',
    });
    expect(desk.trades('acc').map((f) => [f.tradeId, f.orderId, f.quantity, f.price])).toEqual([
      ['PX-26112400000001', '26112400000001', dec(50), dec('100.05')],
      ['PX-26112400000002', '26112400000001', dec(70), dec('100.10')],
    ]);
    // The exchange's own reports of the same fills, which came while the placement was in flight, add nothing.
    expect(journal.events.map((event) => event.type)).toEqual(['order.accepted', 'order.fill', 'order.fill']);
    expect(errors).toEqual([]);

    const second = await desk.place(restingLimit(), 'paper', venue.broker);
    expect([second.id, second.brokerOrderId, second.status]).toEqual(['26112400000002', 'PX-26112400000002', 'open']);
  });

  it('a sandbox desk puts its prefix before its ids', async () => {
    const venue = paperVenue(market, clock, 'SB-');
    const { desk } = orderDesk(new MemoryJournal(), clock, { idPrefix: 'SB-' });
    const placed = await desk.place(restingLimit(), 'analyzer', venue.broker);
    expect([placed.id, placed.brokerOrderId, placed.broker]).toEqual(['SB-26112400000001', 'SB-26112400000001', 'analyzer']);
  });

  it('a client order id reused within 24 hours gives the earlier order; for another instrument it is refused', async () => {
    const venue = paperVenue(market, clock);
    const broker = new FaultInjectingBroker(venue.broker);
    const { desk } = orderDesk(new MemoryJournal(), clock);
    const first = await desk.place(restingLimit({ clientOrderId: 'my-1' }), 'paper', broker);
    expect(first).toMatchObject({ id: '26112400000001', clientOrderId: 'my-1', status: 'open' });

    clock.advance(24 * 60 * MINUTE - 1);
    expect(await desk.place(restingLimit({ clientOrderId: 'my-1', quantity: dec(20) }), 'paper', broker)).toEqual(first);
    await expect(desk.place(restingLimit({ clientOrderId: 'my-1', symbol: 'INFY' }), 'paper', broker)).rejects.toThrow(
      new DuplicateClientOrderId('my-1', '26112400000001'),
    );
    expect(broker.calls('placeOrder')).toBe(1);

    clock.advance(1);
    const later = await desk.place(restingLimit({ clientOrderId: 'my-1' }), 'paper', broker);
    expect(later).toMatchObject({ id: '26112500000002', clientOrderId: 'my-1' });
    expect(broker.calls('placeOrder')).toBe(2);
  });

  it('a placement whose answer was lost after the broker acted: the retry with the same client order id gets that order back', async () => {
    const venue = paperVenue(market, clock);
    const broker = new FaultInjectingBroker(venue.broker);
    const { desk } = orderDesk(new MemoryJournal(), clock);
    desk.follow('paper', broker);
    broker.loseAnswers(1, ['placeOrder']);
    await expect(desk.place(restingLimit({ clientOrderId: 'my-1' }), 'paper', broker)).rejects.toThrow(InjectedFault);
    expect(venue.exchange.orders('acc')).toHaveLength(1);

    const retried = await desk.place(restingLimit({ clientOrderId: 'my-1' }), 'paper', broker);
    expect(retried).toMatchObject({ id: '26112400000001', clientOrderId: 'my-1', brokerOrderId: '26112400000001', status: 'open' });
    // One order at the exchange, as the client asked for one.
    expect(venue.exchange.orders('acc')).toHaveLength(1);
  });

  it("the same when the broker's report of the order arrives only after the placement failed", async () => {
    const venue = paperVenue(market, clock);
    const broker = new FaultInjectingBroker(new LateUpdates(venue.broker));
    const { desk } = orderDesk(new MemoryJournal(), clock);
    desk.follow('paper', broker);
    broker.loseAnswers(1, ['placeOrder']);
    await expect(desk.place(restingLimit({ clientOrderId: 'my-1' }), 'paper', broker)).rejects.toThrow(InjectedFault);
    await new Promise((resolve) => setImmediate(resolve));
    expect(desk.getOrder('acc', '26112400000001')).toMatchObject({ brokerOrderId: '26112400000001', status: 'open' });

    const retried = await desk.place(restingLimit({ clientOrderId: 'my-1' }), 'paper', broker);
    expect(retried).toMatchObject({ id: '26112400000001', clientOrderId: 'my-1' });
    expect(venue.exchange.orders('acc')).toHaveLength(1);
  });

  it("refuses an order off its instrument's lot before any broker is called", async () => {
    const venue = paperVenue(market, clock);
    const broker = new FaultInjectingBroker(venue.broker);
    const journal = new MemoryJournal();
    const { desk } = orderDesk(journal, clock);
    const offLot = request({ symbol: 'NIFTY29DEC26FUT', exchange: 'NFO', product: 'NRML', side: 'BUY', quantity: dec(10) });
    await expect(desk.place(offLot, 'paper', broker)).rejects.toThrow(new InvalidOrder('Quantity must be in multiples of lot size 75'));
    expect(broker.calls('placeOrder')).toBe(0);
    expect(journal.events).toEqual([]);
  });

  it('refuses an order with the error the pre-trade hook throws (or rejects with), before any broker is called', async () => {
    const venue = paperVenue(market, clock);
    const broker = new FaultInjectingBroker(venue.broker);
    const refusal = new InsufficientFunds('Risk limit: exposure above 1,00,000');
    const seen: Array<[string, string]> = [];
    const refuseAll: PreTradeCheck = {
      check: (asked: OrderRequest, instrument: Instrument) => {
        seen.push([asked.symbol, instrument.symbol]);
        throw refusal;
      },
    };
    const { desk } = orderDesk(new MemoryJournal(), clock, { preTrade: refuseAll });
    await expect(desk.place(restingLimit(), 'paper', broker)).rejects.toBe(refusal);

    const { desk: asyncDesk } = orderDesk(new MemoryJournal(), clock, { preTrade: { check: () => Promise.reject(refusal) } });
    await expect(asyncDesk.place(restingLimit(), 'paper', broker)).rejects.toBe(refusal);
    expect(seen).toEqual([['SBIN', 'SBIN']]);
    expect(broker.calls()).toBe(0);
  });

  it("modifies and cancels at the broker by the broker's id, and the record follows", async () => {
    const venue = paperVenue(market, clock, 'PX-');
    const { desk } = orderDesk(new MemoryJournal(), clock);
    const placed = await desk.place(restingLimit(), 'paper', venue.broker);
    clock.advance(MINUTE);
    const modified = await desk.modify('acc', placed.id, { limitPrice: dec('98.50') }, venue.broker);
    expect(modified).toMatchObject({ id: placed.id, status: 'open', limitPrice: dec('98.50'), updatedAt: T0 + MINUTE });
    expect(venue.exchange.getOrder('acc', 'PX-26112400000001').limitPrice).toBe(dec('98.50'));
    const cancelled = await desk.cancel('acc', placed.id, venue.broker);
    expect(cancelled).toMatchObject({ id: placed.id, status: 'cancelled' });
    expect(venue.exchange.getOrder('acc', 'PX-26112400000001').status).toBe('cancelled');
  });
});

describe("OrderDesk following the broker's own updates", () => {
  it('a resting LIMIT filled by a later matching pass reaches the record at once, and the listeners once it is durable', async () => {
    const venue = paperVenue(market, clock, 'PX-');
    const journal = new HeldJournal();
    const { desk, errors } = orderDesk(journal, clock);
    desk.follow('paper', venue.broker);
    const heard: JournaledEvent[] = [];
    desk.onEvents((events) => heard.push(...events));

    const placed = await desk.place(restingLimit(), 'paper', venue.broker);
    expect(heard.map((event) => [event.type, event.seq])).toEqual([['order.accepted', 1]]);

    journal.hold();
    clock.advance(MINUTE);
    marketFallsTo99();
    venue.broker.tick();
    expect(desk.getOrder('acc', placed.id)).toMatchObject({ status: 'filled', filledQuantity: dec(10), averagePrice: dec(99), updatedAt: T0 + MINUTE });
    expect(heard).toHaveLength(1);

    journal.release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(heard.slice(1)).toEqual([
      {
        type: 'order.fill',
        accountId: 'acc',
        fill: {
          tradeId: 'PX-26112400000001',
          orderId: '26112400000001',
          accountId: 'acc',
          symbol: 'SBIN',
          exchange: 'NSE',
          product: 'MIS',
          side: 'BUY',
          quantity: dec(10),
          price: dec(99),
          at: T0 + MINUTE,
        },
        at: T0 + MINUTE,
        seq: 2,
      },
    ]);
    expect(errors).toEqual([]);
  });

  it('takes in what the exchange does by itself: the MIS square-off cancels a working MIS order and closes the position', async () => {
    const ist = (hhmm: string) => Date.parse(`2026-11-25T${hhmm}:00+05:30`);
    clock.set(ist('10:00'));
    const venue = paperVenue(market, clock, '', new ExchangeSessions((day) => isTradingDay(day)));
    const journal = new MemoryJournal();
    const { desk, errors } = orderDesk(journal, clock);
    desk.follow('paper', venue.broker);
    const bought = await desk.place(request({ side: 'BUY', quantity: dec(10) }), 'paper', venue.broker);
    const resting = await desk.place(restingLimit(), 'paper', venue.broker);

    clock.set(ist('15:15'));
    venue.broker.tick();
    expect(desk.getOrder('acc', resting.id)).toMatchObject({ status: 'cancelled', rejectReason: 'Cancelled at the MIS square-off time' });
    const [squareOff, ...more] = desk.orders('acc').filter((o) => o.id !== bought.id && o.id !== resting.id);
    expect(more).toEqual([]);
    expect(squareOff).toMatchObject({
      id: '26112500000003',
      brokerOrderId: '26112500000003',
      strategyTag: 'Squareoff',
      side: 'SELL',
      quantity: dec(10),
      status: 'filled',
      averagePrice: dec('99.95'),
    });
    expect(await desk.reconcile('acc', 'paper', venue.broker)).toBe(0);
    expect(errors).toEqual([]);
  });

  it('stops applying updates once unsubscribed', async () => {
    const venue = paperVenue(market, clock);
    const { desk } = orderDesk(new MemoryJournal(), clock);
    const unfollow = desk.follow('paper', venue.broker);
    const placed = await desk.place(restingLimit(), 'paper', venue.broker);
    unfollow();
    marketFallsTo99();
    venue.broker.tick();
    expect(desk.getOrder('acc', placed.id).status).toBe('open');
  });
});

describe('OrderDesk.restore', () => {
  it('rebuilds the same record from the journal, and goes on numbering after its ids', async () => {
    const venue = paperVenue(market, clock, 'PX-');
    const journal = new MemoryJournal();
    const { desk } = orderDesk(journal, clock);
    desk.follow('paper', venue.broker);
    await desk.place(request({ side: 'BUY', quantity: dec(120), clientOrderId: 'c-1' }), 'paper', venue.broker);
    const resting = await desk.place(restingLimit({ clientOrderId: 'c-2' }), 'paper', venue.broker);
    const cancelled = await desk.place(restingLimit({ limitPrice: dec(98) }), 'paper', venue.broker);
    await desk.cancel('acc', cancelled.id, venue.broker);
    marketFallsTo99();
    venue.broker.tick();

    const { desk: restored, errors } = orderDesk(journal, clock);
    expect(await restored.restore()).toBe(journal.events.length);
    expect(restored.orders('acc')).toEqual(desk.orders('acc'));
    expect(restored.trades('acc')).toEqual(desk.trades('acc'));
    expect(restored.getOrder('acc', resting.id)).toMatchObject({ status: 'filled', clientOrderId: 'c-2', brokerOrderId: 'PX-26112400000002' });
    expect(errors).toEqual([]);

    const next = await restored.place(restingLimit(), 'paper', venue.broker);
    expect(next.id).toBe('26112400000004');
    // The client order id still names its order after the restart.
    expect(await restored.place(restingLimit({ clientOrderId: 'c-2' }), 'paper', venue.broker)).toMatchObject({ id: resting.id });
  });
});

describe('OrderDesk.reconcile', () => {
  it('applies a fill the exchange made while the desk was not following, marked reconciled', async () => {
    const venue = paperVenue(market, clock);
    const journal = new MemoryJournal();
    const { desk, errors } = orderDesk(journal, clock);
    const placed = await desk.place(restingLimit(), 'paper', venue.broker);
    clock.advance(MINUTE);
    marketFallsTo99();
    venue.broker.tick();
    expect(desk.getOrder('acc', placed.id).status).toBe('open');

    clock.advance(MINUTE);
    expect(await desk.reconcile('acc', 'paper', venue.broker)).toBe(1);
    expect(desk.getOrder('acc', placed.id)).toMatchObject({ status: 'filled', filledQuantity: dec(10), averagePrice: dec(99) });
    expect(journal.events.at(-1)).toEqual({
      type: 'order.fill',
      accountId: 'acc',
      fill: {
        tradeId: '26112400000001',
        orderId: placed.id,
        accountId: 'acc',
        symbol: 'SBIN',
        exchange: 'NSE',
        product: 'MIS',
        side: 'BUY',
        quantity: dec(10),
        price: dec(99),
        at: T0 + MINUTE,
      },
      at: T0 + 2 * MINUTE,
      reconciled: true,
    });
    // Once in line, a second pass finds nothing to correct.
    expect(await desk.reconcile('acc', 'paper', venue.broker)).toBe(0);
    expect(errors).toEqual([]);
  });

  it("takes in an order placed at the exchange directly, keeping the exchange's id when it is shaped like Ordergate's and free", async () => {
    const venue = paperVenue(market, clock);
    const journal = new MemoryJournal();
    const { desk, errors } = orderDesk(journal, clock);
    const ours = await desk.place(restingLimit(), 'paper', venue.broker);
    expect([ours.id, ours.brokerOrderId]).toEqual(['26112400000001', '26112400000001']);
    const direct = venue.exchange.place(request({ side: 'BUY', quantity: dec(5) }));
    expect(direct.id).toBe('26112400000002');

    expect(await desk.reconcile('acc', 'paper', venue.broker)).toBe(2);
    expect(desk.getOrder('acc', '26112400000002')).toMatchObject({
      id: '26112400000002',
      brokerOrderId: '26112400000002',
      broker: 'paper',
      status: 'filled',
      filledQuantity: dec(5),
      averagePrice: dec('100.05'),
    });
    expect(journal.events.slice(-2).map((event) => [event.type, 'reconciled' in event ? event.reconciled : undefined])).toEqual([
      ['order.accepted', true],
      ['order.fill', true],
    ]);

    // The desk's own next id skips the one the taken-in order holds.
    const next = await desk.place(restingLimit(), 'paper', venue.broker);
    expect([next.id, next.brokerOrderId]).toEqual(['26112400000003', '26112400000003']);
    expect(errors).toEqual([]);
  });

  it("gives an order taken in a new id when the exchange's id is already one of Ordergate's", async () => {
    const venue = paperVenue(market, clock);
    const { desk } = orderDesk(new MemoryJournal(), clock);
    await venue.broker.getFunds('acc');
    venue.exchange.place(request({ side: 'BUY', quantity: dec(5) }));
    const ours = await desk.place(restingLimit(), 'paper', venue.broker);
    expect([ours.id, ours.brokerOrderId]).toEqual(['26112400000001', '26112400000002']);

    expect(await desk.reconcile('acc', 'paper', venue.broker)).toBe(2);
    expect(desk.getOrder('acc', '26112400000002')).toMatchObject({ brokerOrderId: '26112400000001', status: 'filled' });
  });

  it("takes in an order whose acceptance the journal lost under the id the core gave it (the broker's client order id)", async () => {
    const venue = paperVenue(market, clock, 'PX-');
    const { desk } = orderDesk(new MemoryJournal(), clock);
    // As the desk sends it: Ordergate's id as the client order id.
    await venue.broker.placeOrder(restingLimit({ clientOrderId: '26112400000009' }));
    expect(await desk.reconcile('acc', 'paper', venue.broker)).toBe(1);
    expect(desk.getOrder('acc', '26112400000009')).toMatchObject({ brokerOrderId: 'PX-26112400000001', status: 'open', clientOrderId: undefined });
  });

  it('cancels a working order the broker does not report, with UNKNOWN_TO_BROKER, and leaves finished ones alone', async () => {
    const venue = paperVenue(market, clock);
    const journal = new MemoryJournal();
    const { desk } = orderDesk(journal, clock);
    const filled = await desk.place(request({ side: 'BUY', quantity: dec(5) }), 'paper', venue.broker);
    const resting = await desk.place(restingLimit(), 'paper', venue.broker);
    // The broker's side was reset: an exchange that knows none of them.
    const reset = paperVenue(market, clock);

    clock.advance(MINUTE);
    expect(await desk.reconcile('acc', 'paper', reset.broker)).toBe(1);
    expect(desk.getOrder('acc', resting.id)).toMatchObject({ status: 'cancelled', rejectReason: UNKNOWN_TO_BROKER, updatedAt: T0 + MINUTE });
    expect(desk.getOrder('acc', filled.id).status).toBe('filled');
    expect(journal.events.at(-1)).toEqual({
      type: 'order.cancelled',
      accountId: 'acc',
      orderId: resting.id,
      reason: UNKNOWN_TO_BROKER,
      at: T0 + MINUTE,
      reconciled: true,
    });
  });

  it('leaves the orders of other connections alone', async () => {
    const venue = paperVenue(market, clock);
    const other = paperVenue(market, clock);
    const { desk } = orderDesk(new MemoryJournal(), clock);
    const elsewhere = await desk.place(restingLimit(), 'upstream', other.broker);
    expect(await desk.reconcile('acc', 'paper', venue.broker)).toBe(0);
    expect(desk.getOrder('acc', elsewhere.id).status).toBe('open');
    expect([...desk.accountsWorkingOn('upstream')]).toEqual(['acc']);
    expect([...desk.accountsWorkingOn('paper')]).toEqual([]);
  });
});
