import { describe, expect, it } from 'vitest';
import { dayPnl, dayPnlTotalOf } from '../../src/core/day-pnl.js';
import { ZERO, dec } from '../../src/domain/decimal.js';
import type { PositionView } from '../../src/domain/position.js';

const position = (p: Partial<PositionView> & Pick<PositionView, 'symbol' | 'quantity'>): PositionView => ({
  exchange: 'NSE',
  product: 'MIS',
  currency: 'INR',
  averagePrice: dec(100),
  lastPrice: dec(101),
  realizedPnl: ZERO,
  unrealizedPnl: ZERO,
  ...p,
});

describe("the session's P&L by position", () => {
  it('keeps open positions and closed ones that realized something, and totals each currency apart', () => {
    const pnl = dayPnl([
      position({ symbol: 'SBIN', quantity: dec(6), realizedPnl: dec('3.6'), unrealizedPnl: dec('5.7') }),
      position({ symbol: 'INFY', quantity: ZERO, realizedPnl: dec(-51) }),
      position({ symbol: 'RELIANCE', quantity: ZERO }),
      position({ symbol: 'XRPUSDFUT', exchange: 'CRYPTO', currency: 'USD', quantity: dec(100), unrealizedPnl: dec('0.02') }),
    ]);
    expect(pnl.positions.map((row) => [row.position.symbol, row.totalPnl])).toEqual([
      ['SBIN', dec('9.3')],
      ['INFY', dec(-51)],
      ['XRPUSDFUT', dec('0.02')],
    ]);
    expect(pnl.totals).toEqual([
      { currency: 'INR', unrealizedPnl: dec('5.7'), realizedPnl: dec('-47.4'), totalPnl: dec('-41.7') },
      { currency: 'USD', unrealizedPnl: dec('0.02'), realizedPnl: ZERO, totalPnl: dec('0.02') },
    ]);
  });

  it('gives a currency without positions zero totals', () => {
    expect(dayPnlTotalOf('INR', dayPnl([]))).toEqual({ currency: 'INR', unrealizedPnl: ZERO, realizedPnl: ZERO, totalPnl: ZERO });
  });
});
