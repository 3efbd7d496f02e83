import { describe, expect, it } from 'vitest';
import { fundsIn, holdingsTotalIn, orderedFunds, valueHoldings, valuePosition } from '../../src/core/portfolio.js';
import { ZERO, dec, div, toString } from '../../src/domain/decimal.js';
import type { Funds } from '../../src/domain/funds.js';
import type { HoldingView, PositionView } from '../../src/domain/position.js';

const s = toString;

function holding(symbol: string, quantity: string, cost: string, lastPrice: string, overrides: Partial<HoldingView> = {}): HoldingView {
  return {
    symbol,
    exchange: 'NSE',
    currency: 'INR',
    quantity: dec(quantity),
    cost: dec(cost),
    averagePrice: div(dec(cost), dec(quantity)),
    lastPrice: dec(lastPrice),
    ...overrides,
  };
}

const funds = (currency: Funds['currency'], availableCash: string): Funds => ({
  currency,
  availableCash: dec(availableCash),
  collateral: ZERO,
  realizedPnl: ZERO,
  unrealizedPnl: ZERO,
  usedMargin: ZERO,
});

describe('positions', () => {
  it('are valued at their realized plus unrealized P&L, in their currency', () => {
    const position: PositionView = {
      symbol: 'XRPUSDFUT',
      exchange: 'CRYPTO',
      product: 'NRML',
      currency: 'USD',
      quantity: dec(100),
      averagePrice: dec('2.2001'),
      lastPrice: dec('2.2104'),
      realizedPnl: dec('-0.0512'),
      unrealizedPnl: dec('1.03'),
    };
    const valued = valuePosition(position);
    expect([valued.currency, s(valued.totalPnl)]).toEqual(['USD', '0.9788']);
  });
});

describe('holdings', () => {
  it('are valued at the last price: market value, P&L and P&L % of the cost', () => {
    // 10 SBIN cost 8000.50, now 810: value 8100, P&L 99.50, 99.5 / 8000.5 = 1.24367227 %
    const [sbin] = valueHoldings([holding('SBIN', '10', '8000.5', '810')]).holdings;
    expect([s(sbin!.marketValue), s(sbin!.pnl), s(sbin!.pnlPercent)]).toEqual(['8100', '99.5', '1.24367227']);
  });

  it('are totalled per currency, rupees first, never across currencies', () => {
    const valuation = valueHoldings([
      holding('BTCUSD', '0.5', '47500.75', '96000', { exchange: 'CRYPTO', currency: 'USD' }),
      holding('SBIN', '10', '8000.5', '810'),
      holding('INFY', '2', '3000', '1490'),
    ]);
    expect(valuation.totals.map((t) => [t.currency, s(t.value), s(t.invested), s(t.pnl), s(t.pnlPercent)])).toEqual([
      // 8100 + 2980 = 11080 against 11000.5: 79.5 = 0.72269442 %
      ['INR', '11080', '11000.5', '79.5', '0.72269442'],
      // 48000 against 47500.75: 499.25 = 1.05103604 % (rounded half-even to 8 places)
      ['USD', '48000', '47500.75', '499.25', '1.05103604'],
    ]);
    expect(s(holdingsTotalIn(valuation, 'USD').value)).toBe('48000');
  });

  it('total zero, with a zero percentage, when nothing is held', () => {
    const valuation = valueHoldings([]);
    expect(valuation.totals).toEqual([]);
    const total = holdingsTotalIn(valuation, 'INR');
    expect([total.currency, s(total.value), s(total.invested), s(total.pnl), s(total.pnlPercent)]).toEqual(['INR', '0', '0', '0', '0']);
  });
});

describe('funds', () => {
  it('are listed rupees first; a currency the account lacks reads as zero', () => {
    const reported = [funds('USD', '90499.85'), funds('INR', '9991999.5')];
    expect(orderedFunds(reported).map((f) => [f.currency, s(f.availableCash)])).toEqual([
      ['INR', '9991999.5'],
      ['USD', '90499.85'],
    ]);
    expect(s(fundsIn(reported, 'USD').availableCash)).toBe('90499.85');
    expect(fundsIn([funds('USD', '1')], 'INR')).toEqual(funds('INR', '0'));
  });
});
