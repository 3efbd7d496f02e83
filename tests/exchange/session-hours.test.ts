import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { dec, toString } from '../../src/domain/decimal.js';
import type { OrderRequest } from '../../src/domain/order.js';
import { isTradingDay } from '../../src/domain/market-calendar.js';
import { PaperExchange } from '../../src/exchange/paper-exchange.js';
import { ExchangeSessions } from '../../src/exchange/session-hours.js';
import { Instruments, MemoryJournal, PinnedMarket, equity, future } from './builders.js';

const SBIN = equity('SBIN');
const BTC = equity('BTCUSDFUT', { exchange: 'CRYPTO', instrumentType: 'PERPFUT', lotSize: dec('0.001'), tickSize: dec('0.5') });
const NIFTYFUT = future('NIFTY29DEC26FUT');
/** IST wall time on Wednesday 25 Nov 2026, a trading day. */
const ist = (hhmm: string, date = '2026-11-25') => Date.parse(`${date}T${hhmm}:00+05:30`);

let market: PinnedMarket;
let clock: ManualClock;
let exchange: PaperExchange;

const order = (o: Partial<OrderRequest> & Pick<OrderRequest, 'side' | 'quantity'>): OrderRequest => ({
  accountId: 'acc',
  symbol: 'SBIN',
  exchange: 'NSE',
  type: 'MARKET',
  product: 'MIS',
  timeInForce: 'DAY',
  ...o,
});

beforeEach(() => {
  market = new PinnedMarket();
  market.set(SBIN, '800', [['799.95', 100000]], [['800.05', 100000]]);
  market.set(BTC, '95000', [['94999.5', 10]], [['95000.5', 10]]);
  market.set(NIFTYFUT, '26000', [['25999.9', 100000]], [['26000', 100000]]);
  clock = new ManualClock(ist('10:00'));
  exchange = new PaperExchange({
    instruments: new Instruments([SBIN, BTC, NIFTYFUT]),
    market,
    clock,
    journal: new MemoryJournal(),
    sessions: new ExchangeSessions((d) => isTradingDay(d)),
  });
  exchange.fundAccount('acc', dec(100000000));
  exchange.fundAccount('acc', dec(1000000), 'USD');
});

describe('exchange hours, when enforced', () => {
  it('refuse orders before the open, after the close, on weekends and on holidays; CRYPTO never closes', () => {
    const closed = 'NSE is closed: orders are accepted from 09:15 to 15:30 IST on trading days';
    for (const at of [ist('09:14'), ist('15:30'), ist('11:00', '2026-11-28'), ist('11:00', '2026-11-24')]) {
      clock.set(at);
      expect(() => exchange.place(order({ side: 'BUY', quantity: dec(1), product: 'CNC' }))).toThrow(closed);
    }
    clock.set(ist('02:00', '2026-11-28'));
    expect(exchange.place(order({ symbol: 'BTCUSDFUT', exchange: 'CRYPTO', side: 'BUY', quantity: dec('0.002'), product: 'NRML' })).status).toBe('filled');
  });

  it('after the square-off time MIS may only reduce a position', () => {
    exchange.place(order({ side: 'BUY', quantity: dec(10) }));
    clock.set(ist('15:16'));
    expect(() => exchange.place(order({ side: 'BUY', quantity: dec(1) }))).toThrow(
      'MIS orders cannot be placed after square-off time (15:15 IST). Trading resumes at 09:15 IST on the next trading day.',
    );
    expect(exchange.place(order({ side: 'SELL', quantity: dec(4) })).status).toBe('filled');
    expect(exchange.place(order({ side: 'BUY', quantity: dec(1), product: 'CNC' })).status).toBe('filled');
  });
});

describe('MIS square-off', () => {
  it('at 15:15 cancels working MIS orders and closes MIS positions with MARKET orders sliced to the freeze limit', () => {
    exchange.place(order({ side: 'BUY', quantity: dec(10) }));
    for (const quantity of [1800, 1800, 150]) {
      exchange.place(order({ symbol: NIFTYFUT.symbol, exchange: 'NFO', side: 'SELL', quantity: dec(quantity) }));
    }
    const resting = exchange.place(order({ side: 'BUY', quantity: dec(5), type: 'LIMIT', limitPrice: dec('700') }));
    exchange.place(order({ side: 'BUY', quantity: dec(7), product: 'CNC' }));

    clock.set(ist('15:14'));
    exchange.tick();
    expect(exchange.getOrder('acc', resting.id).status).toBe('open');

    clock.set(ist('15:15'));
    exchange.tick();
    expect(exchange.getOrder('acc', resting.id)).toMatchObject({ status: 'cancelled', rejectReason: 'Cancelled at the MIS square-off time' });
    const positions = exchange.positions('acc').map((p) => [p.symbol, p.product, toString(p.quantity)]);
    expect(positions).toEqual([
      ['SBIN', 'MIS', '0'],
      ['NIFTY29DEC26FUT', 'MIS', '0'],
      ['SBIN', 'CNC', '7'],
    ]);
    // NIFTY future: 3750 short, freeze 1800 (lot 75) → 1800, 1800, 150
    const squareOffs = exchange.orders('acc').filter((o) => o.strategyTag === 'Squareoff');
    expect(squareOffs.map((o) => [o.symbol, o.side, toString(o.quantity), o.status])).toEqual([
      ['SBIN', 'SELL', '10', 'filled'],
      ['NIFTY29DEC26FUT', 'BUY', '1800', 'filled'],
      ['NIFTY29DEC26FUT', 'BUY', '1800', 'filled'],
      ['NIFTY29DEC26FUT', 'BUY', '150', 'filled'],
    ]);
    exchange.tick();
    expect(exchange.orders('acc').filter((o) => o.strategyTag === 'Squareoff')).toHaveLength(4);
  });
});

describe('always open (the default)', () => {
  it('takes MIS orders at any hour and never squares off', () => {
    const open = new PaperExchange({ instruments: new Instruments([SBIN]), market, clock, journal: new MemoryJournal() });
    open.fundAccount('acc', dec(1000000));
    clock.set(ist('23:00', '2026-11-28'));
    expect(open.place(order({ side: 'BUY', quantity: dec(1) })).status).toBe('filled');
    open.tick();
    expect(toString(open.positions('acc')[0]!.quantity)).toBe('1');
  });
});
