import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { dec, toString } from '../../src/domain/decimal.js';
import { DuplicateClientOrderId, InstrumentNotFound, InvalidOrder, OrderNotFound, OrderNotModifiable } from '../../src/domain/errors.js';
import type { OrderRequest } from '../../src/domain/order.js';
import { CLIENT_ORDER_ID_WINDOW_MS, PaperExchange } from '../../src/exchange/paper-exchange.js';
import { Instruments, MemoryJournal, PinnedMarket, equity, future, option } from './builders.js';

const SBIN = equity('SBIN');
const NIFTYFUT = future('NIFTY29DEC26FUT');
const NIFTYCE = option('NIFTY29DEC2626000CE', '26000');
const T0 = Date.UTC(2026, 10, 24, 4, 0, 0); // 09:30 IST

let market: PinnedMarket;
let journal: MemoryJournal;
let clock: ManualClock;
let exchange: PaperExchange;

function newExchange(): PaperExchange {
  return new PaperExchange({ instruments: new Instruments([SBIN, NIFTYFUT, NIFTYCE]), market, clock, journal });
}

function order(overrides: Partial<OrderRequest> & Pick<OrderRequest, 'side' | 'quantity'>): OrderRequest {
  return {
    accountId: 'acc',
    symbol: 'SBIN',
    exchange: 'NSE',
    type: 'MARKET',
    product: 'CNC',
    timeInForce: 'DAY',
    ...overrides,
  };
}

const s = toString;
/** The account's funds in rupees, its home currency (listed first). */
const rupees = (account = 'acc') => exchange.funds(account)[0]!;

beforeEach(() => {
  market = new PinnedMarket();
  market.set(SBIN, '100', [['99.95', 500], ['99.90', 500]], [['100.05', 50], ['100.10', 100], ['100.20', 1000]]);
  journal = new MemoryJournal();
  clock = new ManualClock(T0);
  exchange = newExchange();
  exchange.fundAccount('acc', dec('10000000'));
});

describe('market orders', () => {
  it('MARKET buy walks the book: 50 at 100.05 then 70 at 100.10', () => {
    const placed = exchange.place(order({ side: 'BUY', quantity: dec(120) }));
    expect(placed.status).toBe('filled');
    expect(exchange.trades('acc').map((t) => [s(t.quantity), s(t.price)])).toEqual([
      ['50', '100.05'],
      ['70', '100.1'],
    ]);
    // (50 × 100.05 + 70 × 100.10) / 120 = 12009.5 / 120 = 100.0791666…
    expect(s(placed.averagePrice)).toBe('100.07916667');
  });

  it('three buys at 100.05 then a sell at 100.10 realize exactly 1.50', () => {
    market.set(SBIN, '100.05', [['100.10', 1000]], [['100.05', 1000]]);
    for (let i = 0; i < 3; i++) exchange.place(order({ side: 'BUY', quantity: dec(10) }));
    exchange.place(order({ side: 'SELL', quantity: dec(30) }));
    const [position] = exchange.positions('acc');
    expect(s(position!.quantity)).toBe('0');
    expect(s(position!.realizedPnl)).toBe('1.5');
    const funds = rupees();
    expect(s(funds.availableCash)).toBe('10000001.5');
    expect(s(funds.usedMargin)).toBe('0');
  });

  it('a MARKET order larger than the whole book fills what exists and cancels the rest', () => {
    const placed = exchange.place(order({ side: 'BUY', quantity: dec(2000), product: 'MIS' }));
    expect(placed.status).toBe('cancelled');
    expect(s(placed.filledQuantity)).toBe('1150');
    expect(placed.rejectReason).toBe('No liquidity left within the market protection band');
  });
});

describe('limit orders', () => {
  it('a marketable BUY limit fills at once at the better price', () => {
    const placed = exchange.place(order({ side: 'BUY', quantity: dec(40), type: 'LIMIT', limitPrice: dec('101') }));
    expect(placed.status).toBe('filled');
    expect(s(placed.averagePrice)).toBe('100.05');
  });

  it('a BUY limit sweeps up to its price and rests the remainder', () => {
    const placed = exchange.place(order({ side: 'BUY', quantity: dec(200), type: 'LIMIT', limitPrice: dec('100.10') }));
    expect(placed.status).toBe('partially_filled');
    expect(s(placed.filledQuantity)).toBe('150');
    // the position holds its cost 50 × 100.05 + 100 × 100.10 = 15012.50; the resting 50 block 50 × 100.10 = 5005
    const funds = rupees();
    expect(s(funds.usedMargin)).toBe('20017.5');
  });

  it('a resting BUY limit fills at its price when the ask comes down to it', () => {
    const placed = exchange.place(order({ side: 'BUY', quantity: dec(10), type: 'LIMIT', limitPrice: dec('99') }));
    expect(placed.status).toBe('open');
    expect(s(rupees().usedMargin)).toBe('990');
    exchange.tick();
    expect(exchange.getOrder('acc', placed.id).status).toBe('open');
    market.set(SBIN, '98.95', [['98.90', 100]], [['98.95', 100]]);
    exchange.tick();
    const filled = exchange.getOrder('acc', placed.id);
    expect(filled.status).toBe('filled');
    expect(s(filled.averagePrice)).toBe('99');
    expect(s(rupees().usedMargin)).toBe('990');
  });

  it('IOC limit cancels what it cannot fill at once', () => {
    const placed = exchange.place(
      order({ side: 'BUY', quantity: dec(100), type: 'LIMIT', limitPrice: dec('100.05'), timeInForce: 'IOC' }),
    );
    expect(placed.status).toBe('cancelled');
    expect(s(placed.filledQuantity)).toBe('50');
  });

  it('FOK limit that cannot fill in full leaves no fills', () => {
    const placed = exchange.place(
      order({ side: 'BUY', quantity: dec(100), type: 'LIMIT', limitPrice: dec('100.05'), timeInForce: 'FOK' }),
    );
    expect(placed.status).toBe('cancelled');
    expect(exchange.trades('acc')).toEqual([]);
  });
});

describe('stop orders', () => {
  it('SL-M buy waits in trigger_pending and triggers when the last price reaches the trigger', () => {
    const placed = exchange.place(order({ side: 'BUY', quantity: dec(10), type: 'STOP', stopPrice: dec('101') }));
    expect(placed.status).toBe('trigger_pending');
    market.set(SBIN, '100.95', [['100.90', 100]], [['101', 100]]);
    exchange.tick();
    expect(exchange.getOrder('acc', placed.id).status).toBe('trigger_pending');
    market.set(SBIN, '101', [['100.95', 100]], [['101.05', 100]]);
    exchange.tick();
    const done = exchange.getOrder('acc', placed.id);
    expect(done.status).toBe('filled');
    expect(s(done.averagePrice)).toBe('101.05');
  });

  it('SL sell triggers at the trigger and fills as a limit no worse than its price', () => {
    exchange.place(order({ side: 'BUY', quantity: dec(20), product: 'CNC' }));
    const placed = exchange.place(
      order({ side: 'SELL', quantity: dec(20), type: 'STOP_LIMIT', stopPrice: dec('99'), limitPrice: dec('98.90') }),
    );
    market.set(SBIN, '99', [['98.95', 5], ['98.90', 10], ['98.85', 100]], [['99.05', 100]]);
    exchange.tick();
    const after = exchange.getOrder('acc', placed.id);
    expect(after.status).toBe('partially_filled');
    expect(s(after.filledQuantity)).toBe('15');
  });

  it('rejects a BUY stop whose trigger is already below the last price', () => {
    expect(() => exchange.place(order({ side: 'BUY', quantity: dec(1), type: 'STOP', stopPrice: dec('99') }))).toThrow(
      'Trigger price 99 must be above the last price 100 for a BUY stop order',
    );
  });

  it('rejects a BUY SL whose price is below its trigger', () => {
    expect(() =>
      exchange.place(
        order({ side: 'BUY', quantity: dec(1), type: 'STOP_LIMIT', stopPrice: dec('101'), limitPrice: dec('100.5') }),
      ),
    ).toThrow('Price 100.5 must be at or above the trigger price 101 for a BUY SL order');
  });
});

describe('validation and funds', () => {
  it('rejects quantities that are not lot multiples, with the lot size', () => {
    market.set(NIFTYFUT, '26100', [['26099.9', 750]], [['26100.1', 750]]);
    expect(() =>
      exchange.place(order({ symbol: NIFTYFUT.symbol, exchange: 'NFO', product: 'NRML', side: 'BUY', quantity: dec(30) })),
    ).toThrow(new InvalidOrder('Quantity must be in multiples of lot size 75'));
  });

  it('rejects prices off the tick grid and quantities above the freeze limit', () => {
    expect(() =>
      exchange.place(order({ side: 'BUY', quantity: dec(1), type: 'LIMIT', limitPrice: dec('100.03') })),
    ).toThrow('Price 100.03 is not a multiple of the tick size 0.05');
    expect(() => exchange.place(order({ side: 'BUY', quantity: dec(100001) }))).toThrow(/exceeds the freeze quantity/);
  });

  it('names an absurd quantity or price in a readable message, not in 300 digits', () => {
    expect(() => exchange.place(order({ side: 'BUY', quantity: dec(1e300) }))).toThrow(
      new InvalidOrder('Quantity 1.00000e+300 exceeds the freeze quantity 100000 of SBIN; split the order'),
    );
    const placed = exchange.place(order({ side: 'BUY', quantity: dec(1), type: 'LIMIT', limitPrice: dec(1e300) }));
    expect(placed.status).toBe('rejected');
    expect(placed.rejectReason).toBe('Insufficient funds. Required: ₹1.00000e+300, Available: ₹10000000.00, Shortage: ₹1.00000e+300');
  });

  it('unknown instruments raise InstrumentNotFound', () => {
    expect(() => exchange.place(order({ symbol: 'NOPE', side: 'BUY', quantity: dec(1) }))).toThrow(InstrumentNotFound);
  });

  it('records an order beyond the available cash as rejected with the amounts', () => {
    exchange.fundAccount('poor', dec('1000'));
    const placed = exchange.place(
      order({ accountId: 'poor', side: 'BUY', quantity: dec(20), type: 'LIMIT', limitPrice: dec('99') }),
    );
    expect(placed.status).toBe('rejected');
    expect(placed.rejectReason).toBe('Insufficient funds. Required: ₹1980.00, Available: ₹1000.00, Shortage: ₹980.00');
    expect(exchange.orders('poor').map((o) => o.status)).toEqual(['rejected']);
  });

  it('MIS blocks 20 %, futures 10 % of notional, option buys the full premium', () => {
    exchange.place(order({ side: 'BUY', quantity: dec(100), type: 'LIMIT', limitPrice: dec('99'), product: 'MIS' }));
    expect(s(rupees().usedMargin)).toBe('1980');
    market.set(NIFTYFUT, '26100', [['26099.9', 750]], [['26100', 750]]);
    exchange.place(order({ symbol: NIFTYFUT.symbol, exchange: 'NFO', product: 'NRML', side: 'BUY', quantity: dec(75) }));
    // 75 × 26100 × 10 % = 195750
    expect(s(rupees().usedMargin)).toBe('197730');
    market.set(NIFTYCE, '120', [['119.95', 750]], [['120.05', 750]]);
    exchange.place(order({ symbol: NIFTYCE.symbol, exchange: 'NFO', product: 'MIS', side: 'BUY', quantity: dec(75) }));
    // 75 × 120.05 = 9003.75
    expect(s(rupees().usedMargin)).toBe('206733.75');
  });

  it('a short MIS position closed lower books the gain', () => {
    market.set(SBIN, '100', [['100', 100]], [['100.05', 100]]);
    exchange.place(order({ side: 'SELL', quantity: dec(10), product: 'MIS' }));
    market.set(SBIN, '99', [['98.95', 100]], [['99', 100]]);
    exchange.place(order({ side: 'BUY', quantity: dec(10), product: 'MIS' }));
    const [position] = exchange.positions('acc');
    expect(s(position!.realizedPnl)).toBe('10');
  });

  it('CNC sell needs shares held', () => {
    const placed = exchange.place(order({ side: 'SELL', quantity: dec(5) }));
    expect(placed.status).toBe('rejected');
    expect(placed.rejectReason).toBe('Cannot sell 5 SBIN (CNC): only 0 held and not already on sale');
  });
});

describe('modify and cancel', () => {
  it('modify moves a resting limit and refuses a filled order', () => {
    const resting = exchange.place(order({ side: 'BUY', quantity: dec(10), type: 'LIMIT', limitPrice: dec('99') }));
    const moved = exchange.modify('acc', resting.id, { limitPrice: dec('99.5'), quantity: dec(20) });
    expect(s(moved.limitPrice!)).toBe('99.5');
    expect(s(rupees().usedMargin)).toBe('1990');
    const filled = exchange.place(order({ side: 'BUY', quantity: dec(1) }));
    expect(() => exchange.modify('acc', filled.id, { quantity: dec(2) })).toThrow(OrderNotModifiable);
  });

  it('cancel releases the blocked margin; unknown or foreign ids are not found', () => {
    const resting = exchange.place(order({ side: 'BUY', quantity: dec(10), type: 'LIMIT', limitPrice: dec('99') }));
    expect(exchange.cancel('acc', resting.id).status).toBe('cancelled');
    expect(s(rupees().usedMargin)).toBe('0');
    expect(() => exchange.cancel('acc', resting.id)).toThrow(OrderNotModifiable);
    expect(() => exchange.cancel('other', resting.id)).toThrow(OrderNotFound);
  });
});

describe('journal', () => {
  it('replaying the journal rebuilds identical orders, trades, positions and funds', async () => {
    exchange.place(order({ side: 'BUY', quantity: dec(120) }));
    exchange.place(order({ side: 'SELL', quantity: dec(20), type: 'LIMIT', limitPrice: dec('101') }));
    exchange.place(order({ side: 'BUY', quantity: dec(5), type: 'STOP', stopPrice: dec('102') }));
    const rebuilt = newExchange();
    await rebuilt.restore();
    expect(rebuilt.orders('acc')).toEqual(exchange.orders('acc'));
    expect(rebuilt.trades('acc')).toEqual(exchange.trades('acc'));
    expect(rebuilt.positions('acc')).toEqual(exchange.positions('acc'));
    expect(rebuilt.funds('acc')).toEqual(exchange.funds('acc'));
    const next = rebuilt.place(order({ side: 'BUY', quantity: dec(1) }));
    expect(next.id).toBe('26112400000004');
  });

  it('an id prefix begins every new order and trade id; a journal of ids without it replays and goes on counting', async () => {
    exchange.place(order({ side: 'BUY', quantity: dec(120) }));
    const prefixed = new PaperExchange({ instruments: new Instruments([SBIN]), market, clock, journal, idPrefix: 'SB-' });
    await prefixed.restore();
    const next = prefixed.place(order({ side: 'BUY', quantity: dec(1) }));
    expect(next.id).toBe('SB-26112400000002');
    expect(prefixed.trades('acc').map((t) => [t.orderId, t.tradeId])).toEqual([
      ['26112400000001', '26112400000001'],
      ['26112400000001', '26112400000002'],
      ['SB-26112400000002', 'SB-26112400000003'],
    ]);
    expect(prefixed.getOrder('acc', 'SB-26112400000002').status).toBe('filled');
  });
});

describe('client order ids (idempotent placement)', () => {
  it('a placement repeating a client order id gets the earlier order as it stands, and nothing is placed again', () => {
    const first = exchange.place(order({ side: 'BUY', quantity: dec(120), clientOrderId: 'k-1' }));
    const events = journal.events.length;
    const again = exchange.place(order({ side: 'BUY', quantity: dec(120), clientOrderId: 'k-1' }));
    expect(again).toEqual(first);
    expect(journal.events.length).toBe(events);
    expect(exchange.orders('acc')).toHaveLength(1);
    expect(s(exchange.positions('acc')[0]!.quantity)).toBe('120');
    // Another id is another order.
    expect(exchange.place(order({ side: 'BUY', quantity: dec(1), clientOrderId: 'k-2' })).id).not.toBe(first.id);
  });

  it('refuses the id for another instrument, side or product (409), and names the order that holds it', () => {
    const first = exchange.place(order({ side: 'BUY', quantity: dec(1), clientOrderId: 'k-1' }));
    for (const change of [{ side: 'SELL' as const }, { product: 'MIS' as const }, { symbol: 'NIFTY29DEC26FUT', exchange: 'NFO' as const }]) {
      expect(() => exchange.place(order({ side: 'BUY', quantity: dec(1), clientOrderId: 'k-1', ...change }))).toThrow(
        new DuplicateClientOrderId('k-1', first.id),
      );
    }
    expect(() => exchange.place(order({ side: 'SELL', quantity: dec(1), clientOrderId: 'k-1' }))).toThrow(
      `Client order id k-1 was already used for a different order (${first.id})`,
    );
  });

  it('a rejected order is answered again as rejected; the id is free again after 24 hours; a replay remembers ids', async () => {
    const rejected = exchange.place(order({ side: 'BUY', quantity: dec(100_000), type: 'LIMIT', limitPrice: dec('100.5'), clientOrderId: 'big' }));
    expect(rejected.status).toBe('rejected');
    expect(exchange.place(order({ side: 'BUY', quantity: dec(100_000), type: 'LIMIT', limitPrice: dec('100.5'), clientOrderId: 'big' }))).toEqual(rejected);

    const kept = exchange.place(order({ side: 'BUY', quantity: dec(1), clientOrderId: 'k-1' }));
    const rebuilt = newExchange();
    await rebuilt.restore();
    expect(rebuilt.place(order({ side: 'BUY', quantity: dec(1), clientOrderId: 'k-1' })).id).toBe(kept.id);

    clock.set(kept.createdAt + CLIENT_ORDER_ID_WINDOW_MS);
    const fresh = rebuilt.place(order({ side: 'BUY', quantity: dec(1), clientOrderId: 'k-1' }));
    expect(fresh.id).not.toBe(kept.id);
    expect(rebuilt.place(order({ side: 'BUY', quantity: dec(1), clientOrderId: 'k-1' })).id).toBe(fresh.id);
  });
});

describe('journal replay of modifications', () => {
  it('a limit turned into SL-M waits for its trigger with no limit price, live and after replay', async () => {
    const resting = exchange.place(order({ side: 'BUY', quantity: dec(10), type: 'LIMIT', limitPrice: dec('99') }));
    exchange.modify('acc', resting.id, { type: 'STOP', stopPrice: dec('101'), limitPrice: undefined });
    const live = exchange.getOrder('acc', resting.id);
    expect(live.limitPrice).toBeUndefined();
    expect(live.status).toBe('trigger_pending');
    expect(exchange.trades('acc')).toEqual([]);
    const rebuilt = newExchange();
    await rebuilt.restore();
    expect(rebuilt.getOrder('acc', resting.id)).toEqual(live);
  });
});

describe('modifying stops', () => {
  it('an SL-M turned into a marketable LIMIT leaves trigger_pending and fills at once', () => {
    const stop = exchange.place(order({ side: 'BUY', quantity: dec(10), type: 'STOP', stopPrice: dec('101') }));
    const done = exchange.modify('acc', stop.id, { type: 'LIMIT', limitPrice: dec('100.10'), stopPrice: undefined });
    expect(done.status).toBe('filled');
    expect(s(done.averagePrice)).toBe('100.05');
  });

  it('a partly filled order cannot become a stop order', () => {
    const partial = exchange.place(order({ side: 'BUY', quantity: dec(200), type: 'LIMIT', limitPrice: dec('100.10') }));
    expect(() => exchange.modify('acc', partial.id, { type: 'STOP', stopPrice: dec('102') })).toThrow(
      'A partly filled order cannot become a stop order',
    );
  });
});

describe('fills of one order', () => {
  it('are the fills the order made, oldest first; none for an order without fills or unknown', () => {
    const swept = exchange.place(order({ side: 'BUY', quantity: dec(120) }));
    const resting = exchange.place(order({ side: 'BUY', quantity: dec(10), type: 'LIMIT', limitPrice: dec('99') }));
    exchange.place(order({ side: 'BUY', quantity: dec(5) }));
    expect(exchange.fillsOf('acc', swept.id).map((f) => [f.tradeId, s(f.quantity), s(f.price)])).toEqual([
      ['26112400000001', '50', '100.05'],
      ['26112400000002', '70', '100.1'],
    ]);
    expect(exchange.fillsOf('acc', resting.id)).toEqual([]);
    expect(exchange.fillsOf('other', swept.id)).toEqual([]);
    market.set(SBIN, '98.95', [['98.90', 100]], [['98.95', 100]]);
    exchange.tick();
    expect(exchange.fillsOf('acc', resting.id).map((f) => [s(f.quantity), s(f.price)])).toEqual([['10', '99']]);
  });

  it('are rebuilt by a replay, and forgotten with their order', async () => {
    const swept = exchange.place(order({ side: 'BUY', quantity: dec(120), product: 'MIS' }));
    const rebuilt = newExchange();
    await rebuilt.restore();
    expect(rebuilt.fillsOf('acc', swept.id)).toEqual(exchange.fillsOf('acc', swept.id));
    // A session that begins more than a day after the order finished forgets it, and its fills with it.
    clock.set(T0 + 2 * 24 * 3600 * 1000);
    exchange.orders('acc');
    expect(() => exchange.getOrder('acc', swept.id)).toThrow(OrderNotFound);
    expect(exchange.fillsOf('acc', swept.id)).toEqual([]);
  });
});
