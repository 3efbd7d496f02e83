// Positions, holdings and funds from OpenAlgo's account answers, with what is derived where OpenAlgo says less.
import { describe, expect, it } from 'vitest';
import { fundsOf, holdingOf, positionOf } from '../../../src/brokers/openalgo/v1-account.js';
import { dec } from '../../../src/domain/decimal.js';

describe('positionOf', () => {
  it('splits the one P&L into the open quantity marked to the last price and the realized rest', () => {
    const position = positionOf({ symbol: 'SBIN', exchange: 'NSE', product: 'MIS', quantity: 10, average_price: 960.05, ltp: 962.05, pnl: 45 });
    expect(position).toEqual({
      symbol: 'SBIN',
      exchange: 'NSE',
      product: 'MIS',
      currency: 'INR',
      quantity: dec(10),
      averagePrice: dec('960.05'),
      lastPrice: dec('962.05'),
      unrealizedPnl: dec(20),
      realizedPnl: dec(25),
    });
  });

  it('takes a position closed today as all realized, and prices crypto in dollars', () => {
    expect(positionOf({ symbol: 'BTCUSDFUT', exchange: 'CRYPTO', product: 'NRML', quantity: '0', average_price: '0', ltp: '95001.5', pnl: '-12.5' })).toMatchObject({
      currency: 'USD',
      quantity: dec(0),
      averagePrice: dec(0),
      unrealizedPnl: dec(0),
      realizedPnl: dec('-12.5'),
    });
  });
});

describe('holdingOf', () => {
  it('costs a holding at its average when the row has one', () => {
    expect(holdingOf({ symbol: 'INFY', exchange: 'NSE', quantity: 5, average_price: 1500, ltp: 1560, pnl: 300, pnlpercent: 4 })).toEqual({
      symbol: 'INFY',
      exchange: 'NSE',
      currency: 'INR',
      quantity: dec(5),
      cost: dec(7500),
      averagePrice: dec(1500),
      lastPrice: dec(1560),
    });
  });

  it("works the cost back from OpenAlgo's P&L and percentage, and the last price from both", () => {
    expect(holdingOf({ symbol: 'INFY', exchange: 'NSE', quantity: 5, pnl: 300, pnlpercent: 4 })).toMatchObject({
      cost: dec(7500),
      averagePrice: dec(1500),
      lastPrice: dec(1560),
    });
  });
});

describe('fundsOf', () => {
  it("reads OpenAlgo's funds, strings of rupees, as one rupee balance", () => {
    expect(
      fundsOf({ availablecash: '9968999.00', collateral: '0.00', m2mrealized: '-12.50', m2munrealized: '40.00', utiliseddebits: '31001.00' }),
    ).toEqual([
      {
        currency: 'INR',
        availableCash: dec(9968999),
        collateral: dec(0),
        realizedPnl: dec('-12.5'),
        unrealizedPnl: dec(40),
        usedMargin: dec(31001),
      },
    ]);
  });

  it("reads every balance of an Ordergate upstream that holds dollars too, each in its own currency", () => {
    const rupees = { availablecash: '9968999.00', collateral: '0.00', m2mrealized: '0.00', m2munrealized: '0.00', utiliseddebits: '31001.00' };
    const dollars = { availablecash: '90499.85', collateral: '0.00', m2mrealized: '0.00', m2munrealized: '-1.50', utiliseddebits: '9500.15' };
    const funds = fundsOf({ ...rupees, currency: 'INR', balances: [{ currency: 'INR', ...rupees }, { currency: 'USD', ...dollars }] });
    expect(funds.map((each) => [each.currency, each.availableCash, each.usedMargin, each.unrealizedPnl])).toEqual([
      ['INR', dec(9968999), dec(31001), dec(0)],
      ['USD', dec('90499.85'), dec('9500.15'), dec('-1.5')],
    ]);
  });
});
