// Money carries its currency: one account trades a USD perpetual and an INR share; each currency has its own cash,
// margin and P&L, and nothing adds dollars to rupees.
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { dec, toString } from '../../src/domain/decimal.js';
import type { OrderRequest } from '../../src/domain/order.js';
import { type FundsState, PaperExchange } from '../../src/exchange/paper-exchange.js';
import { Instruments, MemoryJournal, PinnedMarket, equity } from './builders.js';

const SBIN = equity('SBIN');
const BTC = equity('BTCUSDFUT', { exchange: 'CRYPTO', instrumentType: 'PERPFUT', lotSize: dec('0.001'), tickSize: dec('0.5'), freezeQuantity: dec(100) });
const T0 = Date.UTC(2026, 10, 25, 4, 30); // 25 Nov 10:00 IST

let market: PinnedMarket;
let journal: MemoryJournal;
let clock: ManualClock;
let exchange: PaperExchange;

const newExchange = () => new PaperExchange({ instruments: new Instruments([SBIN, BTC]), market, clock, journal });
const btc = (side: 'BUY' | 'SELL', quantity: string, accountId = 'acc'): OrderRequest => ({
  accountId,
  symbol: 'BTCUSDFUT',
  exchange: 'CRYPTO',
  side,
  quantity: dec(quantity),
  type: 'MARKET',
  product: 'NRML',
  timeInForce: 'DAY',
});
const sbin = (side: 'BUY' | 'SELL', quantity: number): OrderRequest => ({
  accountId: 'acc',
  symbol: 'SBIN',
  exchange: 'NSE',
  side,
  quantity: dec(quantity),
  type: 'MARKET',
  product: 'CNC',
  timeInForce: 'DAY',
});
const shown = (funds: FundsState) => ({
  currency: funds.currency,
  deposits: toString(funds.deposits),
  availableCash: toString(funds.availableCash),
  usedMargin: toString(funds.usedMargin),
  realizedPnl: toString(funds.realizedPnl),
  unrealizedPnl: toString(funds.unrealizedPnl),
});
const funds = (accountId = 'acc') => exchange.funds(accountId).map(shown);

beforeEach(() => {
  market = new PinnedMarket();
  market.set(SBIN, '800', [['799.95', 1000]], [['800.05', 1000]]);
  market.set(BTC, '95001', [['95000.5', 10]], [['95001.5', 10]]);
  journal = new MemoryJournal();
  clock = new ManualClock(T0);
  exchange = newExchange();
  exchange.fundAccount('acc', dec(10000000));
  exchange.fundAccount('acc', dec(100000), 'USD');
});

describe('an account with rupees and dollars', () => {
  it('blocks the margin of a USD future in dollars only: 10 % of 1 × 95,001.5', () => {
    const rupeesBefore = funds()[0];
    exchange.place(btc('BUY', '1'));
    expect(funds()[0]).toEqual(rupeesBefore);
    exchange.place(sbin('BUY', 10));
    expect(funds()).toEqual([
      { currency: 'INR', deposits: '10000000', availableCash: '9991999.5', usedMargin: '8000.5', realizedPnl: '0', unrealizedPnl: '-0.5' },
      { currency: 'USD', deposits: '100000', availableCash: '90499.85', usedMargin: '9500.15', realizedPnl: '0', unrealizedPnl: '-0.5' },
    ]);
  });

  it('marks, realizes and settles P&L in the currency of each instrument', () => {
    exchange.place(btc('BUY', '1'));
    exchange.place(sbin('BUY', 10));
    market.set(BTC, '96000', [['95999.5', 10]], [['96000.5', 10]]);
    market.set(SBIN, '810', [['809.95', 1000]], [['810.05', 1000]]);
    expect(exchange.positions('acc').map((p) => [p.symbol, p.currency, toString(p.unrealizedPnl)])).toEqual([
      ['BTCUSDFUT', 'USD', '998.5'],
      ['SBIN', 'INR', '99.5'],
    ]);

    // Sold at the bid 95,999.5: 95,999.5 − 95,001.5 = 998 dollars, released margin back to the dollar cash.
    exchange.place(btc('SELL', '1'));
    expect(funds()).toEqual([
      { currency: 'INR', deposits: '10000000', availableCash: '9991999.5', usedMargin: '8000.5', realizedPnl: '0', unrealizedPnl: '99.5' },
      { currency: 'USD', deposits: '100000', availableCash: '100998', usedMargin: '0', realizedPnl: '998', unrealizedPnl: '0' },
    ]);

    // The next session settles the dollars into the dollar deposits and the shares into rupee holdings.
    clock.set(T0 + 24 * 3600 * 1000);
    expect(funds()).toEqual([
      { currency: 'INR', deposits: '10000000', availableCash: '9991999.5', usedMargin: '0', realizedPnl: '0', unrealizedPnl: '0' },
      { currency: 'USD', deposits: '100998', availableCash: '100998', usedMargin: '0', realizedPnl: '0', unrealizedPnl: '0' },
    ]);
    expect(exchange.holdings('acc').map((h) => [h.symbol, h.currency, toString(h.cost)])).toEqual([['SBIN', 'INR', '8000.5']]);
  });

  it('refuses a USD order the dollar cash cannot cover, whatever the rupees, naming dollars', () => {
    exchange.fundAccount('rupees-only', dec(100000000));
    const unfunded = exchange.place(btc('BUY', '1', 'rupees-only'));
    expect(unfunded.rejectReason).toBe('Insufficient funds. Required: $9500.15, Available: $0.00, Shortage: $9500.15');
    exchange.fundAccount('rupees-only', dec(1000), 'USD');
    const short = exchange.place(btc('BUY', '1', 'rupees-only'));
    expect(short.rejectReason).toBe('Insufficient funds. Required: $9500.15, Available: $1000.00, Shortage: $8500.15');
    expect(funds('rupees-only').map((f) => [f.currency, f.availableCash])).toEqual([
      ['INR', '100000000'],
      ['USD', '1000'],
    ]);
  });

  it('lists only the rupees of an account that never had dollars, and rupees at zero for an unknown account', () => {
    exchange.fundAccount('home', dec(5000));
    expect(funds('home').map((f) => f.currency)).toEqual(['INR']);
    expect(funds('nobody')).toEqual([
      { currency: 'INR', deposits: '0', availableCash: '0', usedMargin: '0', realizedPnl: '0', unrealizedPnl: '0' },
    ]);
  });

  it('journals dollar deposits with their currency and rupee deposits as before, and replays both', async () => {
    expect(journal.events.filter((e) => e.type === 'account.funded')).toEqual([
      { type: 'account.funded', accountId: 'acc', amount: dec(10000000), at: T0 },
      { type: 'account.funded', accountId: 'acc', amount: dec(100000), at: T0, currency: 'USD' },
    ]);
    exchange.place(btc('BUY', '0.5'));
    exchange.place(sbin('BUY', 3));
    const rebuilt = newExchange();
    await rebuilt.restore();
    expect(rebuilt.funds('acc')).toEqual(exchange.funds('acc'));
    expect(rebuilt.positions('acc')).toEqual(exchange.positions('acc'));
  });
});
